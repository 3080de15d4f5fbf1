import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ReadOnlyStoreError, StoreClosedError, type StoreChange } from '../../../src/core/store';
import { countOnDisk, eventually, queryDisk, samplePlan, sleep, useStores, useTempDir } from './helpers';

const NEVER = 3_600_000;

describe('store: persistence', () => {
  const temp = useTempDir();
  const open = useStores(temp);

  const eventsOnDisk = (path: string): Promise<number> => countOnDisk(path, 'orchestrator_event');

  it('batches writes: nothing reaches the disk before the delay, then one flush writes them all', async () => {
    const store = await open(temp.dbPath(), { flushDelayMs: 1_500, flushEveryChanges: 1_000 });
    const flushesBefore = store.stats().flushes;
    for (let i = 0; i < 3; i++) store.recordEvent({ kind: 'decision', detail: { i } });
    assert.equal(store.stats().pendingChanges, 3);
    await sleep(100);
    assert.equal(await eventsOnDisk(store.path), 0);
    assert.ok(await eventually(async () => (await eventsOnDisk(store.path)) === 3, 5_000));
    // The file is in place a moment before the flush finishes (folder fsync); wait for it.
    await store.flush();
    assert.equal(store.stats().flushes - flushesBefore, 1);
    assert.equal(store.stats().pendingChanges, 0);
  });

  it('flushes as soon as N changes are pending', async () => {
    const store = await open(temp.dbPath(), { flushDelayMs: NEVER, flushEveryChanges: 5 });
    for (let i = 0; i < 4; i++) store.recordEvent({ kind: 'decision' });
    await sleep(200);
    assert.equal(await eventsOnDisk(store.path), 0);
    store.recordEvent({ kind: 'decision' });
    assert.ok(await eventually(async () => (await eventsOnDisk(store.path)) === 5));
  });

  it('writes a plan at once, unless the caller says a run follows and will write it', async () => {
    const store = await open(temp.dbPath(), { flushDelayMs: NEVER });
    store.savePlan(samplePlan(), { flushNow: false });
    await sleep(200);
    assert.equal(await countOnDisk(store.path, 'specs_task'), 0);
    assert.equal(store.stats().pendingChanges, 1);
    store.savePlan(samplePlan());
    assert.ok(await eventually(async () => (await countOnDisk(store.path, 'specs_task')) === samplePlan().tasks.length));
  });

  it('close() flushes what is pending, frees the lock, and refuses later use', async () => {
    const store = await open(temp.dbPath(), { flushDelayMs: NEVER });
    store.recordEvent({ kind: 'decision' });
    assert.ok(existsSync(`${store.path}.lock`));
    await store.close();
    assert.equal(await eventsOnDisk(store.path), 1);
    assert.equal(existsSync(`${store.path}.lock`), false);
    assert.throws(() => store.listEvents(), StoreClosedError);
  });

  it('a crash between the temp write and the rename leaves the old file intact and readable', async () => {
    let crash = false;
    const errors: Error[] = [];
    const store = await open(temp.dbPath(), {
      flushDelayMs: 50,
      onError: (error) => errors.push(error),
      hooks: {
        afterTempWritten: (tempPath) => {
          assert.ok(existsSync(tempPath), 'the temp file is complete when the hook runs');
          if (crash) throw new Error('power cut before rename');
        },
      },
    });
    store.recordEvent({ kind: 'before' });
    await store.flush();
    const good = readFileSync(store.path);

    crash = true;
    store.recordEvent({ kind: 'after' });
    await assert.rejects(store.flush(), /power cut before rename/);
    assert.deepEqual(readFileSync(store.path), good, 'the old file is untouched');
    assert.deepEqual((await queryDisk(store.path, 'SELECT kind FROM orchestrator_event')).map((r) => r.kind), ['before']);
    assert.deepEqual((await queryDisk(store.path, 'PRAGMA quick_check')).map((r) => r.quick_check), ['ok']);
    assert.deepEqual(readdirSync(dirname(store.path)).filter((n) => n.includes('.tmp-')), [], 'the temp file is removed');
    assert.equal(store.stats().pendingChanges, 1, 'the change is still pending');

    // A background flush failure is reported and retried until it succeeds.
    store.recordEvent({ kind: 'retried' });
    assert.ok(await eventually(() => errors.length > 0));
    assert.match(errors[0].message, /power cut/);
    crash = false;
    assert.ok(await eventually(async () => (await eventsOnDisk(store.path)) === 3, 5_000));
  });

  it('tells listeners about committed writes only', async () => {
    const store = await open(temp.dbPath());
    const changes: StoreChange[] = [];
    const unsubscribe = store.onDidChange((change) => changes.push(change));
    store.savePlan(samplePlan());
    assert.throws(() => store.transition('TASK-31-1', 'running'));
    store.recordEvent({ kind: 'decision' });
    unsubscribe();
    store.recordEvent({ kind: 'decision' });
    assert.deepEqual(changes, [{ cause: 'write' }, { cause: 'write' }]);
  });

  describe('a second store on the same file in the same process', () => {
    it('opens read-only, refuses writes naming the holder, and sees flushed changes after refresh()', async () => {
      const writer = await open(temp.dbPath(), { flushDelayMs: NEVER });
      const reader = await open(temp.dbPath());
      assert.equal(writer.readOnly, false);
      assert.equal(reader.readOnly, true);
      assert.equal(reader.lockOwner()?.pid, process.pid);

      assert.throws(
        () => reader.savePlan(samplePlan()),
        (error: unknown) => error instanceof ReadOnlyStoreError && error.message.includes(`process ${process.pid} on `) && error.owner?.pid === process.pid,
      );
      assert.throws(() => reader.createParallelTasks([], 'orch-1'), ReadOnlyStoreError);
      assert.throws(() => reader.recordEvent({ kind: 'x' }), ReadOnlyStoreError);

      const reloads: StoreChange[] = [];
      reader.onDidChange((change) => reloads.push(change));
      writer.recordEvent({ kind: 'batched' });
      assert.equal(await reader.refresh(), false, 'nothing flushed yet');
      await writer.flush();
      assert.equal(await reader.refresh(), true);
      assert.deepEqual(reader.listEvents().map((e) => e.kind), ['batched']);
      assert.equal(await reader.refresh(), false, 'unchanged since the last reload');
      assert.deepEqual(reloads, [{ cause: 'reload' }]);
      assert.equal(await writer.refresh(), false, "the writer's memory is the truth");
    });

    it('becomes the writer once the first one closes, starting from the latest file', async () => {
      const first = await open(temp.dbPath());
      const second = await open(temp.dbPath());
      first.savePlan(samplePlan());
      assert.equal(await second.tryBecomeWriter(), false);
      await first.close();
      assert.equal(await second.tryBecomeWriter(), true);
      assert.equal(second.readOnly, false);
      assert.equal(second.listPlanTasks().length, samplePlan().tasks.length);
      second.markSpecTasksReady(['TASK-31-1']);
      await second.close();
      assert.deepEqual(await queryDisk(temp.dbPath(), "SELECT task_id FROM specs_task WHERE status = 'ready'"), [{ task_id: 'TASK-31-1' }]);
    });

    it('stays a viewer when asked to, even with the lock free', async () => {
      const viewer = await open(temp.dbPath(), { readOnly: true });
      assert.equal(viewer.readOnly, true);
      assert.equal(existsSync(`${temp.dbPath()}.lock`), false);
      assert.deepEqual(viewer.listTasks(), [], 'a missing file reads as an empty database');
      assert.equal(existsSync(temp.dbPath()), false, 'and is not created');
    });
  });
});
