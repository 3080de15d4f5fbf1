import { existsSync } from 'node:fs';
import type { SimpleGit } from 'simple-git';
import { MergeConflictError, WorktreeError } from './errors';
import { createGit, gitErrorText, type GitIdentity } from './gitClient';
import { gitBytes, type GitExit } from './gitOutput';
import { withLockRetry } from './lockRetry';
import { checkRefArgument } from './naming';
import { serializeOnRepository } from './repoQueue';
import { parseNumstatZ } from './porcelain';
import { listWorktrees, type OpenRepository } from './repository';
import { includedListPath } from './worktreeInclude';

// Branch work: what happens to the commits on an attempt's branch. Its dependencies' branches are
// merged in before the agent starts, the agent's work is committed after it, what the branch
// changed is counted, and branches no worktree uses any more are deleted. The worktree folders
// themselves are worktreeLifecycle.ts's business.
//
// Who commits: the agent does not. After a successful run the orchestrator calls commitAll(), so
// every agent's work reaches its branch the same way whatever the CLI does (aider commits by
// itself; then there is simply nothing left to commit).

export interface FileDiffStat {
  readonly path: string;
  /** null for binary files. */
  readonly insertions: number | null;
  readonly deletions: number | null;
}

export interface DiffStat {
  readonly files: readonly FileDiffStat[];
  readonly filesChanged: number;
  readonly insertions: number;
  readonly deletions: number;
}

export async function branchExists(git: SimpleGit, branch: string): Promise<boolean> {
  const out = await git.raw(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).catch(() => '');
  return out.trim().length > 0;
}

/**
 * Deletes `branch` if it exists (`branch -D`: its work may be unmerged). One git process when it
 * does; whether it still exists is asked only when the deletion failed, so that a branch already
 * gone is not an error and any other refusal (checked out in a worktree) is.
 */
export async function deleteBranchIfThere(git: SimpleGit, branch: string): Promise<void> {
  try {
    await withLockRetry(() => git.raw(['branch', '-D', branch]));
  } catch (error) {
    if (await branchExists(git, branch)) throw error;
  }
}

/**
 * Merges `dependency` into the worktree `git` works in (on `branch`); on a conflict the merge is
 * aborted and MergeConflictError names every dependency (`all`) and the conflicting files.
 */
export async function mergeDependency(git: SimpleGit, branch: string, dependency: string, all: readonly string[]): Promise<void> {
  const exists = (await git.raw(['rev-parse', '--verify', '--quiet', `${dependency}^{commit}`]).catch(() => '')).trim();
  if (exists.length === 0) throw new WorktreeError('branch-missing', `dependency branch ${dependency} does not exist — was its task's worktree removed with its branch?`);
  let failure: unknown;
  try {
    // --ff overrides a user's merge.ff=only/false; --no-verify skips merge hooks (see commitAll).
    await git.raw(['merge', '--ff', '--no-edit', '--no-verify', '-m', `Merge ${dependency} into ${branch} (dependency)`, dependency]);
  } catch (error) {
    failure = error;
  }
  // A conflicted merge exits 1 with its report on stdout, which simple-git does not always treat
  // as an error: the unmerged paths are the reliable signal.
  const unmerged = (await git.raw(['diff', '--name-only', '--diff-filter=U', '-z'])).split('\0').filter(Boolean);
  if (unmerged.length > 0) {
    await git.raw(['merge', '--abort']).catch(() => undefined);
    throw new MergeConflictError(branch, dependency, all, unmerged);
  }
  if (failure) throw new WorktreeError('merge-failed', `merging ${dependency} into ${branch} failed: ${gitErrorText(failure)}`);
}

/** What `branch` changed since it left `base` (three-dot: relative to their merge base). */
export async function diffStat(git: SimpleGit, branch: string, base: string): Promise<DiffStat> {
  checkRefArgument(branch, 'branch');
  checkRefArgument(base, 'base');
  const output = await git.raw(['diff', '--numstat', '-z', '--no-renames', `${base}...${branch}`]);
  const files: FileDiffStat[] = [...parseNumstatZ(output)].map(([path, counts]) => ({ path, ...counts }));
  return {
    files,
    filesChanged: files.length,
    insertions: files.reduce((n, f) => n + (f.insertions ?? 0), 0),
    deletions: files.reduce((n, f) => n + (f.deletions ?? 0), 0),
  };
}

/**
 * Commits everything in the worktree (new, changed and deleted files) except the files copied
 * by .worktreeinclude. Returns whether a commit was made: false when there was nothing to commit
 * (an unchanged worktree, or an agent that committed its work itself). Nothing in the engine
 * needs the new commit's id, so none is asked for (`git rev-parse HEAD` gives it).
 * Hooks are skipped: this is a snapshot of the agent's work; the task's verify command is the gate.
 */
export async function commitAll(worktreePath: string, message: string, identity: GitIdentity): Promise<boolean> {
  // Every task that changed files runs this, so the usual case costs two git processes: add and
  // commit (bare spawns, gitOutput.ts: simple-git's pipeline costs as much CPU again as the fork).
  // Whether there was anything to commit is asked only when the commit did not happen.
  await withLockRetry(() => gitBytes(worktreePath, ['add', '--all']));
  const listFile = await includedListPath(createGit(worktreePath, identity), worktreePath);
  if (existsSync(listFile)) {
    await withLockRetry(() => gitBytes(worktreePath, ['--literal-pathspecs', 'reset', '--quiet', `--pathspec-from-file=${listFile}`, '--pathspec-file-nul']));
  }
  const commit = await commitStaged(worktreePath, message, identity);
  if (commit.code === 0) return true;
  // Exit 1: nothing was staged, or git refused the commit (a prepare-commit-msg hook, which
  // --no-verify does not skip). The index says which; git's message is localized, so not read.
  if ((await gitBytes(worktreePath, ['diff', '--cached', '--quiet'], [0, 1])).code === 0) return false;
  throw new WorktreeError('git-failed', `committing the work in ${worktreePath} failed: ${gitErrorText(commit.stderr) || gitErrorText(commit.stdout.toString('utf8')) || 'git commit exited 1'}`);
}

/**
 * `git commit` of what is staged, as the orchestrator's identity; resolves with exit 0 (committed)
 * or 1 (not committed, see commitAll), rejects otherwise (after the lock retries: index.lock held).
 */
async function commitStaged(worktreePath: string, message: string, identity: GitIdentity): Promise<GitExit> {
  const args = ['-c', `user.name=${identity.name}`, '-c', `user.email=${identity.email}`, 'commit', '--quiet', '--no-verify', '--allow-empty-message', '-m', message];
  try {
    return await withLockRetry(async () => {
      const exit = await gitBytes(worktreePath, args, [0, 1, 128]);
      // 128 is git's fatal error (a held index.lock, no usable identity): an Error, so lock errors are retried.
      if (exit.code === 128) throw new Error(gitErrorText(exit.stderr) || 'git commit exited 128');
      return exit;
    });
  } catch (error) {
    throw new WorktreeError('git-failed', `committing the work in ${worktreePath} failed: ${gitErrorText(error)}`);
  }
}

/**
 * Deletes the branches with `branchPrefix` that no worktree has checked out (the work of removed
 * worktrees) and `shouldDelete` accepts. Returns the deleted names and the unused ones kept.
 */
export function deleteUnusedBranches(repository: OpenRepository, branchPrefix: string, shouldDelete: (branch: string) => boolean): Promise<{ deleted: string[]; kept: string[] }> {
  const { git } = repository;
  return serializeOnRepository(repository.commonDir, async () => {
    const checkedOut = new Set((await listWorktrees(git)).flatMap((e) => (e.branch ? [e.branch] : [])));
    const refs = await git.raw(['for-each-ref', '--format=%(refname:short)', `refs/heads/${branchPrefix}`]);
    const unused = refs.split('\n').map((name) => name.trim()).filter((name) => name && !checkedOut.has(name));
    const deleted = unused.filter(shouldDelete);
    for (const branch of deleted) await withLockRetry(() => git.raw(['branch', '-D', branch]));
    return { deleted, kept: unused.filter((branch) => !deleted.includes(branch)) };
  });
}
