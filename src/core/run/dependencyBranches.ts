// Which branches hold the completed work a task builds on: the executor merges them into the
// task's fresh worktree before its agent starts. Lives in run/ beside the executor that uses it;
// which tasks count as prerequisites is the task graph's rule (prerequisitesOf in src/core/graph.ts).
import { prerequisitesOf } from '../graph';
import type { PlanTask } from '../model';
import type { AttemptRecord } from '../store';

/** The part of the store this reads: a task's attempts, oldest first. */
export interface AttemptHistory {
  listAttempts(taskId: string): AttemptRecord[];
}

/**
 * The branch of each prerequisite's last completed attempt. A prerequisite that is a fan-out
 * parent did no work itself: its children's branches stand in for it. Prerequisites without a
 * completed, branched attempt give none.
 */
export function dependencyBranches(task: PlanTask, byId: ReadonlyMap<string, PlanTask>, attempts: AttemptHistory): string[] {
  const childrenOf = (id: string) => [...byId.values()].filter((t) => t.parentId === id).map((t) => t.id);
  const branches = prerequisitesOf(task, byId).flatMap((id) => {
    const children = childrenOf(id);
    return children.length > 0 ? children : [id];
  }).flatMap((id) => {
    const completed = attempts.listAttempts(id).filter((attempt) => attempt.outcome === 'completed' && attempt.branch);
    return completed.length > 0 ? [completed.at(-1)!.branch!] : [];
  });
  return [...new Set(branches)];
}
