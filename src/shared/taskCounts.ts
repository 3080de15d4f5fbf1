// One way to count tasks, used by the tree's status bar item, the dashboard and the toast at the
// end of a run, so the three never disagree. A fan-out parent is not counted: its children are
// the work (an agent each), and the parent's own status only sums theirs up — counting it too
// would make "5 running" out of a limit of 4, and one more task than the run report knows.
// Plain data: the webview bundle imports this file as well.
import type { DisplayStatus } from '../core/model';

/** The status the counts are keyed by (defined in src/core/model.ts), for the views that count. */
export type { DisplayStatus };

export type StatusCounts = Readonly<Record<DisplayStatus, number>> & { readonly total: number };

export interface CountedTask {
  readonly taskId: string;
  readonly status: DisplayStatus;
  readonly parentId: string | null;
}

export const EMPTY_COUNTS: StatusCounts = {
  pending: 0, ready: 0, assigned: 0, spawned: 0, running: 0, completed: 0, failed: 0, timed_out: 0, cancelled: 0, blocked: 0, interrupted: 0, total: 0,
};

export function countTasks(tasks: Iterable<CountedTask>): StatusCounts {
  const all = [...tasks];
  const parents = new Set(all.flatMap((task) => (task.parentId === null ? [] : [task.parentId])));
  const counts: Record<DisplayStatus, number> & { total: number } = { ...EMPTY_COUNTS };
  for (const task of all) {
    if (parents.has(task.taskId)) continue;
    counts[task.status] += 1;
    counts.total += 1;
  }
  return counts;
}

/** The end-of-run sentence: "8 of 10 completed, 1 failed, 1 blocked". */
export function countsSentence(counts: StatusCounts): string {
  const parts = [`${counts.completed} of ${counts.total} completed`];
  const add = (n: number, label: string) => {
    if (n > 0) parts.push(`${n} ${label}`);
  };
  add(counts.failed, 'failed');
  add(counts.timed_out, 'timed out');
  add(counts.blocked, 'blocked');
  add(counts.cancelled, 'cancelled');
  add(counts.interrupted, 'interrupted');
  return parts.join(', ');
}
