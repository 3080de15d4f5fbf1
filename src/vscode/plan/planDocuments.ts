// The plan files the editor features serve, and each open plan's outline, computed once per
// version of its text (src/core/plan/planOutline.ts) and shared by the CodeLens, hovers,
// completion, definitions and symbols.
import * as vscode from 'vscode';
import { planKindOf, planOutline, type OutlineSpan, type PlanOutline } from '../../core';

/** The files the import accepts (PLAN_FILE in src/vscode/commands/planCommands.ts), on disk. */
export const PLAN_SELECTOR: vscode.DocumentSelector = [{ scheme: 'file', pattern: '**/*.plan.{md,markdown,yaml,yml,json}' }];

/** A task id as docs/plan-format.md#ids writes it. */
const TASK_ID = /TASK-\d+-\d+/;

export class PlanOutlines implements vscode.Disposable {
  private readonly cache = new Map<string, { readonly version: number; readonly outline: Promise<PlanOutline> }>();
  private readonly subscription = vscode.workspace.onDidCloseTextDocument((document) => this.cache.delete(document.uri.toString()));

  get(document: vscode.TextDocument): Promise<PlanOutline> {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached?.version === document.version) return cached.outline;
    const outline = planOutline(document.getText(), planKindOf(document.fileName) ?? 'markdown');
    this.cache.set(key, { version: document.version, outline });
    return outline;
  }

  dispose(): void {
    this.subscription.dispose();
    this.cache.clear();
  }
}

export function toRange(span: OutlineSpan): vscode.Range {
  return new vscode.Range(span.line, span.start, span.endLine, span.end);
}

/** The task id under the cursor, anywhere in the text (a prompt, `{after: …}`, a YAML list). */
export function taskIdAt(document: vscode.TextDocument, position: vscode.Position): { readonly id: string; readonly range: vscode.Range } | undefined {
  const range = document.getWordRangeAtPosition(position, TASK_ID);
  return range ? { id: document.getText(range), range } : undefined;
}
