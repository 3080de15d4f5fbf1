// What every part of the review room works with: the store (attempts, review states), the
// repository, and the settings (branch prefix, worktree root, merge strategy). The façade
// (src/core/orchestrator.ts) builds one; tests build their own, e.g. to force the fallback precheck.
import { WorktreeManager } from '../git';
import type { OrchestratorSettings } from '../settings';
import type { OrchestratorStore } from '../store';

export interface ReviewContext {
  readonly store: OrchestratorStore;
  /** The workspace: a folder of the repository, and the user's own checkout. */
  readonly repoDir: string;
  readonly settings: OrchestratorSettings;
  /** Simulate merges in a temporary worktree even where `git merge-tree --write-tree` works. */
  readonly forceFallback?: boolean;
  /**
   * Called after tasks' review states changed (merged, discarded): the façade rewrites their runs'
   * summary.md with it (src/core/report/refreshSummaries.ts, a room this one cannot import).
   */
  readonly afterChange?: (taskIds: readonly string[]) => Promise<void>;
}

/** Tells the façade which tasks' review states changed; a report that cannot be rewritten never fails the merge. */
export async function reviewsChanged(context: ReviewContext, taskIds: readonly string[]): Promise<void> {
  if (taskIds.length > 0) await context.afterChange?.(taskIds).catch(() => undefined);
}

/** A worktree manager for the review's own worktrees and for discarding a task's. */
export function worktreesOf(context: ReviewContext): WorktreeManager {
  const { branchPrefix, worktreeRoot } = context.settings;
  return new WorktreeManager({ repoDir: context.repoDir, branchPrefix, worktreeRoot });
}
