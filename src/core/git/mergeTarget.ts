// Where a merge's target branch lives before anything is merged into it (src/core/review/ asks):
// checked out in the user's own checkout, in another worktree, or nowhere; and which of the files
// a merge would touch the checkout has uncommitted changes in, so the user's work is never mixed
// into a merge or overwritten by one.
import { realpathSync } from 'node:fs';
import { gitBytes, gitOutput } from './gitOutput';
import { parseStatusZ, parseWorktreeList } from './porcelain';

export interface TargetCheckout {
  readonly path: string;
  /** The checkout the workspace itself is (the user's), rather than another worktree. */
  readonly isWorkspace: boolean;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The worktree `branch` is checked out in, if any. */
export async function findCheckout(repoDir: string, branch: string): Promise<TargetCheckout | null> {
  const [list, top] = await Promise.all([gitOutput(repoDir, ['worktree', 'list', '--porcelain']), gitOutput(repoDir, ['rev-parse', '--show-toplevel'])]);
  const entry = parseWorktreeList(list).find((e) => e.branch === branch && !e.prunable);
  if (!entry) return null;
  return { path: entry.path, isWorkspace: real(entry.path) === real(top.trim()) };
}

/** Whether `refs/heads/<branch>` exists; its commit when it does. */
export async function branchCommit(repoDir: string, branch: string): Promise<string | undefined> {
  const result = await gitBytes(repoDir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], [0, 1]);
  return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
}

/**
 * Files with uncommitted changes in the checkout at `cwd` (staged, unstaged or untracked), and
 * those of them that are staged: a merge's commit would take staged changes with it.
 */
export async function uncommittedFiles(cwd: string): Promise<{ changed: Set<string>; staged: Set<string> }> {
  const changed = new Set<string>();
  const staged = new Set<string>();
  for (const entry of parseStatusZ(await gitOutput(cwd, ['status', '--porcelain', '-z', '--untracked-files=all']))) {
    changed.add(entry.path);
    if (entry.index !== ' ' && entry.index !== '?') staged.add(entry.path);
    if (entry.origPath !== undefined) changed.add(entry.origPath);
  }
  return { changed, staged };
}
