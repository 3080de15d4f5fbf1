// Completion in a plan's metadata: inside a Markdown task's `{…}` the keys
// (src/core/plan/inlineMetadata.ts), task ids after `after:`, agent profile names after `agent:`,
// and the priority classes after `priority:`; in YAML the same values after `agent:`,
// `priority:` and inside `dependsOn: [ … ]` (the JSON schema completes YAML and JSON keys).
import * as vscode from 'vscode';
import { METADATA_KEYS, metadataField, planKindOf } from '../../core';
import { completionSlot } from './completionSlot';
import type { PlanOutlines } from './planDocuments';

const PRIORITIES = ['high', 'medium', 'low'];

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
