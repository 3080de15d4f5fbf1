// The writer lock's owner record, `<db>.lock/owner.json`: what it holds, where it lives, how it is
// read and rewritten. It sits apart from writerLock.ts so that errors.ts can name the process that
// holds the lock without importing the lock itself (which throws errors.ts's LockLostError).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
  readonly heartbeatAt: string;
  readonly token: string;
}

export function lockDirFor(dbPath: string): string {
  return `${dbPath}.lock`;
}

export function readLockOwner(dbPath: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(lockDirFor(dbPath), 'owner.json'), 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string' || typeof parsed.token !== 'string') return undefined;
    return parsed as LockOwner;
  } catch {
    return undefined;
  }
}

/** Replaces the owner file by a rename, so a reader never sees half of it. */
export function writeOwner(lockDir: string, owner: LockOwner): void {
  const temp = join(lockDir, `owner.json.${process.pid}.tmp`);
  writeFileSync(temp, JSON.stringify(owner));
  renameSync(temp, join(lockDir, 'owner.json'));
}
