// What the CodeLens of a plan file say and do, without VS Code's types: one model per lens,
// from the plan's outline (src/core/plan/planOutline.ts) and the task rows the tree already holds
// in memory. PlanLensProvider.ts turns them into vscode.CodeLens; the bench
// (bench/planLensBench.ts) times this for 1,000 tasks in plain Node. Icons and status words are
// the tree's (src/vscode/tree/taskTreeText.ts), the actions the tree's commands with the
// arguments they accept (src/vscode/commands/taskArgs.ts).
import type { PlanOutline } from '../../core';
import { CANCELLABLE_STATUSES, RETRYABLE_STATUSES } from '../../shared/protocol';
import { formatDuration, STATUS_LABELS } from '../../shared/format';
import { showsChanges, STATUS_ICONS, type ShownReview, type ShownTask } from '../tree/taskTreeText';

export interface LensModel {
  /** 0-based line the lens stands above. */
  readonly line: number;
  readonly title: string;
  /** Empty for a lens that only informs. */
  readonly command: string;
  readonly args: readonly unknown[];
  readonly tooltip?: string;
}

export interface LensInputs {
  readonly outline: PlanOutline;
  /** Whether the database knows this file as an imported plan. */
  readonly imported: boolean;
  /** Whether a re-import would change what the database holds (planSync.ts). */
  readonly stale: boolean;
  /** The plan file, passed to Import Plan (a vscode.Uri in the editor). */
  readonly file: unknown;
  readonly row: (taskId: string) => ShownTask | undefined;
  readonly review: (taskId: string) => ShownReview | undefined;
  /** While a run goes on, a task not started yet offers Cancel rather than Run. */
  readonly running: boolean;
  readonly now: number;
}

const IMPORT = 'agentOrchestrator.importPlan';
const RUN = 'agentOrchestrator.runSelected';

export function planLenses(inputs: LensInputs): LensModel[] {
  const { outline } = inputs;
  if (!inputs.imported) {
    return outline.tasks.length === 0 ? [] : [{ line: 0, title: '$(cloud-upload) Import plan', command: IMPORT, args: [inputs.file], tooltip: 'Import this plan to run its tasks' }];
  }
  const lenses: LensModel[] = [];
  if (inputs.stale) {
    lenses.push({ line: 0, title: '$(warning) plan changed — re-import', command: IMPORT, args: [inputs.file], tooltip: 'The file differs from the imported plan: import it again' });
  }
  for (const spec of outline.specs) {
    const rows = spec.tasks.map((task) => inputs.row(task.id));
    const known = rows.filter((row) => row !== undefined);
    const done = known.filter((row) => row.displayStatus === 'completed').length;
    lenses.push({ line: spec.span.line, title: `$(checklist) ${done}/${known.length} done`, command: '', args: [] });
    const runnable = known.filter((row) => row.displayStatus !== 'completed').map((row) => row.taskId);
    if (runnable.length > 0 && !inputs.running) lenses.push({ line: spec.span.line, title: '$(run-all) Run Spec', command: RUN, args: [runnable[0], runnable], tooltip: `Run the unfinished tasks of ${spec.id}` });
  }
  for (const task of outline.tasks) {
    const row = inputs.row(task.id);
    const line = task.span.line;
    if (row === undefined) {
      lenses.push({ line, title: '$(circle-large-outline) not imported yet', command: '', args: [] });
      continue;
    }
    lenses.push({ line, title: statusTitle(row, inputs.now), command: 'agentOrchestrator.openDashboard', args: [row.taskId], tooltip: `${row.taskId} on the dashboard` });
    lenses.push(...actions(row, inputs.review(row.taskId), inputs.running, line));
  }
  return lenses;
}

/** "$(pass-filled) completed · attempt 2 · 3:07 · $0.12" */
function statusTitle(row: ShownTask, now: number): string {
  const parts = [`$(${STATUS_ICONS[row.displayStatus][0]}) ${STATUS_LABELS[row.displayStatus]}`];
  const attempt = row.latestAttempt;
  if (attempt) parts.push(`attempt ${attempt.attemptNumber}`);
  if (row.displayStatus === 'running' && row.startedAt) parts.push(formatDuration(now - Date.parse(row.startedAt)));
  else if (attempt?.durationMs != null) parts.push(formatDuration(attempt.durationMs));
  if (attempt?.costUsd != null) parts.push(`$${attempt.costUsd.toFixed(2)}`);
  return parts.join(' · ');
}

function actions(row: ShownTask, review: ShownReview | undefined, running: boolean, line: number): LensModel[] {
  const args = [{ taskId: row.taskId }];
  const lenses: LensModel[] = [];
  const status = row.displayStatus;
  const notStarted = status === 'pending' || status === 'ready';
  if (notStarted && !running) lenses.push({ line, title: '$(play) Run', command: RUN, args, tooltip: `Run ${row.taskId} (with the unfinished tasks it needs)` });
  if (CANCELLABLE_STATUSES.has(status) && (running || !notStarted)) lenses.push({ line, title: '$(stop) Cancel', command: 'agentOrchestrator.cancelTask', args });
  if (RETRYABLE_STATUSES.has(status)) lenses.push({ line, title: '$(refresh) Retry', command: 'agentOrchestrator.retryFailed', args });
  if (row.latestAttempt?.logPath) lenses.push({ line, title: '$(output) Show Log', command: 'agentOrchestrator.showTaskLog', args });
  if (showsChanges(row, review)) lenses.push({ line, title: '$(diff) Review Changes', command: 'agentOrchestrator.reviewChanges', args });
  return lenses;
}
