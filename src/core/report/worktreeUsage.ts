// What the worktrees take on disk when a run ends, for its summary ("Worktrees: 3 kept (failed),
// 142 MiB") and metrics.json: how many checkouts the orchestrator's worktree folder still holds,
// under which keepWorktrees setting, and the folder's size from a bounded walk (git/folderSize.ts).
// In report/ with the summary it feeds; measured once, after the run's removals have ended.
import { folderSize, type WorktreeManager } from '../git';
import type { KeepWorktrees } from '../settings';

export interface WorktreeUsage {
  /** Checkouts of this repository's orchestrator worktrees left on disk (this run's and earlier ones'). */
  readonly kept: number;
  readonly keep: KeepWorktrees;
  readonly folder: string;
  readonly bytes: number;
  /** The walk hit its limit: the folder takes at least `bytes`. */
  readonly truncated: boolean;
}

/** Counts and sizes the worktree folder; never throws (a failed look reports nothing). */
export async function measureWorktrees(worktrees: Pick<WorktreeManager, 'listManaged' | 'worktreeRoot'>, keep: KeepWorktrees): Promise<WorktreeUsage | undefined> {
  try {
    const [managed, folder] = await Promise.all([worktrees.listManaged(), worktrees.worktreeRoot()]);
    const size = await folderSize(folder);
    return { kept: managed.filter((entry) => !entry.prunable).length, keep, folder, bytes: size.bytes, truncated: size.truncated };
  } catch {
    return undefined;
  }
}

export function mebibytes(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

/** The summary's line: "3 kept (failed), 142 MiB in /…/.repo-worktrees". */
export function worktreeLine(usage: WorktreeUsage): string {
  const mib = mebibytes(usage.bytes);
  const size = `${usage.truncated ? 'at least ' : ''}${mib >= 10 ? Math.round(mib) : mib} MiB`;
  return `${usage.kept} kept (${usage.keep}), ${size} in ${usage.folder}`;
}
