import { existsSync } from 'node:fs';
import type { SimpleGit } from 'simple-git';
import { MergeConflictError, WorktreeError } from './errors';
import { createGit, gitErrorText, type GitIdentity } from './gitClient';
import { gitOutput } from './gitOutput';
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
 * by .worktreeinclude. Returns the new commit id, or undefined when there was nothing to commit.
 * Hooks are skipped: this is a snapshot of the agent's work; the task's verify command is the gate.
 */
export async function commitAll(worktreePath: string, message: string, identity: GitIdentity): Promise<string | undefined> {
  // An unchanged worktree (a check, a no-op task) costs one git call instead of three.
  if ((await gitOutput(worktreePath, ['status', '--porcelain', '-z', '--untracked-files=all'])).length === 0) return undefined;
  const git = createGit(worktreePath, identity);
  await withLockRetry(() => git.raw(['add', '--all']));
  const listFile = await includedListPath(git, worktreePath);
  if (existsSync(listFile)) {
    await withLockRetry(() => git.raw(['--literal-pathspecs', 'reset', '--quiet', `--pathspec-from-file=${listFile}`, '--pathspec-file-nul']));
  }
  const staged = await git.raw(['diff', '--cached', '--name-only', '-z']);
  if (staged.length === 0) return undefined;
  await withLockRetry(() => git.raw(['commit', '--quiet', '--no-verify', '--allow-empty-message', '-m', message]));
  return (await git.raw(['rev-parse', 'HEAD'])).trim();
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
