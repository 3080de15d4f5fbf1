// How the run's strategy (src/core/strategy.ts) judges the run as a whole: when a top-level task's
// end stops the run early, and the run's status once every task it is about is final. The run's
// top-level tasks are judged like the children of one fan-out parent.
import { DEFAULT_SUCCESS_THRESHOLD, TASK_STATUSES, type Strategy, type TaskStatus } from '../model';
import { aggregateParentStatus } from '../strategy';
import type { RunOutcome, SchedulerState } from './types';

/** Why the run stops now that top-level task `id` ended with `status`, or undefined if it goes on. */
export function earlyStopReason(strategy: Strategy | undefined, id: string, status: SchedulerState): string | undefined {
  const chosen = strategy ?? 'wait_all';
  if (chosen === 'fail_fast' && (status === 'failed' || status === 'timed_out')) return `fail_fast: ${id} ${status}`;
  if (chosen === 'race' && status === 'completed') return `race: ${id} completed first`;
  return undefined;
}

/**
 * The outcome of a run whose tasks are all final: `statuses` holds every task it was about,
 * `topLevel` those not inside a fan-out group. A run the user cancelled is `cancelled`, whatever
 * its strategy would say.
 */
export function runOutcome(
  statuses: ReadonlyMap<string, TaskStatus>,
  topLevel: readonly string[],
  judge: { readonly strategy?: Strategy; readonly threshold?: number },
  cancelledByUser: boolean,
): RunOutcome {
  const counts = Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as Record<TaskStatus, number>;
  for (const status of statuses.values()) counts[status] += 1;
  const status = cancelledByUser
    ? 'cancelled'
    : aggregateParentStatus(
        judge.strategy ?? 'wait_all',
        judge.threshold ?? DEFAULT_SUCCESS_THRESHOLD,
        topLevel.map((id) => statuses.get(id)!),
      );
  return { status, statuses, counts };
}
