import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LockLostError } from '../../../src/core/store';
import { lockDirFor, readLockOwner, type LockOwner } from '../../../src/core/store/lockOwner';
import { tryAcquireWriterLock, type WriterLock } from '../../../src/core/store/writerLock';
import { sleep, useStores, useTempDir } from './helpers';

const NEVER_MS = 3_600_000;

/** A pid that certainly belongs to no running process: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function plantLock(dbPath: string, owner: Partial<LockOwner> | undefined, ageMs: number): void {
  const dir = lockDirFor(dbPath);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'owner.json');
  if (owner) writeFileSync(file, JSON.stringify({ startedAt: '2025-10-26T10:30:45.000Z', heartbeatAt: '2025-10-26T10:30:45.000Z', token: 'theirs', ...owner }));
  const then = new Date(Date.now() - ageMs);
  if (owner) utimesSync(file, then, then);
  utimesSync(dir, then, then);
}

describe('store: writer lock', () => {
  const temp = useTempDir();
  const open = useStores(temp);
  const held: WriterLock[] = [];
  let dbPath = '';

  beforeEach(() => {
    dbPath = join(temp.dir(), 'orchestrator.db');
  });
  afterEach(() => {
    for (const lock of held.splice(0)) lock.release();
  });

  function acquire(options: Parameters<typeof tryAcquireWriterLock>[1] = {}): ReturnType<typeof tryAcquireWriterLock> {
    const attempt = tryAcquireWriterLock(dbPath, options);
    if (attempt.acquired) held.push(attempt.lock);
    return attempt;
  }

  it('records pid, hostname, start and heartbeat of the holder, and refuses a second holder', () => {
    const first = acquire();
    assert.equal(first.acquired, true);
    const owner = readLockOwner(dbPath);
    assert.equal(owner?.pid, process.pid);
    assert.equal(owner?.hostname, hostname());
    assert.match(owner?.startedAt ?? '', /Z$/);
    assert.equal(owner?.heartbeatAt, owner?.startedAt);

    const second = acquire();
    assert.equal(second.acquired, false);
    if (!second.acquired) assert.equal(second.owner?.token, owner?.token);
  });

  it('is free again after release', () => {
    const first = acquire();
    assert.ok(first.acquired);
    first.lock.release();
    assert.equal(existsSync(lockDirFor(dbPath)), false);
    assert.equal(acquire().acquired, true);
  });

  it('takes over a lock whose owner stopped its heartbeat', () => {
    plantLock(dbPath, { pid: 1, hostname: 'another-machine' }, 60_000);
    const attempt = acquire({ staleMs: 10_000 });
    assert.equal(attempt.acquired, true);
    if (attempt.acquired) {
      assert.equal(attempt.tookOver?.reason, 'stale_heartbeat');
      assert.equal(attempt.tookOver?.owner?.hostname, 'another-machine');
    }
    assert.equal(readLockOwner(dbPath)?.pid, process.pid);
    assert.deepEqual(readdirSync(temp.dir()).filter((n) => n.includes('.stale-')), [], 'the tombstone is removed');
  });

  it('respects a fresh lock of another machine, whose processes it cannot see', () => {
    plantLock(dbPath, { pid: 1, hostname: 'another-machine' }, 1_000);
    const attempt = acquire({ staleMs: 10_000 });
    assert.equal(attempt.acquired, false);
    if (!attempt.acquired) assert.equal(attempt.owner?.hostname, 'another-machine');
  });

  it('takes over at once from a dead process on this machine, heartbeat or not', () => {
    const pid = deadPid();
    plantLock(dbPath, { pid, hostname: hostname() }, 0);
    const attempt = acquire({ staleMs: 600_000 });
    assert.equal(attempt.acquired, true);
    if (attempt.acquired) {
      assert.equal(attempt.tookOver?.reason, 'dead_owner');
      assert.equal(attempt.tookOver?.owner?.pid, pid);
    }
  });

  it('judges a lock without an owner file (its creator is between mkdir and write) by the directory age', () => {
    plantLock(dbPath, undefined, 0);
    assert.equal(acquire({ staleMs: 10_000 }).acquired, false);
    plantLock(dbPath, undefined, 60_000);
    const attempt = acquire({ staleMs: 10_000 });
    assert.equal(attempt.acquired, true);
    if (attempt.acquired) assert.deepEqual(attempt.tookOver, { owner: undefined, reason: 'stale_heartbeat' });
  });

  it('keeps a live lock fresh with its heartbeat; without one it goes stale and the holder learns it lost the lock', async () => {
    const beating = acquire({ heartbeatMs: 100 });
    assert.ok(beating.acquired);
    await sleep(1_500);
    assert.equal(tryAcquireWriterLock(dbPath, { staleMs: 1_000 }).acquired, false, 'the heartbeat kept it fresh');
    beating.lock.release();

    const lost: LockLostError[] = [];
    const silent = acquire({ heartbeatMs: 60_000, onLost: (error) => lost.push(error) });
    assert.ok(silent.acquired);
    await sleep(1_200);
    const thief = acquire({ staleMs: 1_000 });
    assert.equal(thief.acquired, true, 'no heartbeat for longer than staleMs: stale');
    assert.throws(() => silent.lock.verify(), LockLostError);
    assert.equal(lost.length, 1);
    assert.match(lost[0].message, new RegExp(`process ${process.pid} on .* took it over`));
    assert.equal(silent.lock.held, false);
    silent.lock.release();
    assert.equal(readLockOwner(dbPath)?.token, thief.acquired ? thief.lock.owner.token : '', "the loser's release leaves the new lock alone");
  });

  it('a store that loses its lock turns read-only and does not overwrite the new holder', async () => {
    const errors: Error[] = [];
    const store = await open(dbPath, { lock: { heartbeatMs: 60_000 }, flushDelayMs: NEVER_MS, onError: (error) => errors.push(error) });
    store.recordEvent({ kind: 'unflushed' });
    await sleep(400);
    const thief = acquire({ staleMs: 300 });
    assert.equal(thief.acquired, true);
    await assert.rejects(store.flush(), LockLostError);
    assert.equal(store.readOnly, true);
    assert.ok(errors.some((e) => e instanceof LockLostError));
    assert.throws(() => store.recordEvent({ kind: 'x' }), /read-only/);
    assert.equal(await store.refresh(), true, 'the next refresh reloads what is really on disk');
    assert.deepEqual(store.listEvents(), []);
  });

  it('a store opening over a dead owner takes over and records it', async () => {
    const pid = deadPid();
    plantLock(dbPath, { pid, hostname: hostname() }, 0);
    const store = await open(dbPath);
    assert.equal(store.readOnly, false);
    const [event] = store.listEvents().filter((e) => e.kind === 'writer_lock_taken_over');
    assert.deepEqual(event.detail, { reason: 'dead_owner', previousOwner: { pid, hostname: hostname(), startedAt: '2025-10-26T10:30:45.000Z' } });
  });
});
