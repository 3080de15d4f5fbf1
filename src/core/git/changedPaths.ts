// Which files a task has touched so far, asked of git as cheaply as possible, for the conflict radar
// (src/core/review/conflictRadar.ts) that polls every running task while a run goes on. Three
// questions: what a worktree holds that is not committed (`status`, one process per worktree), what
// a list of commit ranges changed (one `diff-tree --stdin` process for all of them), and which
// commit a worktree's HEAD is on (read from files, no process: the radar asks it every tick).
// Read-only; bare spawns through gitOutput.ts, like the other per-tick queries.
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { gitOutput } from './gitOutput';
import { parseStatusZ } from './porcelain';
import { INCLUDED_LIST } from './worktreeInclude';

/**
 * Paths with uncommitted changes in a worktree, untracked files included (renames give both
 * paths), without the files `.worktreeinclude` copied in: those are in every worktree and never
 * committed (branchWork.ts commitAll), so they are no one's change.
 */
export async function uncommittedPaths(worktree: string): Promise<string[]> {
  // --no-optional-locks: status would otherwise refresh the worktree's index under index.lock, and
  // the agent's own git (or the executor's commit) could meet that lock.
  const [out, included] = await Promise.all([gitOutput(worktree, ['--no-optional-locks', 'status', '--porcelain', '-z', '--untracked-files=all']), includedFiles(worktree)]);
  const paths = parseStatusZ(out).flatMap((entry) => (entry.origPath === undefined ? [entry.path] : [entry.path, entry.origPath]));
  return paths.filter((path) => path.length > 0 && !included.has(path));
}

export interface CommitRange {
  readonly from: string;
  /** A commit id (full, 40 or 64 hex digits): diff-tree echoes it, which is how its output is split. */
  readonly to: string;
}

/**
 * The files each range changed (`from`'s tree against `to`'s), in one git process: a line
 * `<to> <from>` per range into `diff-tree --stdin`, which prints `<to>` and then the paths of
 * each (`--always`: also when nothing changed), in input order.
 */
export async function committedPaths(repoDir: string, ranges: readonly CommitRange[]): Promise<string[][]> {
  if (ranges.length === 0) return [];
  const input = ranges.map((range) => `${range.to} ${range.from}\n`).join('');
  const tokens = (await gitOutput(repoDir, ['diff-tree', '--stdin', '-r', '--name-only', '-z', '--always', '--no-renames'], input)).split('\0');
  const result: string[][] = ranges.map(() => []);
  let index = -1;
  for (const token of tokens) {
    // A path spelled exactly like the next range's commit id would be read as its header; git
    // prints nothing else that could be told apart, and no project names a file so.
    if (index + 1 < ranges.length && token === ranges[index + 1].to) index++;
    else if (token.length > 0 && index >= 0) result[index].push(token);
  }
  if (index !== ranges.length - 1) throw new Error(`git diff-tree answered ${index + 1} of ${ranges.length} commit ranges in ${repoDir}`);
  return result;
}

/** The worktree's own git folder (`.git` is a file naming it), or the `.git` folder of a main checkout. */
async function gitDirOf(worktree: string): Promise<string> {
  const dotGit = join(worktree, '.git');
  const pointer = await fs.readFile(dotGit, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'EISDIR' ? undefined : Promise.reject(error)));
  if (pointer === undefined) return dotGit;
  const named = /^gitdir: (.+)$/m.exec(pointer)?.[1].trim();
  if (!named) throw new Error(`${dotGit} names no git folder`);
  return resolve(worktree, named);
}

async function includedFiles(worktree: string): Promise<Set<string>> {
  try {
    const list = await fs.readFile(join(await gitDirOf(worktree), INCLUDED_LIST), 'utf8');
    return new Set(list.split('\0').filter(Boolean));
  } catch {
    return new Set();
  }
}

const COMMIT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The commit a worktree's HEAD is on, read from git's files (HEAD, then the branch's loose ref or
 * packed-refs) rather than by a process; undefined when they do not say plainly (then ask git),
 * or when the worktree is gone.
 */
export async function readHeadCommit(worktree: string): Promise<string | undefined> {
  try {
    const gitDir = await gitDirOf(worktree);
    const head = (await fs.readFile(join(gitDir, 'HEAD'), 'utf8')).trim();
    if (COMMIT_ID.test(head)) return head; // detached
    const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
    return ref ? await readRef(gitDir, ref) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The commit `branch` points at, read from the repository's files like readHeadCommit: for a
 * finished task whose worktree was removed once its work was on the branch (keepWorktrees).
 */
export async function readBranchCommit(repoDir: string, branch: string): Promise<string | undefined> {
  try {
    return await readRef(await gitDirOf(repoDir), `refs/heads/${branch}`);
  } catch {
    return undefined;
  }
}

/** A ref's commit from the loose ref or packed-refs of the repository `gitDir` belongs to. */
async function readRef(gitDir: string, ref: string): Promise<string | undefined> {
  const commonDir = await fs
    .readFile(join(gitDir, 'commondir'), 'utf8')
    .then((text) => resolve(gitDir, text.trim()))
    .catch(() => gitDir);
  const loose = await fs.readFile(join(commonDir, ref), 'utf8').catch(() => undefined);
  if (loose !== undefined) return COMMIT_ID.test(loose.trim()) ? loose.trim() : undefined;
  const packed = await fs.readFile(join(commonDir, 'packed-refs'), 'utf8').catch(() => '');
  const line = packed.split('\n').find((entry) => entry.endsWith(` ${ref}`));
  const id = line?.split(' ')[0];
  return id && COMMIT_ID.test(id) ? id : undefined;
}
