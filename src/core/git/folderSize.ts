// How much disk the worktree folder takes, for the run's summary ("Worktrees: 3 kept (failed),
// 142 MiB"): a du-like walk in this process, asynchronous so the event loop stays free, and bounded
// so a huge folder costs at most a known number of stat calls. Not `du` through a shell: it is not
// everywhere (Windows), and a path is never spliced into a command line. In git/ beside the
// worktree lifecycle that fills the folder.
import { promises as fs, type Dirent } from 'node:fs';
import { join } from 'node:path';

export interface FolderSize {
  /** Bytes on disk (allocated blocks where the platform reports them, else file sizes). */
  readonly bytes: number;
  readonly files: number;
  /** The walk stopped at its entry limit: the real size is at least `bytes`. */
  readonly truncated: boolean;
}

export interface FolderSizeOptions {
  /** Most entries (files and folders) looked at; default 2,000,000. */
  readonly maxEntries?: number;
  /** Folders read at once; default 16. */
  readonly concurrency?: number;
}

/**
 * The size of everything under `root` (0 when it does not exist). Symbolic links are not followed,
 * and an entry named `.git` is skipped: in a worktree it is a file naming the repository's own
 * git folder, which is the repository's disk, not the worktree's.
 */
export async function folderSize(root: string, options: FolderSizeOptions = {}): Promise<FolderSize> {
  const maxEntries = options.maxEntries ?? 2_000_000;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  let bytes = 0;
  let files = 0;
  let seen = 0;
  let truncated = false;
  const pending: string[] = [root];

  const sizeOf = async (path: string): Promise<number> => {
    const stat = await fs.lstat(path).catch(() => undefined);
    if (!stat) return 0; // removed while we walked
    return typeof stat.blocks === 'number' && stat.blocks > 0 ? stat.blocks * 512 : stat.size;
  };

  const visit = async (dir: string): Promise<void> => {
    const entries: Dirent[] = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    const filesHere: string[] = [];
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      if (++seen > maxEntries) {
        truncated = true;
        break;
      }
      const path = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) filesHere.push(path);
    }
    // A folder's files in batches: overlapping stat calls, but never thousands queued at once.
    for (let i = 0; i < filesHere.length; i += 64) {
      const sizes = await Promise.all(filesHere.slice(i, i + 64).map(sizeOf));
      for (const size of sizes) bytes += size;
    }
    files += filesHere.length;
  };

  // A pool of walkers taking folders off one list: breadth first, never more than `concurrency`
  // directory handles open.
  const walker = async (): Promise<void> => {
    for (let dir = pending.pop(); dir !== undefined && !truncated; dir = pending.pop()) await visit(dir);
  };
  while (pending.length > 0 && !truncated) await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, walker));
  return { bytes, files, truncated };
}
