// Replaces a file so that a crash at any moment leaves either the old or the new content:
// write a temp file in the same folder, fsync it, rename it over the target, fsync the folder.
// Hand-written rather than write-file-atomic for three things it lacks: a hook between the
// fsync and the rename (tests use it to simulate a crash there), a folder fsync (without it the
// rename itself may be lost on power failure), and a temp name we can recognise later to clean
// up what a killed writer left behind.
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

export interface AtomicWriteHooks {
  /** Runs after the temp file is complete and fsynced, before the rename (fault injection). */
  readonly afterTempWritten?: (tempPath: string) => void | Promise<void>;
}

const TEMP_MARK = '.tmp-';
let sequence = 0;

function isTempFileOf(target: string, candidate: string): boolean {
  return candidate.startsWith(`${basename(target)}${TEMP_MARK}`);
}

/** Windows refuses to rename over a file another process has open for a moment; retry briefly. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || attempt >= 10 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeFileAtomic(target: string, data: Uint8Array, hooks: AtomicWriteHooks = {}): Promise<void> {
  // The thread too: a restarted store worker (workerMirror.ts) counts from 0 again in the same
  // process, and a temp file its killed predecessor left must not be in the way ('wx').
  const temp = join(dirname(target), `${basename(target)}${TEMP_MARK}${process.pid}-${threadId}-${++sequence}`);
  const handle = await open(temp, 'wx');
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await hooks.afterTempWritten?.(temp);
    await renameWithRetry(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDirectory(dirname(target));
}

/**
 * Deletes temp files a killed writer left beside `target`. Only the lock holder may call this:
 * another live writer's temp file would look the same.
 */
export async function removeLeftoverTempFiles(target: string): Promise<string[]> {
  const dir = dirname(target);
  const leftovers = (await readdir(dir)).filter((name) => isTempFileOf(target, name));
  await Promise.all(leftovers.map((name) => rm(join(dir, name), { force: true })));
  return leftovers.map((name) => join(dir, name));
}
