// Retention on a real sql.js file, through the store and src/core/run/pruneOldRuns.ts: which runs
// are pruned and which never are, what a pruned run keeps, that pruning is one transaction (a
// fault midway changes nothing, in memory or on disk, files included), and that VACUUM shrinks
// the file when much of it is free, also when the pruning that freed it died before compacting. The engine's own runs are in retentionEngine.test.ts.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Plan } from '../../../src/core/model';
import { pruneOldRuns, VACUUM_FREE_SHARE } from '../../../src/core/run/pruneOldRuns';
import { RetentionError, type OrchestratorStore } from '../../../src/core/store';
import type { StoreDatabase } from '../../../src/core/store/database';
import { planTask } from '../../support/planTask';
import { countOnDisk, queryDisk, spec, useStores, useTempDir } from './helpers';

const runId = (i: number) => `orch-20250101-0000${String(i).padStart(2, '0')}-beef`;

/** Spec i with `tasks` tasks (TASK-i-1…), imported from its own plan file so no import removes another's. */
function planOf(i: number, tasks: number): Plan {
  const specId = `SPEC-${String(i).padStart(3, '0')}`;
  return { source: `plan-${i}.md`, specs: [spec(specId)], tasks: Array.from({ length: tasks }, (_, k) => planTask(`TASK-${i}-${k + 1}`, { location: { file: `plan-${i}.md`, line: k + 1 } })) };
}

/**
 * Run i as the engine records one: its tasks dispatched, run, one attempt each with a log file in
 * the run's folder, `noise` decision events per task, completed (or left `leave` when given), a
 * radar pair, and the run ended with its summary and metrics.
 */
function recordRun(store: OrchestratorStore, orchestratorDir: string, i: number, options: { tasks?: number; noise?: number; leave?: 'running' | 'interrupted' } = {}): void {
  const tasks = options.tasks ?? 2;
  const id = runId(i);
  store.savePlan(planOf(i, tasks), { flushNow: false });
  store.beginRun({ runId: id, maxParallel: 2, planSource: `plan-${i}.md`, baseCommit: `base${i}` });
  const logs = join(orchestratorDir, 'runs', id, 'logs');
  mkdirSync(logs, { recursive: true });
  for (let k = 1; k <= tasks; k++) {
    const taskId = `TASK-${i}-${k}`;
    store.markSpecTasksReady([taskId], id);
    const created = store.createParallelTasks([{ task_id: taskId, spec_id: planOf(i, tasks).specs[0].id, priority: 'medium', estimated_hours: 1 }], id, 2);
    assert.equal(created.success, true);
    store.transition(taskId, 'running', { reason: 'slot free' });
    const logPath = join(logs, `${taskId}-a1.log`);
    writeFileSync(logPath, `log of ${taskId}\n`.repeat(20));
    const attempt = store.startAttempt({ taskId, runId: id, agent: 'scripted', branch: `orch/${taskId}/a1`, logPath });
    for (let n = 0; n < (options.noise ?? 3); n++) store.recordEvent({ kind: 'decision_noise', runId: id, taskId, detail: { message: `step ${n} of ${taskId}: ${'x'.repeat(60)}` } });
    if (options.leave === 'running') continue;
    const outcome = options.leave ?? 'completed';
    store.transition(taskId, outcome, { reason: 'agent finished', errorMessage: outcome === 'interrupted' ? 'Interrupted: test' : undefined });
    store.finishAttempt(attempt.attemptId, { outcome, exitCode: 0 });
  }
  store.recordOverlap({ runId: id, taskA: `TASK-${i}-1`, taskB: `TASK-${i}-2`, files: ['shared.txt'], conflict: false });
  writeFileSync(join(orchestratorDir, 'runs', id, 'summary.md'), `summary of ${id}\n`);
  if (options.leave !== 'running') store.endRun(id, { status: 'completed', summaryMd: `## summary of ${id}`, metrics: { total_sub_tasks: tasks, cost_usd: i } });
}

/** Everything the store holds about run `id`, for before/after comparisons. */
function snapshot(store: OrchestratorStore, id: string) {
  return { run: store.getRun(id), events: store.listEvents({ runId: id }), attempts: store.listRunAttempts(id), overlaps: store.listOverlaps(id) };
}

/** What must never change: tasks, specs, the plan, reviews. */
function permanent(store: OrchestratorStore) {
  return { tasks: store.listOrchestratorTasks(), specs: store.listSpecs(), plan: store.listPlanTasks(), views: store.listTasks().map((v) => ({ ...v, latestAttempt: v.latestAttempt && { ...v.latestAttempt, logPath: null } })) };
}

describe('store: retention of old runs', () => {
  const temp = useTempDir();
  const open = useStores(temp);
  const orchestratorDir = () => dirname(temp.dbPath());

  it('keeps the newest keepRuns runs whole; older runs keep their row, totals, attempts and trace ends, lose events, logs, summaries, pairs and folders', async () => {
    const store = await open(temp.dbPath());
    for (let i = 1; i <= 5; i++) recordRun(store, orchestratorDir(), i);
    const before = new Map([1, 2, 3, 4, 5].map((i) => [i, snapshot(store, runId(i))]));
    const kept = permanent(store);
    const history = store.listRuns().map(({ summaryMd: _summary, ...rest }) => rest);

    const report = await pruneOldRuns({ store, orchestratorDir: orchestratorDir(), keepRuns: 2 });

    assert.deepEqual(report.runIds, [runId(1), runId(2), runId(3)]);
    // Per run: 2 tasks × (spec_task_ready, task_spawned, 2 status_changed, attempt_started, 3 noise, attempt_finished) = 18, one overlap_detected... all but run_started and run_ended.
    const expectedEvents = [1, 2, 3].reduce((sum, i) => sum + before.get(i)!.events.filter((e) => e.kind !== 'run_started' && e.kind !== 'run_ended').length, 0);
    assert.equal(report.events, expectedEvents);
    assert.ok(report.events >= 3 * 18, `events pruned: ${report.events}`);
    assert.deepEqual([report.overlaps, report.logs, report.reports, report.folders], [3, 6, 3, 3]);
    assert.ok(report.folderBytes > 6 * 20 * 10, `folder bytes ${report.folderBytes}`);
    for (const i of [4, 5]) {
      assert.deepEqual(snapshot(store, runId(i)), before.get(i), `run ${i} kept whole`);
      assert.equal(existsSync(join(orchestratorDir(), 'runs', runId(i), 'logs', `TASK-${i}-1-a1.log`)), true);
    }
    for (const i of [1, 2, 3]) {
      const now = snapshot(store, runId(i));
      assert.deepEqual(now.events.map((e) => e.kind), ['run_started', 'run_ended', 'run_pruned'], `run ${i}'s trace`);
      assert.equal(now.run!.summaryMd, null);
      assert.deepEqual(now.run!.metrics, before.get(i)!.run!.metrics, 'totals kept');
      assert.deepEqual(now.run!.taskCounts, { completed: 2 });
      assert.deepEqual(now.attempts, before.get(i)!.attempts.map((a) => ({ ...a, logPath: null })), 'attempts kept, their logs gone');
      assert.deepEqual(now.overlaps, []);
      assert.equal(existsSync(join(orchestratorDir(), 'runs', runId(i))), false);
      assert.equal(store.runBaseCommit(runId(i)), `base${i}`, 'the base commit stays');
    }
    assert.deepEqual(permanent(store), kept, 'tasks, specs and plan untouched');
    assert.deepEqual(store.listRuns().map(({ summaryMd: _summary, ...rest }) => rest), history, 'the run history reads the same');

    // On disk at once, and the same.
    assert.equal(await countOnDisk(temp.dbPath(), 'orchestrator_event'), store.listEvents().length);
    assert.equal(Number((await queryDisk(temp.dbPath(), "SELECT COUNT(*) AS n FROM orchestrator_run WHERE summary_md IS NULL"))[0].n), 3);
    const traced = store.listEvents().filter((e) => e.kind === 'runs_pruned');
    assert.equal(traced.length, 1);
    assert.deepEqual(traced[0].detail?.runIds, report.runIds);

    // Pruning again finds nothing new, and writes nothing (a write would flush the whole file).
    await store.flush();
    const flushes = store.stats().flushes;
    const again = await pruneOldRuns({ store, orchestratorDir: orchestratorDir(), keepRuns: 2 });
    assert.deepEqual([again.runIds, again.events, again.folders], [[], 0, 0]);
    assert.deepEqual([store.stats().flushes, store.stats().pendingChanges], [flushes, 0]);
  });

  it('never prunes a run still running, nor one that owns a task not final (interrupted), even beyond keepRuns', async () => {
    const store = await open(temp.dbPath());
    recordRun(store, orchestratorDir(), 1, { leave: 'interrupted' });
    recordRun(store, orchestratorDir(), 2);
    recordRun(store, orchestratorDir(), 3, { leave: 'running' });
    recordRun(store, orchestratorDir(), 4);
    const before = [1, 3].map((i) => snapshot(store, runId(i)));
    // Run 3 stays `running` (a dead host's run not yet recovered) although it is older than run 4.
    const report = await pruneOldRuns({ store, orchestratorDir: orchestratorDir(), keepRuns: 1 });
    assert.deepEqual(report.runIds, [runId(2)]);
    assert.deepEqual([1, 3].map((i) => snapshot(store, runId(i))), before);
    assert.equal(existsSync(join(orchestratorDir(), 'runs', runId(1))), true);
  });

  it('refuses a keepRuns that is not a whole number ≥ 1, naming it, and changes nothing', async () => {
    const store = await open(temp.dbPath());
    recordRun(store, orchestratorDir(), 1);
    recordRun(store, orchestratorDir(), 2);
    const before = snapshot(store, runId(1));
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(pruneOldRuns({ store, orchestratorDir: orchestratorDir(), keepRuns: bad }), (error: Error) => error instanceof RetentionError && /keepRuns must be a whole number ≥ 1/.test(error.message));
    }
    assert.deepEqual(snapshot(store, runId(1)), before);
    assert.deepEqual(readdirSync(join(orchestratorDir(), 'runs')).sort(), [runId(1), runId(2)]);
  });

  it('is one transaction: a fault midway (after events were deleted) changes nothing in memory, on disk or in the run folders', async () => {
    const store = await open(temp.dbPath());
    for (let i = 1; i <= 3; i++) recordRun(store, orchestratorDir(), i);
    await store.flush();
    const before = [1, 2, 3].map((i) => snapshot(store, runId(i)));
    const eventsOnDisk = await countOnDisk(temp.dbPath(), 'orchestrator_event');
    // A TEMP trigger lives in this connection only (never in the file): it fails the statement that
    // clears the second pruned run's summary, after the first run's rows and the second's events went.
    const database = (store as unknown as { database: StoreDatabase }).database;
    database.read((db) =>
      db.exec(`CREATE TEMP TRIGGER fail_midway BEFORE UPDATE OF summary_md ON orchestrator_run
               WHEN NEW.summary_md IS NULL AND OLD.run_id = '${runId(2)}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END`),
    );
    await assert.rejects(pruneOldRuns({ store, orchestratorDir: orchestratorDir(), keepRuns: 1 }), /injected fault/);
    assert.deepEqual([1, 2, 3].map((i) => snapshot(store, runId(i))), before);
    await store.flush();
    assert.equal(await countOnDisk(temp.dbPath(), 'orchestrator_event'), eventsOnDisk);
    assert.deepEqual(readdirSync(join(orchestratorDir(), 'runs')).sort(), [1, 2, 3].map(runId));

    // Without the fault the same call prunes both.
    database.read((db) => db.exec('DROP TRIGGER temp.fail_midway'));
    assert.deepEqual((await pruneOldRuns({ store, orchestratorDir: orchestratorDir(), keepRuns: 1 })).runIds, [runId(1), runId(2)]);
  });

  it('a closed store refuses to prune and nothing changes on disk', async () => {
    const store = await open(temp.dbPath());
    recordRun(store, orchestratorDir(), 1);
    recordRun(store, orchestratorDir(), 2);
    await store.close();
    const events = await countOnDisk(temp.dbPath(), 'orchestrator_event');
    await assert.rejects(pruneOldRuns({ store, orchestratorDir: orchestratorDir(), keepRuns: 1 }), /closed/i);
    assert.equal(await countOnDisk(temp.dbPath(), 'orchestrator_event'), events);
    assert.equal(existsSync(join(orchestratorDir(), 'runs', runId(1))), true);
  });

  it(`VACUUMs when pruning left ≥ ${VACUUM_FREE_SHARE * 100}% of the file free: the file on disk shrinks, the kept run reads the same`, async () => {
    const store = await open(temp.dbPath());
    for (let i = 1; i <= 4; i++) recordRun(store, orchestratorDir(), i, { tasks: 4, noise: 250 });
    await store.flush();
    const sizeBefore = statSync(temp.dbPath()).size;
    const kept = snapshot(store, runId(4));
    const report = await pruneOldRuns({ store, orchestratorDir: orchestratorDir(), keepRuns: 1 });
    assert.ok(report.vacuum, 'compacted');
    const sizeAfter = statSync(temp.dbPath()).size;
    assert.equal(report.vacuum.bytesBefore, sizeBefore);
    assert.equal(report.vacuum.bytesAfter, sizeAfter);
    assert.ok(sizeAfter < sizeBefore * 0.5, `file ${sizeBefore} → ${sizeAfter} bytes`);
    assert.deepEqual(snapshot(store, runId(4)), kept);
    assert.equal(Number((await queryDisk(temp.dbPath(), 'PRAGMA freelist_count'))[0].freelist_count), 0);
    assert.equal(await countOnDisk(temp.dbPath(), 'orchestrator_event'), store.listEvents().length);
  });

  it('a pruning whose process died before its VACUUM: the next call, with nothing to prune, compacts the file', async () => {
    const store = await open(temp.dbPath());
    for (let i = 1; i <= 4; i++) recordRun(store, orchestratorDir(), i, { tasks: 4, noise: 250 });
    // The rows pruned and on disk, then nothing more: what a kill right after that flush leaves.
    assert.equal(store.retention().prune({ keepRuns: 1 }).runIds.length, 3);
    await store.flush();
    const sizeBefore = statSync(temp.dbPath()).size;
    assert.ok(store.retention().fileSpace().freeBytes / sizeBefore >= VACUUM_FREE_SHARE, 'the pruning left the file mostly free');
    const kept = snapshot(store, runId(4));
    const report = await pruneOldRuns({ store, orchestratorDir: orchestratorDir(), keepRuns: 1 });
    assert.deepEqual(report.runIds, []);
    assert.equal(report.folders, 3, 'the folders the dead pruning left go now');
    assert.ok(report.vacuum, 'compacted now');
    assert.ok(statSync(temp.dbPath()).size < sizeBefore * 0.5, `file ${sizeBefore} → ${statSync(temp.dbPath()).size} bytes`);
    assert.equal(Number((await queryDisk(temp.dbPath(), 'PRAGMA freelist_count'))[0].freelist_count), 0);
    assert.deepEqual(snapshot(store, runId(4)), kept);
    // And once compacted, never again for nothing.
    assert.equal((await pruneOldRuns({ store, orchestratorDir: orchestratorDir(), keepRuns: 1 })).vacuum, undefined);
  });

  it('with the store worker: after one VACUUM the host copy\'s free pages never trigger another (the file decides)', async () => {
    const store = await open(temp.dbPath(), { workerAboveBytes: 0 });
    for (let i = 1; i <= 4; i++) recordRun(store, orchestratorDir(), i, { tasks: 4, noise: 250 });
    assert.ok((await pruneOldRuns({ store, orchestratorDir: orchestratorDir(), keepRuns: 1 })).vacuum, 'compacted in the worker');
    // The host's copy still has the free pages (VACUUM ran only in the worker's copy).
    const database = (store as unknown as { database: StoreDatabase }).database;
    const hostFree = database.read((db) => Number(db.exec('PRAGMA freelist_count')[0].values[0][0]));
    assert.ok(hostFree > 0, 'the host copy kept its free pages');
    assert.equal(store.retention().fileSpace().freeBytes, 0);
    assert.equal((await pruneOldRuns({ store, orchestratorDir: orchestratorDir(), keepRuns: 1 })).vacuum, undefined);
  });

  it('does not VACUUM when little of the file was freed (the next runs reuse the pages)', async () => {
    const store = await open(temp.dbPath());
    for (let i = 1; i <= 9; i++) recordRun(store, orchestratorDir(), i, { tasks: 2, noise: 40 });
    const report = await pruneOldRuns({ store, orchestratorDir: orchestratorDir(), keepRuns: 8 });
    assert.deepEqual(report.runIds, [runId(1)]);
    assert.equal(report.vacuum, undefined);
  });
});
