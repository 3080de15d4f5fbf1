// A task's worktree on disk for a user action that needs its files ("Open Task Worktree"): the
// latest attempt's checkout, made again from its branch at the recorded folder when it was removed
// once its work was on the branch (setting keepWorktrees, src/core/run/worktreeSweeper.ts). Review,
// merges, follow-ups and retries need no checkout of the old attempt; only this does. In run/
// because it reads the store and acts through git/.
import { WorktreeManager } from '../git';
import type { OrchestratorSettings } from '../settings';
import type { OrchestratorStore } from '../store';

export interface TaskWorktreeParts {
  readonly store: Pick<OrchestratorStore, 'listAttempts' | 'listPlanTasks'>;
  readonly workspaceRoot: string;
  readonly settings: Pick<OrchestratorSettings, 'branchPrefix' | 'worktreeRoot' | 'useWorktreeInclude'>;
}

export interface TaskWorktree {
  readonly path: string;
  readonly branch: string;
  /** The checkout was made again from the branch (it had been removed). */
  readonly restored: boolean;
}

/** The folder of `taskId`'s latest worktree, checked out again from its branch when it is gone; clear errors otherwise. */
export async function taskWorktree(parts: TaskWorktreeParts, taskId: string): Promise<TaskWorktree> {
  const attempts = parts.store.listAttempts(taskId);
  if (attempts.length === 0) {
    const planned = parts.store.listPlanTasks().some((task) => task.id === taskId);
    throw new Error(planned ? `${taskId} has not run yet, so it has no worktree` : `Unknown task ${taskId}`);
  }
  const latest = attempts.filter((attempt) => attempt.worktree !== null && attempt.branch !== null).at(-1);
  if (!latest) throw new Error(`${taskId} has no worktree: none of its attempts got as far as making one`);
  const path = latest.worktree!;
  const branch = latest.branch!;
  const { settings } = parts;
  const worktrees = new WorktreeManager({
    repoDir: parts.workspaceRoot,
    branchPrefix: settings.branchPrefix,
    worktreeRoot: settings.worktreeRoot,
    ...(settings.useWorktreeInclude ? {} : { include: [] }),
  });
  const restored = await worktrees.restore(path, branch);
  return { path, branch, restored };
}
