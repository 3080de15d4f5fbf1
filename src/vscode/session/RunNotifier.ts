// Tells the user how a run went, whoever started it (Run All, Run Selected, Retry Failed, a
// `tasks.json` task, Resolve with Agent): at its end a notification with the actions that fit
// (runEndText.ts words it), and while it goes on a quiet red flash of the status-bar item for each
// task that fails — never a toast per task. It listens to the session's engine events, so a run of
// another process (this window read-only) is left to that process. `agentOrchestrator.notifications`
// silences either.
import * as vscode from 'vscode';
import type { OrchestratorEvent, RunResult } from '../../core';
import { showsChanges } from '../tree/taskTreeText';
import type { TaskTreeModel } from '../tree/TaskTreeModel';
import type { OrchestratorSession } from './OrchestratorSession';
import { failureFlashLine, notificationLevel, RUN_END_ACTIONS, runEndNotice, type NotificationLevel, type RunEndAction, type RunEndNotice } from './runEndText';

/** Where a run-end notice goes: VS Code's notifications (vscodeNotifier), or what a caller wraps around it. */
export interface RunEndNotifier {
  show(notice: RunEndNotice): Thenable<RunEndAction | undefined>;
}

export const vscodeNotifier: RunEndNotifier = {
  show: (notice) => (notice.severity === 'info' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage)(notice.text, ...notice.actions),
};

/** What a failing task does to the status bar (StatusBarController implements it). */
export interface FailureFlash {
  flashFailure(line: string): void;
}

export interface RunNotifierDeps {
  readonly session: OrchestratorSession;
  readonly model: TaskTreeModel;
  readonly statusBar: FailureFlash;
  readonly level: () => NotificationLevel;
  readonly notifier?: RunEndNotifier;
}

export class RunNotifier implements vscode.Disposable {
  /** Every run-end notice shown, in order (for the integration tests: VS Code cannot list its notifications). */
  readonly shown: RunEndNotice[] = [];
  /** Every failure line flashed, in order (same reason). */
  readonly flashed: string[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(private readonly deps: RunNotifierDeps) {
    this.subscription = deps.session.onDidEmit((event) => this.take(event));
  }

  private take(event: OrchestratorEvent): void {
    if (event.type === 'runFinished') {
      this.runEnded(event.result);
      return;
    }
    if (event.type !== 'transition') return;
    const { notice } = event;
    if ((notice.to !== 'failed' && notice.to !== 'timed_out') || this.deps.level() === 'off') return;
    const line = failureFlashLine(notice.taskId, notice.to, notice.attempt, notice.error ?? notice.reason);
    this.flashed.push(line);
    this.deps.statusBar.flashFailure(line);
  }

  private runEnded(result: RunResult): void {
    const orchestrator = this.deps.session.orchestrator;
    if (!orchestrator) return;
    const { model } = this.deps;
    model.refresh();
    const reviewable = model.tasks().filter((row) => row.displayStatus === 'completed' && showsChanges(row, { state: model.review(row.taskId)?.state }) && (model.review(row.taskId)?.state ?? 'unreviewed') === 'unreviewed');
    const notice = runEndNotice(result.status, orchestrator.progressCounts(), reviewable.length, this.deps.level());
    if (!notice) return;
    this.shown.push(notice);
    void (this.deps.notifier ?? vscodeNotifier).show(notice).then((choice) => {
      switch (choice) {
        case RUN_END_ACTIONS.openDashboard:
          return vscode.commands.executeCommand('agentOrchestrator.openDashboard');
        case RUN_END_ACTIONS.retryFailed:
          return vscode.commands.executeCommand('agentOrchestrator.retryFailed');
        case RUN_END_ACTIONS.reviewChanges:
          // One task: its review at once; several: Review Changes asks which.
          return vscode.commands.executeCommand('agentOrchestrator.reviewChanges', ...(reviewable.length === 1 ? [reviewable[0].taskId] : []));
        case RUN_END_ACTIONS.showSummary:
          return vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(result.summaryPath));
        default:
          return undefined;
      }
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** The `agentOrchestrator.notifications` setting for this folder; a bad value is logged and read as the default. */
export function readNotificationLevel(folder: vscode.Uri, log: vscode.LogOutputChannel): NotificationLevel {
  const { level, problem } = notificationLevel(vscode.workspace.getConfiguration('agentOrchestrator', folder).get('notifications'));
  if (problem) log.warn(problem);
  return level;
}
