// Decorations of the task tree for review: a changed file's letter and colour (A, M, D, R in the
// git extension's colours, read from the fragment changeNodes.ts puts on its resourceUri), and a
// warning on a task the conflict radar flagged (a task item gets a `agent-orchestrator-task:` URI
// only when flagged, so only those are ever asked about).
import * as vscode from 'vscode';
import type { ChangeKind } from '../../core';
import { CHANGE_LETTERS } from './reviewText';
import { REVIEW_SCHEME } from './reviewUri';

export const TASK_FLAG_SCHEME = 'agent-orchestrator-task';

const CHANGE_COLORS: Readonly<Record<ChangeKind, string>> = {
  added: 'gitDecoration.addedResourceForeground',
  modified: 'gitDecoration.modifiedResourceForeground',
  deleted: 'gitDecoration.deletedResourceForeground',
  renamed: 'gitDecoration.renamedResourceForeground',
};

export function taskFlagUri(taskId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: TASK_FLAG_SCHEME, path: `/${taskId}` });
}

export class ReviewDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changed.event;

  /** `flagged(taskId)`: the radar's words about the task, undefined when it is not flagged. */
  constructor(private readonly flagged: (taskId: string) => string | undefined) {}

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme === REVIEW_SCHEME) {
      const kind = uri.fragment as ChangeKind;
      if (!(kind in CHANGE_LETTERS)) return undefined;
      return new vscode.FileDecoration(CHANGE_LETTERS[kind], kind, new vscode.ThemeColor(CHANGE_COLORS[kind]));
    }
    if (uri.scheme === TASK_FLAG_SCHEME) {
      const why = this.flagged(uri.path.replace(/^\//, ''));
      if (!why) return undefined;
      const decoration = new vscode.FileDecoration('!', why, new vscode.ThemeColor('list.warningForeground'));
      decoration.propagate = false;
      return decoration;
    }
    return undefined;
  }

  /** The radar's flags changed for these tasks. */
  tasksChanged(taskIds: Iterable<string>): void {
    const uris = [...taskIds].map(taskFlagUri);
    if (uris.length > 0) this.changed.fire(uris);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
