import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ReadOnlyStoreError } from '../../../src/core/store';
import { countOnDisk, queryDisk, samplePlan, sleep, useStores, useTempDir } from './helpers';
import { StoreChild } from './storeChildDriver';

describe('store: two processes on one file', function () {
  this.timeout(30_000);
  const temp = useTempDir();
  const open = useStores(temp);
  const children: StoreChild[] = [];
  temp.beforeRemove(async () => {
    for (const child of children.splice(0)) await child.stop();
  });

  function spawnChild(): StoreChild {
    const child = new StoreChild();
    children.push(child);
    return child;
  }

  it('the child writes, this process opens read-only and sees each flushed change after refresh()', async () => {
    const child = spawnChild();
    assert.deepEqual(await child.call('open', { path: temp.dbPath() }), { readOnly: false, pid: child.pid });

    const reader = await open(temp.dbPath());
    assert.equal(reader.readOnly, true);
    assert.equal(reader.lockOwner()?.pid, child.pid);
    assert.throws(
      () => reader.savePlan(samplePlan()),
      (error: unknown) => error instanceof ReadOnlyStoreError && error.message.includes(`process ${child.pid} on`),
    );

    await child.call('savePlan', { plan: samplePlan() });
    await child.call('createParallelTasks', { tasks: [{ task_id: 'TASK-31-1', spec_id: 'SPEC-031', priority: 'high', estimated_hours: 8 }], instanceId: 'orch-child' });
    await child.call('flush');
    assert.equal(await reader.refresh(), true);
    assert.equal(reader.listTasks().length, samplePlan().tasks.length);
    assert.equal(reader.getTask('TASK-31-1')?.status, 'spawned');

    await child.call('transition', { taskId: 'TASK-31-1', to: 'running' });
    await child.call('flush');
    assert.equal(await reader.refresh(), true);
    assert.equal(reader.getTask('TASK-31-1')?.status, 'running');
    assert.equal(await reader.refresh(), false);
  });

  it('this process writes, the child is read-only: its write throws and it sees updates after refresh()', async () => {
    const writer = await open(temp.dbPath());
    const child = spawnChild();
    assert.deepEqual(await child.call('open', { path: temp.dbPath() }), { readOnly: true, pid: child.pid });
    const refused = await child.call<{ threw: boolean; name: string; message: string }>('tryWrite');
    assert.equal(refused.threw, true);
    assert.equal(refused.name, 'ReadOnlyStoreError');
    assert.match(refused.message, new RegExp(`process ${process.pid} on`));

    writer.savePlan(samplePlan());
    writer.recordEvent({ kind: 'decision' });
    await writer.flush();
    assert.equal(await child.call('refresh'), true);
    const counts = await child.call<{ tasks: number; events: number }>('counts');
    assert.equal(counts.tasks, samplePlan().tasks.length);
    assert.equal(counts.events, writer.listEvents().length);
    assert.equal(await countOnDisk(temp.dbPath(), 'orchestrator_event'), writer.listEvents().length, 'the refused write did not reach the file');
  });

  it('four processes appending at once lose no update: each waits for the lock', async () => {
    const perChild = 25;
    const group = [spawnChild(), spawnChild(), spawnChild(), spawnChild()];
    const opened = await Promise.all(group.map((child) => child.call<{ readOnly: boolean }>('open', { path: temp.dbPath() })));
    assert.equal(opened.filter((o) => !o.readOnly).length, 1, 'exactly one writer at a time');
    await Promise.all(group.map((child, i) => child.call('appendAsWriter', { kind: `append-${i}`, count: perChild })));
    const rows = await queryDisk(temp.dbPath(), "SELECT kind, COUNT(*) AS n FROM orchestrator_event WHERE kind LIKE 'append-%' GROUP BY kind ORDER BY kind");
    assert.deepEqual(rows, group.map((_, i) => ({ kind: `append-${i}`, n: perChild })));
  });

  it('a writer killed between temp write and rename leaves the old file; the next opener takes over and cleans up', async () => {
    const child = spawnChild();
    await child.call('open', { path: temp.dbPath(), staleMs: 600_000 });
    await child.call('savePlan', { plan: samplePlan() });
    await child.call('flush');
    const before = await countOnDisk(temp.dbPath(), 'orchestrator_event');

    await child.call('armCrashBeforeRename');
    await child.call('recordEvents', { kind: 'lost', count: 3 });
    await assert.rejects(child.call('flush'), /child exited/);
    assert.equal((await child.exited).signal, 'SIGKILL');

    const leftovers = readdirSync(dirname(temp.dbPath())).filter((n) => n.startsWith('orchestrator.db.tmp-'));
    assert.equal(leftovers.length, 1, 'the killed writer left its complete temp file');
    assert.ok(existsSync(`${temp.dbPath()}.lock`), 'and its lock');
    assert.equal(await countOnDisk(temp.dbPath(), 'orchestrator_event'), before, 'the old file is intact');

    // staleMs is long: only the dead-owner check can free the lock this fast.
    const store = await open(temp.dbPath(), { lock: { staleMs: 600_000 } });
    assert.equal(store.readOnly, false);
    assert.deepEqual(readdirSync(dirname(temp.dbPath())).filter((n) => n.includes('.tmp-')), []);
    assert.equal(store.listPlanTasks().length, samplePlan().tasks.length);
    assert.equal(store.listEvents().filter((e) => e.kind === 'lost').length, 0);
    const takeover = store.listEvents().find((e) => e.kind === 'writer_lock_taken_over');
    assert.deepEqual(takeover?.detail?.reason, 'dead_owner');
    assert.equal((takeover?.detail?.previousOwner as { pid: number }).pid, child.pid);
  });

  it('a live writer in another process keeps its lock past the stale period by its heartbeat', async () => {
    const child = spawnChild();
    await child.call('open', { path: temp.dbPath(), staleMs: 1_500, heartbeatMs: 200 });
    await sleep(2_500);
    const reader = await open(temp.dbPath(), { lock: { staleMs: 1_500 } });
    assert.equal(reader.readOnly, true);
    assert.equal(await reader.tryBecomeWriter(), false);
    await child.call('close');
    assert.equal(await reader.tryBecomeWriter(), true);
  });
});
