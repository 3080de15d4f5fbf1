import { existsSync, promises as fs, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { SimpleGit } from 'simple-git';
import type { ProcessLauncher } from '../process';
import type { BranchNameCheck } from './branchNameCheck';
import { branchExists, deleteBranchIfThere, mergeDependency } from './branchWork';
import { BranchExistsError, WorktreeError, WorktreePathTakenError } from './errors';
import { createGit, type GitIdentity } from './gitClient';
import { withLockRetry } from './lockRetry';
import { attemptBranch, attemptFolder, checkRefArgument } from './naming';
import { isInside, realpathOr } from './paths';
import { serializeOnRepository } from './repoQueue';
import type { WorktreeEntry } from './porcelain';
import { listWorktrees, type RepositoryProbe } from './repository';
import { runSetupCommand } from './setupCommand';
import { copyIncludedFiles, DEFAULT_INCLUDE_FILE, readIncludePatterns, recordIncludedFiles } from './worktreeInclude';

// The worktree lifecycle: a task attempt's worktree is created (registered, checked out, its
// dependencies merged in, include files copied, the setup command run), listed while it lives,
// and removed; records of worktrees whose folders vanished are pruned. Registering and removing
// change the repository's shared state, so they run in the repository queue (repoQueue.ts).
//
// Where worktrees live: by default in a sibling folder of the repository,
// `<parent>/.<repo>-worktrees/`. Outside the workspace, so the editor's file watcher, search and
// language servers do not index N copies of the project; on the same disk, so creating and copying
// is fast; and not in the OS temp folder, which may be cleaned while an interrupted run waits to be
// resumed. Pass `worktreeRoot` to put them elsewhere.

/** How a run's worktrees are made: where they go, what is copied in, what runs in them. */
export interface WorktreeSetupOptions {
  /** Default `<repo parent>/.<repo name>-worktrees`. */
  readonly worktreeRoot?: string;
  /** Repository-relative; default ".worktreeinclude". */
  readonly includeFile?: string;
  /** More include patterns (e.g. from settings), same syntax as the file's lines. */
  readonly include?: readonly string[];
  /** argv run in each new worktree after merges and includes, before the agent (e.g. ["npm", "ci"]). */
  readonly setupCommand?: readonly string[];
  /** Default 10 minutes. */
  readonly setupTimeoutMs?: number;
  /** See CHECKOUT_IN_QUEUE_MAX_INDEX_BYTES (the default); 0 always checks out outside the queue. */
  readonly checkoutInQueueMaxIndexBytes?: number;
}

export interface WorktreeLifecycleOptions extends WorktreeSetupOptions {
  readonly branchPrefix: string;
  /** Author and committer of the dependency merges. */
  readonly identity: GitIdentity;
  /** Runs the setup command. */
  readonly launcher: ProcessLauncher;
}

export interface CreateWorktreeRequest {
  readonly taskId: string;
  /** 1 for the first attempt; each retry gets a fresh worktree and branch. */
  readonly attempt: number;
  /** A commit-ish; resolved to a commit id first. */
  readonly baseCommit: string;
  /** Branches of completed dependencies, merged in this order before the agent starts. */
  readonly mergeBranches?: readonly string[];
  /** Output of the setup command goes here. */
  readonly setupLogFile?: string;
  /** Cancels a running setup command. */
  readonly signal?: AbortSignal;
}

export interface CreatedWorktree {
  readonly path: string;
  readonly branch: string;
  /** The base, resolved to a commit id. */
  readonly baseCommit: string;
  /** HEAD after the dependency merges: diff against it to see only this task's own work. */
  readonly startCommit: string;
  /** Files copied by .worktreeinclude (repository-relative); never committed by commitAll. */
  readonly includedFiles: readonly string[];
}

export interface ManagedWorktree {
  readonly path: string;
  readonly branch: string | undefined;
  readonly head: string | undefined;
  readonly locked: boolean;
  readonly prunable: boolean;
}

/**
 * Up to this size of the main worktree's index (roughly 2,500 tracked files), a new worktree is
 * checked out by `worktree add` itself, while the repository queue is held: one git process per
 * worktree instead of two, and the checkout is quick. Above it, the worktree is only registered
 * in the queue and filled outside it, so that big checkouts of parallel starts overlap.
 */
const CHECKOUT_IN_QUEUE_MAX_INDEX_BYTES = 256 * 1024;

/** See CHECKOUT_IN_QUEUE_MAX_INDEX_BYTES; an unreadable index counts as big (the safe choice). */
function isSmallIndex(commonDir: string, maxBytes: number): boolean {
  try {
    return statSync(join(commonDir, 'index')).size <= maxBytes;
  } catch {
    return false;
  }
}

/** `git worktree remove --force`, lock errors retried after a prune of half-registered worktrees. */
function forceRemove(git: SimpleGit, path: string): Promise<string> {
  return withLockRetry(() => git.raw(['worktree', 'remove', '--force', path]), {
    beforeRetry: async () => void (await git.raw(['worktree', 'prune']).catch(() => undefined)),
  });
}

export class WorktreeLifecycle {
  /** The include patterns, read once per lifecycle (one run). */
  private includePatterns: Promise<string[]> | undefined;

  constructor(
    private readonly repository: RepositoryProbe,
    private readonly branchNames: BranchNameCheck,
    private readonly options: WorktreeLifecycleOptions,
  ) {}

  /** Where worktrees of this repository are created. */
  async root(): Promise<string> {
    const { root } = await this.repository.open();
    return this.options.worktreeRoot ? resolve(this.options.worktreeRoot) : join(dirname(root), `.${basename(root)}-worktrees`);
  }

  /** The patterns of the repository's include file, read once. */
  readIncludePatterns(repositoryRoot: string): Promise<string[]> {
    return (this.includePatterns ??= readIncludePatterns(join(repositoryRoot, this.options.includeFile ?? DEFAULT_INCLUDE_FILE)));
  }

  /**
   * A new worktree and branch for one task attempt, starting at `baseCommit` with the dependency
   * branches merged in, the include files copied and the setup command run. On any failure the
   * half-made worktree and its branch are removed before the error is thrown.
   */
  async create(request: CreateWorktreeRequest): Promise<CreatedWorktree> {
    const info = await this.repository.open();
    const branch = attemptBranch(this.options.branchPrefix, request.taskId, request.attempt);
    await this.branchNames.check(info.git, branch, request.taskId);
    const rootDir = await this.root();
    const path = join(rootDir, attemptFolder(request.taskId, request.attempt));
    if (existsSync(path)) throw new WorktreePathTakenError(path);
    const mergeBranches = [...(request.mergeBranches ?? [])];
    mergeBranches.forEach((b) => checkRefArgument(b, 'dependency branch'));
    const baseCommit = await this.repository.resolveBase(request.baseCommit);
    const includePatterns = [...(await this.readIncludePatterns(info.root)), ...(this.options.include ?? [])];
    const checkoutInQueue = isSmallIndex(info.commonDir, this.options.checkoutInQueueMaxIndexBytes ?? CHECKOUT_IN_QUEUE_MAX_INDEX_BYTES);

    // Before the queue, not in it: every attempt's add passes through the queue, one at a time,
    // so it is a run's critical path; there this thread-pool round trip (queued behind the
    // database's fsyncs) held the next add back 6-9 ms (median), ~1 ms once it moved out.
    await fs.mkdir(rootDir, { recursive: true });
    await serializeOnRepository(info.commonDir, async () => {
      // Checked again inside the queue: another create may have taken them meanwhile.
      if (existsSync(path)) throw new WorktreePathTakenError(path);
      // No separate "does the branch exist" call while the queue is held: `worktree add -b` refuses
      // an existing branch before touching anything, and that refusal is not a lock error, so the
      // clean-up below (which deletes the branch) only ever runs for a branch this add created.
      // Only registering the worktree and its branch needs the repository to itself; filling it
      // touches the worktree's own index and files, so a big checkout runs outside the queue.
      const checkout = checkoutInQueue ? [] : ['--no-checkout'];
      await withLockRetry(() => info.git.raw(['worktree', 'add', ...checkout, '--no-track', '-b', branch, path, baseCommit]), {
        // A failed add can leave the branch, the folder or a half-registered worktree behind.
        beforeRetry: async () => {
          await fs.rm(path, { recursive: true, force: true });
          await info.git.raw(['worktree', 'prune']).catch(() => undefined);
          if (await branchExists(info.git, branch)) await info.git.raw(['branch', '-D', branch]).catch(() => undefined);
        },
      }).catch((error: unknown) => {
        if (/a branch named .* already exists/i.test(String((error as Error)?.message ?? error))) throw new BranchExistsError(branch);
        throw error;
      });
    });

    try {
      const git = createGit(path, this.options.identity);
      if (!checkoutInQueue) await git.raw(['reset', '--hard', '--quiet']);
      for (const dependency of mergeBranches) await mergeDependency(git, branch, dependency, mergeBranches);
      // Without merges HEAD is still the commit the worktree was added at.
      const startCommit = mergeBranches.length > 0 ? (await git.raw(['rev-parse', 'HEAD'])).trim() : baseCommit;
      // After the merges: an untracked copy could otherwise block a merge that adds the same file.
      const includedFiles = await copyIncludedFiles(info.root, path, includePatterns);
      if (includedFiles.length > 0) await recordIncludedFiles(git, path, includedFiles);
      await runSetupCommand(this.options.launcher, {
        command: this.options.setupCommand,
        taskId: request.taskId,
        worktreePath: path,
        timeoutMs: this.options.setupTimeoutMs,
        signal: request.signal,
        logFile: request.setupLogFile,
      });
      return { path, branch, baseCommit, startCommit, includedFiles };
    } catch (error) {
      await this.remove(path, { deleteBranch: true, branch }).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Removes a worktree (with whatever the agent left in it) and optionally its branch. Removing a
   * worktree that is already gone is not an error, so clean-up can always be retried.
   */
  async remove(path: string, options: { deleteBranch?: boolean; branch?: string } = {}): Promise<void> {
    const info = await this.repository.open();
    const rootDir = await this.root();
    await serializeOnRepository(info.commonDir, async () => {
      // The usual call (every attempt's worktree, once its work is on the branch) names a registered
      // task worktree: one git process, with no `worktree list` first. git itself refuses the main
      // working tree and a folder that is not a worktree; those, and a branch to delete that the
      // caller did not name, go the list's way below, which says what is wrong. Absolute paths
      // only: git also takes a unique path suffix, so a relative name could match another worktree.
      const direct = isAbsolute(path) && (!options.deleteBranch || options.branch !== undefined) && (await this.removeRegistered(info.git, path));
      const entry = direct ? undefined : await this.removeListed(info.git, path, rootDir, info.root);
      const branch = options.branch ?? entry?.branch;
      if (options.deleteBranch && branch) await deleteBranchIfThere(info.git, branch);
    });
  }

  /** `worktree remove --force` of `path` as given; false when git refused it (see remove). */
  private removeRegistered(git: SimpleGit, path: string): Promise<boolean> {
    return forceRemove(git, path).then(
      () => true,
      () => false,
    );
  }

  /** remove()'s careful way: finds `path` among the registered worktrees first. Returns its entry, if registered. */
  private async removeListed(git: SimpleGit, path: string, rootDir: string, repositoryRoot: string): Promise<WorktreeEntry | undefined> {
    const entries = await listWorktrees(git);
    const target = realpathOr(path);
    const index = entries.findIndex((e) => realpathOr(e.path) === target);
    if (index === 0) throw new WorktreeError('not-a-worktree', `${path} is the main working tree, not a task worktree`);
    const entry = index > 0 ? entries[index] : undefined;
    if (entry) {
      await forceRemove(git, entry.path);
    } else if (existsSync(path)) {
      // Not registered (a create that failed half-way): only delete folders we own.
      if (!isInside(realpathOr(rootDir), target)) throw new WorktreeError('not-a-worktree', `${path} is not a worktree of ${repositoryRoot}`);
      await fs.rm(path, { recursive: true, force: true });
    }
    return entry;
  }

  /**
   * Checks `branch` out again at `path`, for an attempt whose worktree was removed once its work
   * was on the branch (setting keepWorktrees): the branch's commits are the work, so nothing is
   * merged, and the include files are copied in again. A worktree already there on that branch is
   * returned as it is. Returns whether a checkout was made.
   */
  async restore(path: string, branch: string): Promise<boolean> {
    const info = await this.repository.open();
    checkRefArgument(branch, 'branch');
    const target = realpathOr(path);
    const registered = (await listWorktrees(info.git)).find((e) => realpathOr(e.path) === target && existsSync(e.path));
    if (registered) {
      if (registered.branch === branch) return false;
      throw new WorktreePathTakenError(path);
    }
    if (existsSync(path)) throw new WorktreePathTakenError(path);
    if (!(await branchExists(info.git, branch))) throw new WorktreeError('branch-missing', `the branch ${branch} no longer exists (discarded, or cleaned with its branches): there is nothing to check out at ${path}`);
    await fs.mkdir(dirname(path), { recursive: true });
    await serializeOnRepository(info.commonDir, async () => {
      // The removed folder's record, if git still has one, would make `worktree add` refuse the path.
      await info.git.raw(['worktree', 'prune']);
      await withLockRetry(() => info.git.raw(['worktree', 'add', path, branch]), {
        beforeRetry: async () => {
          await fs.rm(path, { recursive: true, force: true });
          await info.git.raw(['worktree', 'prune']).catch(() => undefined);
        },
      });
    });
    const includePatterns = [...(await this.readIncludePatterns(info.root)), ...(this.options.include ?? [])];
    const includedFiles = await copyIncludedFiles(info.root, path, includePatterns);
    if (includedFiles.length > 0) await recordIncludedFiles(createGit(path, this.options.identity), path, includedFiles);
    return true;
  }

  /** Drops the records of worktrees whose folders are gone (run at start). Returns their paths. */
  async pruneStale(): Promise<string[]> {
    const info = await this.repository.open();
    return serializeOnRepository(info.commonDir, async () => {
      const stale = (await listWorktrees(info.git)).slice(1).filter((e) => e.prunable || !existsSync(e.path));
      // Nothing stale: no second git process at the start of every run.
      if (stale.length > 0) await withLockRetry(() => info.git.raw(['worktree', 'prune']));
      return stale.map((e) => e.path);
    });
  }

  /** Worktrees made by this orchestrator: on a branch with our prefix or inside our worktree root. */
  async listManaged(): Promise<ManagedWorktree[]> {
    const info = await this.repository.open();
    const rootDir = realpathOr(await this.root());
    const entries = (await listWorktrees(info.git)).slice(1);
    return entries
      .filter((e) => e.branch?.startsWith(this.options.branchPrefix) || isInside(rootDir, realpathOr(e.path)))
      .map(({ path, branch, head, locked, prunable }) => ({ path, branch, head, locked, prunable }));
  }
}
