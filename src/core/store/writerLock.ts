// One writer per database file, across processes and machines sharing a folder.
//
//   <db>.lock/             created with mkdir: atomic, exactly one creator wins
//   <db>.lock/owner.json   pid, hostname, startedAt, heartbeatAt and a random token
//
// Hand-written rather than proper-lockfile because that library removes a stale lock with a
// plain rmdir (so the owner record cannot live inside the lock, and a record beside it can
// describe a previous owner), only knows mtime staleness (a dead owner on this machine blocks
// everyone for the whole stale period), and throws from a timer when the lock is compromised.
//
// Takeover: a lock whose owner is a dead process on this host, or whose owner file has not been
// rewritten for `staleMs`, is renamed to a tombstone and removed; then mkdir is tried again.
// Two processes taking over the same stale lock at the same instant can both succeed briefly;
// the token check before every flush and on every heartbeat makes the loser notice and stop.
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { LockLostError } from './errors';
import { lockDirFor, readLockOwner, writeOwner, type LockOwner } from './lockOwner';
import { randomHex } from '../randomHex';

export interface WriterLockOptions {
  /** An owner file older than this is stale and may be taken over. */
  readonly staleMs?: number;
  /** How often the holder rewrites its owner file; well below staleMs. */
  readonly heartbeatMs?: number;
  /** Called once if another process took the lock away. */
  readonly onLost?: (error: LockLostError) => void;
}

export type TakeoverReason = 'dead_owner' | 'stale_heartbeat';

export type LockAttempt =
  | { readonly acquired: true; readonly lock: WriterLock; readonly tookOver: { readonly owner: LockOwner | undefined; readonly reason: TakeoverReason } | undefined }
  | { readonly acquired: false; readonly owner: LockOwner | undefined };

export const DEFAULT_STALE_MS = 10_000;
export const DEFAULT_HEARTBEAT_MS = 2_000;

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the lock's owner still runs. On another machine its pid means nothing here: it counts as
 * alive, and only a heartbeat that stops (stalenessOf) says otherwise.
 */
export function isOwnerAlive(owner: LockOwner | undefined): boolean {
  if (!owner) return false;
  return owner.hostname !== osHostname() || isProcessAlive(owner.pid);
}

/** Why the current lock may be taken over, or undefined while its owner is alive and beating. */
function stalenessOf(lockDir: string, owner: LockOwner | undefined, staleMs: number): TakeoverReason | undefined {
  if (owner && !isOwnerAlive(owner)) return 'dead_owner';
  // The file's mtime, not heartbeatAt: on a shared folder both are stamped by the same file
  // system, so clock skew between machines does not make a live lock look stale. Without an
  // owner file (its creator is between mkdir and the first write) the directory's mtime counts.
  let touched: number;
  try {
    touched = statSync(owner ? join(lockDir, 'owner.json') : lockDir).mtimeMs;
  } catch {
    return undefined;
  }
  return Date.now() - touched > staleMs ? 'stale_heartbeat' : undefined;
}

function removeLockDir(lockDir: string): boolean {
  // Rename first: a contender never sees a half-deleted lock (a directory without its owner).
  const tombstone = `${lockDir}.stale-${process.pid}-${randomHex(4)}`;
  try {
    renameSync(lockDir, tombstone);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  rmSync(tombstone, { recursive: true, force: true });
  return true;
}

export function tryAcquireWriterLock(dbPath: string, options: WriterLockOptions = {}): LockAttempt {
  const lockDir = lockDirFor(dbPath);
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  let tookOver: { owner: LockOwner | undefined; reason: TakeoverReason } | undefined;
  // Three rounds: a stale lock removed in one round may be re-created by a contender before ours.
  for (let round = 0; round < 3; round++) {
    try {
      mkdirSync(lockDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readLockOwner(dbPath);
      const reason = stalenessOf(lockDir, owner, staleMs);
      if (!reason) return { acquired: false, owner };
      if (removeLockDir(lockDir)) tookOver = { owner, reason };
      continue;
    }
    const now = new Date().toISOString();
    const owner: LockOwner = { pid: process.pid, hostname: osHostname(), startedAt: now, heartbeatAt: now, token: randomHex(16) };
    writeOwner(lockDir, owner);
    return { acquired: true, lock: new WriterLock(dbPath, owner, options), tookOver };
  }
  return { acquired: false, owner: readLockOwner(dbPath) };
}

export class WriterLock {
  private readonly lockDir: string;
  private readonly timer: NodeJS.Timeout;
  private released = false;
  private readonly releaseOnExit = (): void => this.release();

  constructor(
    readonly dbPath: string,
    private current: LockOwner,
    private readonly options: WriterLockOptions,
  ) {
    this.lockDir = lockDirFor(dbPath);
    this.timer = setInterval(() => this.heartbeat(), options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    // The heartbeat alone must not keep a CLI process alive.
    this.timer.unref();
    // A process that exits normally without closing the store still frees the lock; a killed one
    // leaves it behind, and the next opener takes it over as a dead owner.
    process.on('exit', this.releaseOnExit);
  }

  get owner(): LockOwner {
    return this.current;
  }

  get held(): boolean {
    return !this.released;
  }

  /** Throws LockLostError unless the owner file still carries our token. */
  verify(): void {
    if (this.released) throw new LockLostError(this.dbPath, 'the lock was released');
    const onDisk = readLockOwner(this.dbPath);
    if (onDisk?.token !== this.current.token) {
      const lost = new LockLostError(
        this.dbPath,
        onDisk ? `process ${onDisk.pid} on ${onDisk.hostname} took it over at ${onDisk.startedAt}` : 'the lock directory disappeared',
      );
      this.stop();
      this.options.onLost?.(lost);
      throw lost;
    }
  }

  private heartbeat(): void {
    try {
      this.verify();
      this.current = { ...this.current, heartbeatAt: new Date().toISOString() };
      writeOwner(this.lockDir, this.current);
    } catch {
      // verify() already reported a lost lock; a failed rewrite is retried on the next beat and,
      // if it keeps failing, the lock goes stale and another process may take over (then
      // verify() reports it).
    }
  }

  private stop(): void {
    this.released = true;
    clearInterval(this.timer);
    process.off('exit', this.releaseOnExit);
  }

  release(): void {
    if (this.released) return;
    const ours = readLockOwner(this.dbPath)?.token === this.current.token;
    this.stop();
    if (ours) removeLockDir(this.lockDir);
  }
}
