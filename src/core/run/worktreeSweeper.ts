// Removing attempts' worktrees once their work is on their branch (setting keepWorktrees), so a
// run holds about (maxParallel + kept) checkouts on disk instead of one per attempt. The branch
// keeps the work: review reads git objects (src/core/review/), dependents merge branches
// (dependencyBranches.ts), follow-ups and retries start new worktrees from branches, and "Open
// Task Worktree" checks the branch out again (WorktreeManager.restore). In run/ because it acts on
// the executor's verdicts; the removal itself is git/'s.
//
// A removal runs after its attempt has closed, off the slot's path: the scheduler may start the
// next task at once. It still goes through the repository queue like every `worktree add`, and
// its checkout counts on disk until it is done; the run waits for all of them (settled()) before
// its report measures the worktree folder. A run killed before its removals ended leaves them to
// the next open's recovery (finishOwedRemovals, called from recovery.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { uncommittedPaths, type WorktreeManager } from '../git';
import type { TaskStatus } from '../model';
import type { KeepWorktrees } from '../settings';
import type { OrchestratorStore } from '../store';

/** Whether an attempt that ended as `outcome`, its work committed, loses its worktree under `keep`. */
export function removesWorktree(keep: KeepWorktrees, outcome: TaskStatus): boolean {
  if (keep === 'all') return false;
  if (keep === 'none') return true;
  return outcome === 'completed';
}

export interface SweeperOptions {
  readonly worktrees: Pick<WorktreeManager, 'remove'>;
  readonly keep: KeepWorktrees;
  /** A worktree that could not be removed stays (`clean` takes it later); the run is told why. */
  readonly onFailure?: (taskId: string, worktree: string, error: unknown) => void;
}

export class WorktreeSweeper {
  private readonly removals = new Set<Promise<void>>();
  private removedCount = 0;

  constructor(private readonly options: SweeperOptions) {}

  /**
   * An attempt has closed as `outcome` with everything in its worktree committed to its branch:
   * its worktree is removed if the setting says so. Only call it once the commit is made; work
   * that is not on the branch must never be removed.
   */
  attemptClosed(taskId: string, worktree: string, outcome: TaskStatus): void {
    if (!removesWorktree(this.options.keep, outcome)) return;
    const removal: Promise<void> = this.options.worktrees
      .remove(worktree)
      .then(() => void this.removedCount++)
      .catch((error: unknown) => {
        try {
          this.options.onFailure?.(taskId, worktree, error);
        } catch {
          // Telling failed too (the store closed meanwhile): the worktree stays for `clean` either way.
        }
      })
      .finally(() => this.removals.delete(removal));
    this.removals.add(removal);
  }

  /** Worktrees removed so far. */
  get removed(): number {
    return this.removedCount;
  }

  /** Resolves once every removal started so far has ended. */
  async settled(): Promise<void> {
    while (this.removals.size > 0) await Promise.all([...this.removals]);
  }
}

export interface OwedRemovals {
  readonly store: Pick<OrchestratorStore, 'listRunAttempts'>;
  readonly worktrees: Pick<WorktreeManager, 'pruneStale' | 'remove'>;
  readonly keep: KeepWorktrees;
  /** The runs whose process died (recovery.ts): their sweepers never finished. */
  readonly runIds: Iterable<string>;
  readonly onFailure?: (taskId: string, worktree: string, error: unknown) => void;
}

/**
 * Whether removing `worktree` loses nothing: every change git reports in it is a file gone from
 * disk (the deletions of a `git worktree remove` cut short), or git no longer knows it as a
 * checkout because that removal had already deleted its `.git` file.
 */
async function onlyDeletionsIn(worktree: string): Promise<boolean> {
  if (!existsSync(join(worktree, '.git'))) return true;
  const changed = await uncommittedPaths(worktree);
  return changed.every((path) => !existsSync(join(worktree, path)));
}

/**
 * The removals the sweepers of runs whose process died still owed: the worktrees of their
 * completed attempts (work committed on the branch) that the setting removes but that are still
 * on disk, whole (killed before the removal began) or half deleted (git itself was killed). Only
 * completed attempts: for another outcome the database does not say whether the work was
 * committed. A worktree with anything in it that is not on the branch stays (`clean` takes it);
 * so does one the user has checked out again and changed. Returns the worktrees removed.
 */
export async function finishOwedRemovals(owed: OwedRemovals): Promise<string[]> {
  if (!removesWorktree(owed.keep, 'completed')) return [];
  const targets = [...owed.runIds]
    .flatMap((runId) => owed.store.listRunAttempts(runId))
    .filter((attempt) => attempt.outcome === 'completed' && attempt.worktree !== null && existsSync(attempt.worktree));
  if (targets.length === 0) return [];
  // A record whose folder lost its `.git` file is dropped first: the folder is then only files.
  await owed.worktrees.pruneStale();
  const removed: string[] = [];
  for (const attempt of targets) {
    const worktree = attempt.worktree!;
    try {
      if (!(await onlyDeletionsIn(worktree))) continue;
      await owed.worktrees.remove(worktree);
      removed.push(worktree);
    } catch (error) {
      owed.onFailure?.(attempt.taskId, worktree, error);
    }
  }
  return removed;
}
