import type { TaskStatus } from '../model';
import { DEFAULT_BRANCH_PREFIX, isIntegrationBranch } from './naming';
import { WorktreeManager } from './worktreeManager';

// Cleaning up after runs (`clean` in the CLI, "Clean Up Worktrees" in the editor): every worktree
// the orchestrator made is removed, but a branch only when the workspace's database says it is
// ours to delete. The caller reads the database (git does not know it) and passes what it knows as
// a map from branch to the outcome of the attempt that made it.

export interface CleanResult {
  /** The worktrees removed. */
  readonly removed: readonly string[];
  /** Worktree records git still had for folders that were gone. */
  readonly prunedStale: readonly string[];
  /** Branches deleted: of attempts that did not complete, with `deleteBranches` of every recorded attempt. */
  readonly deletedBranches: readonly string[];
  /** Branches with our prefix this database has no record of, left alone (integration branches are ours: not listed). */
  readonly keptUnknownBranches: readonly string[];
}

/** Every branch an attempt in this database made, with that attempt's outcome (null: none recorded). */
export type BranchOutcomes = ReadonlyMap<string, TaskStatus | null>;

export interface CleanRequest {
  /** Any folder inside the repository. */
  readonly repoDir: string;
  readonly branchPrefix?: string;
  readonly worktreeRoot?: string;
  /** Delete the branches of completed attempts too. */
  readonly deleteBranches?: boolean;
}

/**
 * Whether clean may delete `branch`: only if an attempt of ours made it (it is in `outcomes`) and
 * that attempt did not complete, or with `deleteBranches` whatever its outcome. Completed work's
 * branches hold the work to merge back; a branch the database has no record of (another
 * database's run, a deleted database, the user's own) is never ours to judge.
 */
export function mayDeleteBranch(branch: string | null | undefined, outcomes: BranchOutcomes, deleteBranches: boolean): boolean {
  return !!branch && outcomes.has(branch) && (deleteBranches || outcomes.get(branch) !== 'completed');
}

/**
 * Removes the worktrees the orchestrator made in the repository, with the branches
 * mayDeleteBranch() allows, then the allowed branches no worktree uses any more (an earlier clean
 * kept completed work, a create failed). Unknown branches are kept and reported.
 */
export async function cleanWorktrees(request: CleanRequest, outcomes: BranchOutcomes): Promise<CleanResult> {
  const worktrees = new WorktreeManager({ repoDir: request.repoDir, branchPrefix: request.branchPrefix, worktreeRoot: request.worktreeRoot });
  await worktrees.assertRepository(request.repoDir);
  const prunedStale = await worktrees.pruneStale();
  const removable = (branch: string | null | undefined): boolean => mayDeleteBranch(branch, outcomes, request.deleteBranches === true);
  const removed: string[] = [];
  const deletedBranches: string[] = [];
  for (const entry of await worktrees.listManaged()) {
    const deleteBranch = removable(entry.branch);
    await worktrees.remove(entry.path, { deleteBranch, branch: entry.branch ?? undefined });
    removed.push(entry.path);
    if (deleteBranch) deletedBranches.push(entry.branch!);
  }
  // Branches left without a worktree (an earlier clean kept completed work, a failed create).
  const unused = await worktrees.deleteUnusedBranches(removable);
  return {
    removed,
    prunedStale,
    deletedBranches: [...deletedBranches, ...unused.deleted],
    // An integration branch (`<prefix>integrate/<run>`) holds merged work, not an attempt's: never
    // deleted (no attempt made it) and not "unknown" either.
    keptUnknownBranches: unused.kept.filter((branch) => !outcomes.has(branch) && !isIntegrationBranch(request.branchPrefix ?? DEFAULT_BRANCH_PREFIX, branch)),
  };
}
