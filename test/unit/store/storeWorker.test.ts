// The store worker (src/core/store/workerMirror.ts, storeWorker.ts): a real worker thread keeps the
// file's copy of the database. These tests prove the copy never differs from the host's, that a
// worker that dies loses nothing committed, and that a closed store refuses work and ends it.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StoreClosedError, type OrchestratorStore } from '../../../src/core/store';
import type { StoreDatabase } from '../../../src/core/store/database';
import { execute, queryAll, type Row } from '../../../src/core/store/sqlite';
import type { ToWorker } from '../../../src/core/store/workerProtocol';
import { countOnDisk, eventually, queryDisk, samplePlan, useStores, useTempDir } from './helpers';

const NEVER = 3_600_000;

/** The store's database, to read the host's copy directly. */
function databaseOf(store: OrchestratorStore): StoreDatabase {
  return (store as unknown as { database: StoreDatabase }).database;
}

function threadOf(store: OrchestratorStore): NonNullable<NonNullable<StoreDatabase['worker']>['thread']> {
  const thread = databaseOf(store).worker?.thread;
  assert.ok(thread, 'a worker thread owns the file');
  return thread;
}

/** Every user table's rows, in a stable order: what must be equal in both copies. */
function dump(rows: (sql: string) => Row[]): Record<string, string[]> {
  const tables = rows("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  // The rowid too where there is one: the plan's order is read by it (planImport.ts).
  return Object.fromEntries(
    tables.map(({ name, sql }) => {
      const all = rows(`SELECT ${/WITHOUT ROWID/i.test(String(sql)) ? '' : 'rowid AS rid, '}* FROM ${String(name)}`);
      return [name, all.map((row) => JSON.stringify(row)).sort()];
    }),
  );
}

async function dumpDisk(path: string): Promise<Record<string, string[]>> {
  const SQL = await (await import('../../../src/core/store/sqlJsLoader')).loadSqlJs();
  const db = new SQL.Database(readFileSync(path));
  try {
    return dump((sql) => queryAll(db, sql));
  } finally {
    db.close();
  }
}

function dumpHost(store: OrchestratorStore): Record<string, string[]> {
  return databaseOf(store).read((db) => dump((sql) => queryAll(db, sql)));
}

/** A little of every kind of write the store makes: plan, run, tasks, attempts, events, follow-ups, reviews. */
function workload(store: OrchestratorStore): void {
  store.savePlan(samplePlan());
  store.beginRun({ runId: 'orch-1', strategy: 'wait_all', maxParallel: 3, planSource: 'demo.plan.md', baseCommit: 'abc123' });
  store.markSpecTasksReady(['TASK-31-1', 'TASK-31-2', 'TASK-32-1'], 'orch-1');
  store.createParallelTasks(
    [
      { task_id: 'TASK-31-1', spec_id: 'SPEC-031', priority: 'high', estimated_hours: 8 },
      { task_id: 'TASK-31-2', spec_id: 'SPEC-031', priority: 'high', estimated_hours: 6 },
    ],
    'orch-1',
    3,
  );
  store.transition('TASK-31-1', 'running', { assignedAgent: 'claude' });
  const attempt = store.startAttempt({ taskId: 'TASK-31-1', worktree: '/wt/1', branch: 'orch/TASK-31-1' });
  store.updateAttempt(attempt.attemptId, { pid: 42, costUsd: 0.5 });
  store.finishAttempt(attempt.attemptId, { outcome: 'completed', exitCode: 0 });
  store.transition('TASK-31-1', 'completed');
  store.addFollowUp({ taskId: 'TASK-31-1', kind: 'followup', prompt: 'and the tests', baseRef: 'orch/TASK-31-1', mergeInto: null });
  store.recordReview({ taskId: 'TASK-31-1', state: 'merged', target: 'main', commit: 'def456', strategy: 'merge', runId: 'orch-1' });
  for (let i = 0; i < 20; i++) store.recordEvent({ kind: 'decision', taskId: 'TASK-31-2', detail: { i, blob: 'x'.repeat(i * 10) } });
  assert.throws(() => store.transition('TASK-31-2', 'completed'), 'an illegal move changes nothing in either copy');
  store.endRun('orch-1', { status: 'completed', summaryMd: '# done', metrics: { tasks: 2 } });
}

describe('store: the worker that owns the file', () => {
  const temp = useTempDir();
  const open = useStores(temp);

  it('keeps a copy equal to the host\'s after every kind of write', async () => {
    const store = await open(temp.dbPath(), { workerAboveBytes: 0, flushDelayMs: NEVER });
    threadOf(store);
    workload(store);
    await store.flush();
    assert.deepEqual(await dumpDisk(store.path), dumpHost(store));
    assert.equal(databaseOf(store).worker?.starts, 1);
  });

  it('starts only once the database outgrows the threshold, from the bytes that flush exported', async () => {
    const store = await open(temp.dbPath(), { workerAboveBytes: 300_000, flushDelayMs: NEVER });
    store.savePlan(samplePlan());
    await store.flush();
    assert.equal(databaseOf(store).worker, undefined, 'a small database flushes on this thread');
    for (let i = 0; i < 300; i++) store.recordEvent({ kind: 'bulk', detail: { i, blob: 'y'.repeat(1_000) } });
    await store.flush();
    threadOf(store);
    workload(store);
    await store.flush();
    assert.deepEqual(await dumpDisk(store.path), dumpHost(store));
  });

  it('a big file is handed to the worker at open, seeded from the bytes read', async () => {
    const first = await open(temp.dbPath(), { workerAboveBytes: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 300; i++) first.recordEvent({ kind: 'bulk', detail: { i, blob: 'y'.repeat(1_000) } });
    await first.close();
    const store = await open(temp.dbPath(), { workerAboveBytes: 300_000, flushDelayMs: NEVER });
    threadOf(store);
    store.recordEvent({ kind: 'after_open' });
    await store.flush();
    assert.deepEqual(await dumpDisk(store.path), dumpHost(store));
    assert.equal(await countOnDisk(store.path, 'orchestrator_event'), 301);
  });

  describe('a worker that dies is replaced and nothing committed is lost', () => {
    for (const [how, kill] of [
      ['terminate()', async (store: OrchestratorStore) => void (await threadOf(store).terminate())],
      ['process.exit inside it', (store: OrchestratorStore) => threadOf(store).postMessage({ type: 'fault', kind: 'exit' } satisfies ToWorker)],
      ['an uncaught error inside it', (store: OrchestratorStore) => threadOf(store).postMessage({ type: 'fault', kind: 'throw' } satisfies ToWorker)],
    ] as const) {
      it(how, async () => {
        const errors: Error[] = [];
        const store = await open(temp.dbPath(), { workerAboveBytes: 0, flushDelayMs: NEVER, onError: (error) => errors.push(error) });
        store.savePlan(samplePlan(), { flushNow: false });
        const first = threadOf(store);
        await kill(store);
        // Committed while the worker is dying or dead: its replacement must have them too.
        for (let i = 0; i < 5; i++) store.recordEvent({ kind: 'during', detail: { i } });
        await store.flush();
        assert.notEqual(threadOf(store), first, 'a new worker owns the file');
        assert.equal(databaseOf(store).worker?.starts, 2);
        assert.deepEqual(await dumpDisk(store.path), dumpHost(store));
        assert.equal(await countOnDisk(store.path, 'specs_task'), samplePlan().tasks.length);
        assert.ok(errors.some((e) => /store's worker thread stopped/.test(e.message)), 'the death is reported');
        store.recordEvent({ kind: 'after' });
        await store.flush();
        assert.deepEqual((await queryDisk(store.path, "SELECT kind FROM orchestrator_event WHERE kind IN ('during', 'after')")).length, 6);
        assert.deepEqual(await dumpDisk(store.path), dumpHost(store));
      });
    }

    it('a flush waiting for an answer when the worker dies is answered by its replacement', async () => {
      const store = await open(temp.dbPath(), { workerAboveBytes: 0, flushDelayMs: NEVER, onError: () => undefined });
      store.savePlan(samplePlan(), { flushNow: false });
      threadOf(store).postMessage({ type: 'fault', kind: 'throw' } satisfies ToWorker);
      await store.flush();
      assert.equal(await countOnDisk(store.path, 'specs_task'), samplePlan().tasks.length);
    });
  });

  it('after close(), writes and flushes are refused clearly and the worker has ended', async () => {
    const store = await open(temp.dbPath(), { workerAboveBytes: 0, flushDelayMs: NEVER });
    store.recordEvent({ kind: 'before_close' });
    const thread = threadOf(store);
    const exited = new Promise<number>((resolve) => thread.once('exit', resolve));
    await store.close();
    assert.equal(await countOnDisk(store.path, 'orchestrator_event'), 1, 'close() flushed first');
    await exited;
    assert.equal(databaseOf(store).worker, undefined);
    assert.throws(() => store.recordEvent({ kind: 'late' }), (error: unknown) => error instanceof StoreClosedError && error.message.includes(store.path));
    await assert.rejects(store.flush(), StoreClosedError);
  });

  it('a failed write to disk is reported and retried until it succeeds', async () => {
    const errors: Error[] = [];
    const store = await open(temp.dbPath(), { workerAboveBytes: 0, flushDelayMs: 50, onError: (error) => errors.push(error) });
    store.recordEvent({ kind: 'first' });
    await store.flush();
    // The database's name taken by a folder that is not empty: the worker's rename must fail.
    rmSync(store.path);
    mkdirSync(join(store.path, 'in-the-way'), { recursive: true });
    store.recordEvent({ kind: 'second' });
    assert.ok(await eventually(() => errors.length > 0, 10_000), 'the failure is reported');
    assert.match(errors[0].message, /write the database in .*(EISDIR|ENOTEMPTY|EEXIST)/);
    assert.equal(store.stats().pendingChanges, 1, 'the change is still pending');
    rmSync(store.path, { recursive: true });
    assert.ok(await eventually(() => existsSync(store.path) && statSync(store.path).isFile(), 10_000), 'a retry wrote it');
    await store.flush();
    assert.deepEqual((await queryDisk(store.path, 'SELECT kind FROM orchestrator_event ORDER BY event_id')).map((r) => r.kind), ['first', 'second']);
  });

  it("the crash hooks run on the host's thread with the worker's export", async () => {
    let crash = false;
    const store = await open(temp.dbPath(), {
      workerAboveBytes: 0,
      flushDelayMs: NEVER,
      hooks: {
        afterTempWritten: () => {
          if (crash) throw new Error('power cut before rename');
        },
      },
    });
    threadOf(store);
    store.recordEvent({ kind: 'before' });
    await store.flush();
    const good = readFileSync(store.path);
    crash = true;
    store.recordEvent({ kind: 'after' });
    await assert.rejects(store.flush(), /power cut before rename/);
    assert.deepEqual(readFileSync(store.path), good);
    assert.deepEqual(readdirSync(dirname(store.path)).filter((n) => n.includes('.tmp-')), []);
  });

  it('vacuum() shrinks the file in the worker and the copies stay equal afterwards', async () => {
    const store = await open(temp.dbPath(), { workerAboveBytes: 0, flushDelayMs: NEVER });
    store.savePlan(samplePlan());
    for (let i = 0; i < 400; i++) store.recordEvent({ kind: i % 10 === 0 ? 'keep' : 'prune', detail: { i, blob: 'z'.repeat(2_000) } });
    await store.flush();
    const before = statSync(store.path).size;
    databaseOf(store).write((db) => execute(db, "DELETE FROM orchestrator_event WHERE kind = 'prune'"));
    const sizes = await databaseOf(store).vacuum();
    assert.ok(sizes.bytesAfter < sizes.bytesBefore / 3, `${sizes.bytesAfter} < ${sizes.bytesBefore} / 3`);
    assert.equal(statSync(store.path).size, sizes.bytesAfter, 'the file is the vacuumed copy');
    assert.ok(statSync(store.path).size < before / 3);
    workload(store);
    await store.flush();
    assert.deepEqual(await dumpDisk(store.path), dumpHost(store));
    assert.deepEqual((await queryDisk(store.path, "SELECT COUNT(*) AS n FROM orchestrator_event WHERE kind = 'keep'"))[0].n, 40);
  });

  it('vacuum() refuses a closed store', async () => {
    const store = await open(temp.dbPath(), { workerAboveBytes: 0 });
    const database = databaseOf(store);
    await store.close();
    await assert.rejects(database.vacuum(), StoreClosedError);
  });

  it('a process that never closes its store still exits at once: an idle worker keeps nobody alive', async () => {
    const storeModule = join(__dirname, '../../../src/core/store/index.js');
    const script = join(temp.dir(), 'no-close.js');
    writeFileSync(
      script,
      `const { OrchestratorStore } = require(${JSON.stringify(storeModule)});
       (async () => {
         const store = await OrchestratorStore.open(${JSON.stringify(temp.dbPath())}, { workerAboveBytes: 0 });
         store.recordEvent({ kind: 'from_child' });
         await store.flush();
         process.stdout.write('flushed');
       })();`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    assert.equal(out, 'flushed');
    assert.ok(Date.now() - started < 20_000, 'it did not wait for anything after the flush');
    assert.equal(await countOnDisk(temp.dbPath(), 'orchestrator_event'), 1);
  });

  it('no SQL of the store reads the clock or randomness: both copies must compute the same values', () => {
    const dir = join(__dirname, '../../../../src/core/store');
    const offenders = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .filter((name) => /datetime\s*\(\s*'now'|CURRENT_(TIMESTAMP|DATE|TIME)\b|\brandom(blob)?\s*\(/i.test(readFileSync(join(dir, name), 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
