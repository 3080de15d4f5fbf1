import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { BaseNotFoundError, NoCommitError, NotARepositoryError, WorktreeError } from './errors';
import { createGit, gitErrorText, type GitIdentity } from './gitClient';
import { realpathOr } from './paths';
import { parseWorktreeList, type WorktreeEntry } from './porcelain';

// Repository probing: is the folder a usable repository (not bare, with a commit), where is its
// main working tree, which commit do HEAD and a run's base name, and which worktrees does git know.
// Questions only: nothing here changes the repository, so nothing here needs the repository queue
// (repoQueue.ts); the rooms that change it (worktreeLifecycle.ts, branchWork.ts) hold the queue.

export interface RepositoryInfo {
  /** Top-level folder of the main working tree. */
  readonly root: string;
  /** Real path of the shared .git folder: the identity of the repository. */
  readonly commonDir: string;
  /** The commit HEAD named when the repository was checked. */
  readonly head: string;
}

/** A checked repository and a git client rooted in its main working tree. */
export type OpenRepository = RepositoryInfo & { git: SimpleGit };

export function isCommitId(text: string): boolean {
  return /^[0-9a-f]{40,64}$/.test(text);
}

export async function describeRepository(dir: string): Promise<OpenRepository> {
  const absolute = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(absolute).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new NotARepositoryError(absolute, 'the folder does not exist');
  const git = createGit(absolute);
  // Usually one git process answers everything; when it fails, the step-by-step checks below say why.
  const quick = await git.raw(['rev-parse', '--git-common-dir', '--is-bare-repository', '--show-toplevel', '--verify', '--quiet', 'HEAD^{commit}']).catch(() => '');
  const [commonDir, bare, topLevel, head] = quick.split('\n').map((line) => line.trim());
  if (commonDir && bare === 'false' && topLevel && head && isCommitId(head)) {
    const common = realpathOr(resolve(absolute, commonDir));
    const root = basename(common) === '.git' ? dirname(common) : realpathOr(topLevel);
    return { root, commonDir: common, head, git: createGit(root) };
  }
  return describeStepByStep(absolute, git);
}

/** The slow path of describeRepository: one question at a time, so the error names what is wrong. */
async function describeStepByStep(absolute: string, git: SimpleGit): Promise<OpenRepository> {
  let commonDir: string;
  try {
    commonDir = (await git.raw(['rev-parse', '--git-common-dir'])).trim();
  } catch (error) {
    throw new NotARepositoryError(absolute, /not a git repository/i.test(gitErrorText(error)) ? undefined : gitErrorText(error));
  }
  if (commonDir.length === 0) throw new NotARepositoryError(absolute);
  if ((await git.raw(['rev-parse', '--is-bare-repository'])).trim() === 'true') {
    throw new WorktreeError('bare-repository', `${absolute} is a bare repository — open a folder with a working tree`);
  }
  const common = realpathOr(resolve(absolute, commonDir));
  // The main working tree, even when `dir` is inside a linked worktree.
  const root = basename(common) === '.git' ? dirname(common) : realpathOr((await git.raw(['rev-parse', '--show-toplevel'])).trim());
  const head = (await git.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).catch(() => '')).trim();
  if (!isCommitId(head)) throw new NoCommitError(root);
  return { root, commonDir: common, head, git: createGit(root) };
}

/** Every worktree git knows of the repository, the main working tree first. */
export async function listWorktrees(git: SimpleGit): Promise<WorktreeEntry[]> {
  return parseWorktreeList(await git.raw(['worktree', 'list', '--porcelain']));
}

/**
 * One repository, checked once and then remembered: the answer every later call of a run uses.
 * Also remembers the commit ids it has resolved, so the run's base is resolved once per run, not
 * once per task.
 */
export class RepositoryProbe {
  private info: Promise<OpenRepository> | undefined;
  /** Commit ids resolveBase has checked: a commit id names the same commit for good. */
  private readonly knownCommits = new Set<string>();

  /** `repoDir`: any folder inside the repository; `identity`: author of the commits made through `git`. */
  constructor(
    private readonly repoDir: string,
    private readonly identity: GitIdentity,
  ) {}

  /** The checked repository, its client carrying the orchestrator's identity. */
  open(): Promise<OpenRepository> {
    if (!this.info) {
      const pending = describeRepository(this.repoDir).then((info) => {
        this.knownCommits.add(info.head);
        return { ...info, git: createGit(info.root, this.identity) };
      });
      this.info = pending;
      // A failed check is not cached: the user may fix the repository and try again.
      pending.catch(() => {
        if (this.info === pending) this.info = undefined;
      });
    }
    return this.info;
  }

  /** Checks that `dir` (default: this repository) is a usable repository; clear errors otherwise. */
  async assert(dir: string = this.repoDir): Promise<RepositoryInfo> {
    // This repository is checked once; its answer is what every later call uses.
    const { root, commonDir, head } = resolve(dir) === resolve(this.repoDir) ? await this.open() : await describeRepository(dir);
    return { root, commonDir, head };
  }

  /** The commit id `ref` names; BaseNotFoundError when it names none. */
  async resolveBase(ref: string): Promise<string> {
    if (this.knownCommits.has(ref)) return ref; // e.g. the run's base, resolved once per run, not per task
    const { git, root } = await this.open();
    if (ref.length === 0 || ref.startsWith('-')) throw new BaseNotFoundError(ref, root);
    const sha = (await git.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => '')).trim();
    if (!isCommitId(sha)) throw new BaseNotFoundError(ref, root);
    this.knownCommits.add(sha);
    return sha;
  }
}
