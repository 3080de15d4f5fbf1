// What the extension says when a run ends ("Run finished: 9 of 10 completed, 1 failed." with the
// actions that fit) and when a task fails while the run goes on (a line for the status bar's
// tooltip), and how loud it may be (the `agentOrchestrator.notifications` setting). Words and
// choices only, apart from `vscode`, so they are tested in plain Node; RunNotifier.ts shows them.
import { countsSentence, type StatusCounts } from '../../shared/taskCounts';

/** `all`: both; `failures`: the run-end notification only when something went wrong; `off`: neither. */
export const NOTIFICATION_LEVELS = ['all', 'failures', 'off'] as const;
export type NotificationLevel = (typeof NOTIFICATION_LEVELS)[number];
export const DEFAULT_NOTIFICATION_LEVEL: NotificationLevel = 'all';

/**
 * The setting's value as a level. Anything else (a typo in settings.json) is the default, with a
 * problem naming the setting and the value, for the log: notifications never stop working silently.
 */
export function notificationLevel(value: unknown): { readonly level: NotificationLevel; readonly problem?: string } {
  if (value === undefined || value === null) return { level: DEFAULT_NOTIFICATION_LEVEL };
  if ((NOTIFICATION_LEVELS as readonly unknown[]).includes(value)) return { level: value as NotificationLevel };
  return {
    level: DEFAULT_NOTIFICATION_LEVEL,
    problem: `agentOrchestrator.notifications must be one of ${NOTIFICATION_LEVELS.join(', ')} (got ${JSON.stringify(value)}); using "${DEFAULT_NOTIFICATION_LEVEL}"`,
  };
}

export const RUN_END_ACTIONS = {
  openDashboard: 'Open Dashboard',
  retryFailed: 'Retry Failed',
  reviewChanges: 'Review Changes',
  showSummary: 'Show Summary',
} as const;
export type RunEndAction = (typeof RUN_END_ACTIONS)[keyof typeof RUN_END_ACTIONS];

export interface RunEndNotice {
  readonly text: string;
  /** `warning` when a task failed, timed out, was blocked, cancelled or interrupted, or the run did not complete. */
  readonly severity: 'info' | 'warning';
  /** The buttons, in order. */
  readonly actions: readonly RunEndAction[];
}

/** Tasks that went wrong without the user stopping them: what Retry Failed is offered for. */
export function wentWrong(counts: StatusCounts): number {
  return counts.failed + counts.timed_out + counts.blocked + counts.interrupted;
}

/**
 * The notification at a run's end, or undefined when the level silences it. `counts` are the
 * plan's (src/shared/taskCounts.ts, as the status bar and the dashboard count); `reviewable` is
 * how many completed tasks have changes nobody merged or discarded yet.
 */
export function runEndNotice(runStatus: string, counts: StatusCounts, reviewable: number, level: NotificationLevel): RunEndNotice | undefined {
  const failed = wentWrong(counts);
  const troubled = failed + counts.cancelled > 0 || runStatus !== 'completed';
  if (level === 'off' || (level === 'failures' && !troubled)) return undefined;
  const verb = runStatus === 'cancelled' || runStatus === 'interrupted' ? runStatus : 'finished';
  const actions: RunEndAction[] = [RUN_END_ACTIONS.openDashboard];
  if (failed > 0) actions.push(RUN_END_ACTIONS.retryFailed);
  if (reviewable > 0) actions.push(RUN_END_ACTIONS.reviewChanges);
  // Three buttons at most: the summary is also one click away on the dashboard.
  if (actions.length < 3) actions.push(RUN_END_ACTIONS.showSummary);
  return { text: `Run ${verb}: ${countsSentence(counts)}.`, severity: troubled ? 'warning' : 'info', actions };
}

/** How long the status-bar item stays red after a task failed while the run goes on. */
export const FAILURE_FLASH_MS = 5_000;

/** The tooltip's line about the task that just failed: "TASK-1-3 failed (attempt 1): exit code 1". */
export function failureFlashLine(taskId: string, status: 'failed' | 'timed_out', attempt: number, error: string | undefined): string {
  const what = status === 'timed_out' ? 'timed out' : 'failed';
  const firstLine = error?.split('\n').find((line) => line.trim() !== '')?.trim();
  const reason = firstLine ? `: ${firstLine.length > 160 ? `${firstLine.slice(0, 159)}…` : firstLine}` : '';
  return `${taskId} ${what}${attempt > 0 ? ` (attempt ${attempt})` : ''}${reason}`;
}
