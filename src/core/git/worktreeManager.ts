import { resolve } from 'node:path';
import { NodeProcessLauncher, type ProcessLauncher } from '../process';
import { BranchNameCheck } from './branchNameCheck';
import { commitAll, deleteUnusedBranches, diffStat, type DiffStat } from './branchWork';
import { createGit, ORCHESTRATOR_IDENTITY, type GitIdentity } from './gitClient';
import { DEFAULT_BRANCH_PREFIX } from './naming';
import { RepositoryProbe, type RepositoryInfo } from './repository';
import { WorktreeLifecycle, type CreatedWorktree, type CreateWorktreeRequest, type ManagedWorktree, type WorktreeSetupOptions } from './worktreeLifecycle';

// One git worktree and one branch per task attempt, so agents running in parallel never see
// each other's half-done edits, and every attempt's work ends up on its own branch.
//
// WorktreeManager is what the rest of the engine holds for one run: it composes the rooms of
// src/core/git and decides nothing itself. Repository probing is in repository.ts, the branch-name
// check in branchNameCheck.ts, creating, listing and removing worktrees in worktreeLifecycle.ts,
// and what happens on the branches (dependency merges, commits, diff stats) in branchWork.ts.
// Commands that change the repository's shared worktree records or delete branches run in its
// queue (repoQueue.ts); work inside one attempt's own worktree (merges, commits) does not need it.

export interface WorktreeManagerOptions extends WorktreeSetupOptions {
  /** Any folder inside the repository. */
  readonly repoDir: string;
  /** Default "orch/": branches are orch/<task>/a<attempt>. */
  readonly branchPrefix?: string;
  /** Runs the setup command; default the Node launcher. */
  readonly launcher?: ProcessLauncher;
  /** Author and committer of merge and snapshot commits. */
  readonly identity?: GitIdentity;
}

export class WorktreeManager {
  private readonly branchPrefix: string;
  private readonly identity: GitIdentity;
  private readonly repository: RepositoryProbe;
  private readonly branchNames: BranchNameCheck;
  private readonly worktrees: WorktreeLifecycle;

  constructor(private readonly options: WorktreeManagerOptions) {
    this.branchPrefix = options.branchPrefix ?? DEFAULT_BRANCH_PREFIX;
    this.identity = options.identity ?? ORCHESTRATOR_IDENTITY;
    this.repository = new RepositoryProbe(options.repoDir, this.identity);
    this.branchNames = new BranchNameCheck(this.branchPrefix);
    this.worktrees = new WorktreeLifecycle(this.repository, this.branchNames, {
      ...options,
      branchPrefix: this.branchPrefix,
      identity: this.identity,
      launcher: options.launcher ?? new NodeProcessLauncher(),
    });
  }

  /** Checks that `dir` (default: the manager's repository) is a usable repository; clear errors otherwise. */
  assertRepository(dir: string = this.options.repoDir): Promise<RepositoryInfo> {
    return this.repository.assert(dir);
  }

  /**
   * What a run checks before its first worktree, asked of git at once rather than one by one:
   * the repository (its HEAD is the run's base), stale worktree records (pruned), the branch
   * prefix (git must accept branch names made with it) and the `.worktreeinclude` patterns.
   * The repository's own problems are reported first.
   */
  async prepare(): Promise<RepositoryInfo> {
    const prefix = this.branchNames.prefixAccepted(createGit(resolve(this.options.repoDir))); // never rejects
    const info = await this.assertRepository();
    const [, accepted] = await Promise.all([this.pruneStale(), prefix, this.worktrees.readIncludePatterns(info.root)]);
    if (!accepted) throw this.branchNames.invalid();
    return info;
  }

  /** The commit id `ref` names; BaseNotFoundError when it names none. */
  resolveBase(ref: string): Promise<string> {
    return this.repository.resolveBase(ref);
  }

  /** Where worktrees of this repository are created. */
  worktreeRoot(): Promise<string> {
    return this.worktrees.root();
  }

  /**
   * A new worktree and branch for one task attempt, starting at `baseCommit` with the dependency
   * branches merged in, the include files copied and the setup command run. On any failure the
   * half-made worktree and its branch are removed before the error is thrown.
   */
  create(request: CreateWorktreeRequest): Promise<CreatedWorktree> {
    return this.worktrees.create(request);
  }

  /**
   * Removes a worktree (with whatever the agent left in it) and optionally its branch. Removing a
   * worktree that is already gone is not an error, so clean-up can always be retried.
   */
  remove(path: string, options: { deleteBranch?: boolean; branch?: string } = {}): Promise<void> {
    return this.worktrees.remove(path, options);
  }

  /**
   * Checks an attempt's branch out again at its recorded worktree path when the worktree was
   * removed (a user action that needs files on disk); a worktree already there is left alone.
   * Returns whether a checkout was made.
   */
  restore(path: string, branch: string): Promise<boolean> {
    return this.worktrees.restore(path, branch);
  }

  /** Drops the records of worktrees whose folders are gone (run at start). Returns their paths. */
  pruneStale(): Promise<string[]> {
    return this.worktrees.pruneStale();
  }

  /** Worktrees made by this orchestrator: on a branch with our prefix or inside our worktree root. */
  listManaged(): Promise<ManagedWorktree[]> {
    return this.worktrees.listManaged();
  }

  /**
   * Deletes the branches with our prefix that no worktree has checked out (the work of removed
   * worktrees) and `shouldDelete` accepts. Returns the deleted names and the unused ones kept.
   */
  async deleteUnusedBranches(shouldDelete: (branch: string) => boolean): Promise<{ deleted: string[]; kept: string[] }> {
    return deleteUnusedBranches(await this.repository.open(), this.branchPrefix, shouldDelete);
  }

  /** What `branch` changed since it left `base` (three-dot: relative to their merge base). */
  async diffStat(branch: string, base: string): Promise<DiffStat> {
    const { git } = await this.repository.open();
    return diffStat(git, branch, base);
  }

  /**
   * Commits everything in the worktree (new, changed and deleted files) except the files copied
   * by .worktreeinclude. Returns whether a commit was made (false: there was nothing to commit).
   */
  commitAll(worktreePath: string, message: string): Promise<boolean> {
    return commitAll(worktreePath, message, this.identity);
  }
}
