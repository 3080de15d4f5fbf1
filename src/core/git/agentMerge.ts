// "Resolve with Agent" at the git level (docs/review.md): a task's branch merged into a worktree
// of the target without committing, its conflicts left in the files for the agent; the merge
// concluded once the agent is done; the target fast-forwarded to the result. Unlike
// branchWork.ts's dependency merges, a conflict here is not aborted: it is the agent's work.
import { createGit, type GitIdentity } from './gitClient';
import { gitOutput } from './gitOutput';
import { withLockRetry } from './lockRetry';
import { checkRefArgument } from './naming';
import { serializeOnRepository } from './repoQueue';
import { listWorktrees, type OpenRepository } from './repository';
import { WorktreeError } from './errors';
import { realpathOr } from './paths';

/** Unmerged paths of the worktree's index (a merge stopped on conflicts). */
export async function unmergedPaths(worktree: string): Promise<string[]> {
  return (await gitOutput(worktree, ['diff', '--name-only', '--diff-filter=U', '-z'])).split('\0').filter(Boolean);
}

/**
 * Merges `branch` into the worktree's HEAD without committing (`--no-ff --no-commit`): clean parts
 * staged, conflicts left in the files with their markers, the repository in git's merge state.
 * Returns the conflicted paths (none: the merge applied cleanly and only needs its commit).
 */
export async function mergeLeavingConflicts(worktree: string, branch: string): Promise<string[]> {
  checkRefArgument(branch, 'branch');
  try {
    await gitOutput(worktree, ['merge', '--no-ff', '--no-commit', '--no-verify', branch]);
  } catch (error) {
    // A conflicted merge exits 1; the unmerged paths tell it from a merge that could not start.
    const conflicted = await unmergedPaths(worktree);
    if (conflicted.length === 0) throw new WorktreeError('merge-failed', `merging ${branch} in ${worktree} failed: ${(error as Error).message}`);
    return conflicted;
  }
  return [];
}

/**
 * The task ids named in the commits `target` has and `branch` has not, among those touching
 * `files`: the other tasks whose work the conflicts are with (merge commits name their task,
 * src/core/review/ and the executor's commit messages).
 */
export async function tasksOnTargetTouching(repoDir: string, target: string, branch: string, files: readonly string[], ownTaskId: string): Promise<string[]> {
  if (files.length === 0) return [];
  checkRefArgument(target, 'target');
  checkRefArgument(branch, 'branch');
  const log = await gitOutput(repoDir, ['log', '--format=%s%n%b', `${branch}..${target}`, '--', ...files]).catch(() => '');
  const ids = new Set(log.match(/\bTASK-\d+(?:-\d+)+\b/g) ?? []);
  ids.delete(ownTaskId);
  return [...ids].sort();
}

/** Files among `paths` of the worktree that still hold conflict markers. */
export async function filesWithConflictMarkers(worktree: string, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const out = await gitOutput(worktree, ['grep', '-l', '-z', '-E', '--no-index', '^(<<<<<<<|>>>>>>>)( |$)', '--', ...paths]).catch(() => '');
  return out.split('\0').filter(Boolean);
}

/** Whether the worktree is in the middle of a merge (MERGE_HEAD exists). */
export async function isMerging(worktree: string): Promise<boolean> {
  return (await gitOutput(worktree, ['rev-parse', '-q', '--verify', 'MERGE_HEAD']).catch(() => '')).trim().length > 0;
}

/**
 * Concludes a merge the agent resolved but commitAll found nothing to commit for (the result equals
 * HEAD's tree): the merge commit is still made, so the task's branch counts as merged.
 */
export async function concludeMerge(worktree: string, message: string, identity: GitIdentity): Promise<string> {
  const git = createGit(worktree, identity);
  if (await isMerging(worktree)) await withLockRetry(() => git.raw(['commit', '--quiet', '--no-verify', '--allow-empty', '-m', message]));
  return (await git.raw(['rev-parse', 'HEAD'])).trim();
}

/**
 * Moves `branch` forward to `commit`, which must contain it. Where the branch is checked out, by
 * `merge --ff-only` in that worktree (so its files follow; git refuses if local changes are in the
 * way); elsewhere by `update-ref` with the old value, so a concurrent move is not overwritten.
 */
export async function fastForwardBranch(repository: OpenRepository, branch: string, commit: string): Promise<void> {
  checkRefArgument(branch, 'branch');
  const { git, commonDir } = repository;
  await serializeOnRepository(commonDir, async () => {
    const old = (await git.raw(['rev-parse', '--verify', `refs/heads/${branch}^{commit}`]).catch(() => '')).trim();
    if (!old) throw new WorktreeError('branch-missing', `branch ${branch} does not exist`);
    const contains = await git.raw(['merge-base', '--is-ancestor', old, commit]).then(() => true, () => false);
    if (!contains) throw new WorktreeError('merge-failed', `${branch} moved since the attempt started (it is not an ancestor of ${commit.slice(0, 12)}); send the resolve again`);
    const holder = (await listWorktrees(git)).find((entry) => entry.branch === branch);
    if (holder) {
      await gitOutput(realpathOr(holder.path), ['merge', '--ff-only', '--no-verify', commit]);
      return;
    }
    await withLockRetry(() => git.raw(['update-ref', '-m', `agent-orchestrator: resolve into ${branch}`, `refs/heads/${branch}`, commit, old]));
  });
}
