// The review's long-lived objects, made once by the composition root (src/vscode/extension.ts):
// the cache of each task's changes the tree reads, and the decorations of changed files and of
// tasks the conflict radar flagged. The decorations follow the tree model: after each reload,
// the tasks whose flags came or went are re-decorated.
import * as vscode from 'vscode';
import type { Orchestrator } from '../../core';
import type { OrchestratorSession } from '../session/OrchestratorSession';
import type { TaskTreeModel } from '../tree/TaskTreeModel';
import { ReviewDecorations } from './ReviewDecorations';
import { overlapLines } from './reviewText';
import { TaskChangesCache } from './TaskChangesCache';

/**
 * The open orchestrator, never opening (and so creating) the database for a view: a tree
 * expanded or a review tab restored while the window let the lock go (OrchestratorSession.release)
 * must not take it back from the process it was freed for.
 */
export async function openedOrchestrator(session: OrchestratorSession): Promise<Orchestrator> {
  const orchestrator = await session.openIfDatabaseExists();
  if (!orchestrator) throw new Error(`the orchestrator's database is not open in this window (${session.databasePath()})`);
  return orchestrator;
}

export class ReviewParts implements vscode.Disposable {
  readonly changes: TaskChangesCache;
  readonly decorations: ReviewDecorations;
  /** The radar notifications shown (overlapNotice.ts), for the integration tests. */
  readonly overlapNotices: string[] = [];
  private flagged = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly session: OrchestratorSession,
    readonly model: TaskTreeModel,
  ) {
    this.changes = new TaskChangesCache(() => openedOrchestrator(session));
    this.decorations = new ReviewDecorations((taskId) => this.flagged.get(taskId));
    this.subscriptions = [this.decorations, vscode.window.registerFileDecorationProvider(this.decorations), model.onDidLoad(() => this.updateFlags())];
  }

  private updateFlags(): void {
    const next = new Map<string, string>();
    for (const row of this.model.tasks()) {
      const lines = overlapLines(row.taskId, this.model.overlaps(row.taskId));
      if (lines.length > 0) next.set(row.taskId, lines.join('\n'));
    }
    const changed = new Set<string>();
    for (const [taskId, why] of next) if (this.flagged.get(taskId) !== why) changed.add(taskId);
    for (const taskId of this.flagged.keys()) if (!next.has(taskId)) changed.add(taskId);
    this.flagged = next;
    this.decorations.tasksChanged(changed);
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
