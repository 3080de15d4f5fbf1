// Completion in a plan's metadata: inside a Markdown task's `{…}` the keys
// (src/core/plan/inlineMetadata.ts), task ids after `after:`, agent profile names after `agent:`,
// and the priority classes after `priority:`; in YAML the same values after `agent:`,
// `priority:` and inside `dependsOn: [ … ]` (the JSON schema completes YAML and JSON keys).
import * as vscode from 'vscode';
import { METADATA_KEYS, metadataField, planKindOf, type PlanKind } from '../../core';
import type { PlanOutlines } from './planDocuments';

export type CompletionSlot =
  | { readonly kind: 'key'; readonly used: readonly string[] }
  | { readonly kind: 'after' | 'agent' | 'priority' }
  | undefined;

const ITEM_START = /^\s*(?:[-*+][ \t]+\[[ xX]\]|\d{1,9}[.)])/;
const PRIORITIES = ['high', 'medium', 'low'];

/** What may be typed at the end of `before` (the line up to the cursor). */
export function completionSlot(before: string, kind: PlanKind): CompletionSlot {
  if (kind !== 'markdown') {
    if (/^\s*(?:-\s+)?agent:\s*[\w.-]*$/.test(before)) return { kind: 'agent' };
    if (/^\s*(?:-\s+)?priority:\s*\w*$/.test(before)) return { kind: 'priority' };
    if (/^\s*(?:-\s+)?dependsOn:\s*\[[^\]]*$/.test(before)) return { kind: 'after' };
    return undefined;
  }
  const open = before.lastIndexOf('{');
  if (open === -1 || before.includes('}', open) || !ITEM_START.test(before)) return undefined;
  const pairs = before.slice(open + 1).split(';');
  const current = pairs.pop()!;
  const colon = current.indexOf(':');
  if (colon === -1) return { kind: 'key', used: pairs.map((pair) => metadataField(pair.split(':')[0].trim()) ?? '').filter((field) => field !== '') };
  const field = metadataField(current.slice(0, colon).trim());
  if (field === 'dependsOn') return { kind: 'after' };
  if (field === 'agent') return { kind: 'agent' };
  if (field === 'priority') return { kind: 'priority' };
  return undefined;
}

export class PlanCompletion implements vscode.CompletionItemProvider {
  static readonly triggers = ['{', ':', ' ', ',', ';', '['];

  constructor(
    private readonly outlines: PlanOutlines,
    private readonly agentNames: () => readonly string[],
  ) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
    const before = document.lineAt(position.line).text.slice(0, position.character);
    const slot = completionSlot(before, planKindOf(document.fileName) ?? 'markdown');
    if (slot === undefined) return [];
    // The word being typed: after the last space, comma, colon, bracket or brace.
    const wordStart = before.search(/[^\s,:;[{]*$/);
    const range = new vscode.Range(position.line, wordStart, position.line, position.character);
    const item = (label: string, kind: vscode.CompletionItemKind, detail?: string, insert?: string): vscode.CompletionItem => {
      const completion = new vscode.CompletionItem(label, kind);
      completion.range = range;
      completion.detail = detail;
      if (insert !== undefined) completion.insertText = insert;
      return completion;
    };
    switch (slot.kind) {
      case 'key':
        return METADATA_KEYS.filter((key) => !slot.used.includes(metadataField(key)!)).map((key) => item(key, vscode.CompletionItemKind.Property, 'plan metadata', `${key}: `));
      case 'priority':
        return PRIORITIES.map((priority) => item(priority, vscode.CompletionItemKind.EnumMember, 'priority'));
      case 'agent':
        return this.agentNames().map((name) => item(name, vscode.CompletionItemKind.Value, 'agent profile'));
      case 'after': {
        const outline = await this.outlines.get(document);
        const own = outline.tasks.find((task) => task.span.line <= position.line && position.line <= task.span.endLine)?.id;
        return outline.tasks.filter((task) => task.id !== own).map((task) => item(task.id, vscode.CompletionItemKind.Reference, task.title));
      }
    }
  }
}
