// The conflict radar's first sighting of a pair of tasks changing the same file, as a warning
// notification while the run goes on: "TASK-a and TASK-b both change file.ts", with "Review
// Changes" for whichever of the two has finished, and "Show" to reveal them in the tree. Later
// sightings of the same pair stay in the tree's decoration (ReviewDecorations.ts) and summary.md.
import * as vscode from 'vscode';
import type { OrchestratorEvent } from '../../core';
import type { TaskTreeModel } from '../tree/TaskTreeModel';
import { showsChanges } from '../tree/taskTreeText';
import { overlapNotice } from './reviewText';

export interface OverlapNoticeDeps {
  readonly model: TaskTreeModel;
  readonly onDidEmit: vscode.Event<OrchestratorEvent>;
  /** Reveals and selects the tasks in the tree. */
  readonly reveal: (taskIds: readonly string[]) => Promise<void>;
  /** For tests: every notice shown, in order. */
  readonly shown?: string[];
}

export function watchOverlaps(deps: OverlapNoticeDeps): vscode.Disposable {
  return deps.onDidEmit((event) => {
    if (event.type !== 'overlap' || !event.first) return;
    const { pair } = event;
    const text = overlapNotice(pair);
    deps.shown?.push(text);
    const finished = [pair.taskA, pair.taskB].filter((taskId) => {
      const row = deps.model.task(taskId);
      return row !== undefined && showsChanges(row, { state: deps.model.review(taskId)?.state });
    });
    const review = 'Review Changes';
    const show = 'Show';
    void vscode.window.showWarningMessage(`Agent Orchestrator: ${text}`, ...(finished.length > 0 ? [review] : []), show).then(async (choice) => {
      if (choice === show) await deps.reveal([pair.taskA, pair.taskB]);
      if (choice === review) for (const taskId of finished) await vscode.commands.executeCommand('agentOrchestrator.reviewChanges', taskId);
    });
  });
}
