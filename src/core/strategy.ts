// A fan-out parent runs no agent: its status is a function of its children's.
//
// Children fall into four groups:
//   succeeded  completed
//   failed     failed, timed_out
//   stopped    cancelled, blocked (they will not run unless retried)
//   unfinished spawned, running, interrupted
//
// | strategy    | decided early when                      | all children final                         |
// |-------------|-----------------------------------------|--------------------------------------------|
// | wait_all    | never                                   | completed if all completed, else outcome*  |
// | fail_fast   | any failed/timed_out → failed           | completed if all completed, else outcome*  |
// | best_effort | never                                   | completed if completed/total ≥ threshold   |
// |             |                                         | (default 0.8), else outcome*               |
// | race        | any completed → completed               | outcome*                                   |
//
// outcome*: failed if any child failed or timed out, else blocked if any is blocked, else cancelled.
//
// Until decided, the parent is: running if any child is running; else interrupted if any child
// was interrupted (the run can resume); else running if some child is final and the rest wait for
// a slot (the group is under way); else spawned (nothing started yet).
// No children at all counts as every child having completed.

import { DEFAULT_SUCCESS_THRESHOLD, type Strategy, type TaskStatus } from './model';

function outcomeOfUnsuccessful(statuses: readonly TaskStatus[]): TaskStatus {
  if (statuses.some((status) => status === 'failed' || status === 'timed_out')) return 'failed';
  if (statuses.includes('blocked')) return 'blocked';
  return 'cancelled';
}

function progressOf(statuses: readonly TaskStatus[]): TaskStatus {
  if (statuses.includes('running')) return 'running';
  if (statuses.includes('interrupted')) return 'interrupted';
  return statuses.every((status) => status === 'spawned') ? 'spawned' : 'running';
}

/** The status of a fan-out parent given its children's; `threshold` matters only for best_effort. */
export function aggregateParentStatus(
  strategy: Strategy,
  threshold: number | undefined,
  childStatuses: readonly TaskStatus[],
): TaskStatus {
  const completed = childStatuses.filter((status) => status === 'completed').length;
  const unfinished = childStatuses.some((status) => status === 'spawned' || status === 'running' || status === 'interrupted');

  if (strategy === 'race' && completed > 0) return 'completed';
  if (strategy === 'fail_fast' && childStatuses.some((status) => status === 'failed' || status === 'timed_out')) return 'failed';
  if (unfinished) return progressOf(childStatuses);

  const total = childStatuses.length;
  switch (strategy) {
    case 'wait_all':
    case 'fail_fast':
      return completed === total ? 'completed' : outcomeOfUnsuccessful(childStatuses);
    case 'best_effort':
      return total === 0 || completed / total >= (threshold ?? DEFAULT_SUCCESS_THRESHOLD)
        ? 'completed'
        : outcomeOfUnsuccessful(childStatuses);
    case 'race':
      return total === 0 ? 'completed' : outcomeOfUnsuccessful(childStatuses);
  }
}
