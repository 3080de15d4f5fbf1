// kill -9 of `clean --runs` in the middle of retention (src/core/run/pruneOldRuns.ts): at the named
// points between its steps (the pruned rows flushed; the pruned runs' folders removed, before the
// VACUUM) and at seeded random moments of a real pruning of a database of several MiB, in both
// store modes (the VACUUM runs in the worker or on the main thread). Afterwards the database
// opens, every task and attempt is there, the kept runs are exactly as they were, the old runs are
// pruned all together or not at all, and the next `clean --runs` finishes the job: every old run
// pruned, every folder of theirs gone, and the file compacted.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, statSync, writeFileSync } from 'node:fs';
import { filesUnder } from '../store/helpers';
import { join } from 'node:path';
import type { Orchestrator } from '../../../src/core/orchestrator';
import { ENV_FAULT_INJECTION, type FaultPoint } from '../../../src/core/run/faultInjection';
import { VACUUM_FREE_SHARE } from '../../../src/core/run/pruneOldRuns';
import { OrchestratorStore } from '../../../src/core/store';
import type { StoreDatabase } from '../../../src/core/store/database';
import { recordEvent } from '../../../src/core/store/events';
import { seededRandom } from '../../../bench/random';
import { sleep, useWorkspaces, type Workspace } from '../engine/engineFixture';
import { FAULT_SEED, STORE_MODES, useStoreMode } from './faultFixture';

const RUNS = 6;
const KEEP = 2;
const TASKS_PER_RUN = 2;
/** Events per run: with their detail, about 1 MiB of trace per run. */
const EVENTS_PER_RUN = 2_000;
const RANDOM_POINTS = 5;

const runIdOf = (r: number) => `orch-2026010${r}-120000-ab${r}0`;
const taskIdsOf = (r: number) => Array.from({ length: TASKS_PER_RUN }, (_, k) => `TASK-${r}-${k + 1}`);
const ALL_TASKS = Array.from({ length: RUNS }, (_, i) => taskIdsOf(i + 1)).flat();
const OLD_RUNS = Array.from({ length: RUNS - KEEP }, (_, i) => runIdOf(i + 1));
const KEPT_RUNS = Array.from({ length: KEEP }, (_, i) => runIdOf(RUNS - KEEP + i + 1));

function databaseOf(o: Orchestrator): StoreDatabase {
  return (o.store as unknown as { database: StoreDatabase }).database;
}

/** RUNS ended runs with their tasks, attempts, log files, summaries and a long trace each, as real runs leave them. */
async function buildHistory(ws: Workspace): Promise<void> {
  const specs = Array.from({ length: RUNS }, (_, i) => ({
    id: `SPEC-00${i + 1}`,
    title: `Run ${i + 1}`,
    tasks: taskIdsOf(i + 1).map((id) => ({ id, title: `Task ${id}`, prompt: `write ${id}.txt: x` })),
  }));
  const o = await ws.open();
  try {
    await o.importPlan(ws.writePlan(JSON.stringify({ specs })));
    const { store } = o;
    for (let r = 1; r <= RUNS; r++) {
      const runId = runIdOf(r);
      const runDir = join(o.orchestratorDir, 'runs', runId);
      mkdirSync(join(runDir, 'logs'), { recursive: true });
      store.beginRun({ runId, baseCommit: 'abc123' });
      store.markSpecTasksReady(taskIdsOf(r), runId);
      const created = store.createParallelTasks(taskIdsOf(r).map((task_id) => ({ task_id, spec_id: `SPEC-00${r}`, priority: 'medium' as const, estimated_hours: 1 })), runId);
      assert.equal(created.success, true);
      for (const taskId of taskIdsOf(r)) {
        store.transition(taskId, 'running', { runId });
        const logPath = join(runDir, 'logs', `${taskId}-a1.log`);
        writeFileSync(logPath, `the log of ${taskId}\n`.repeat(50));
        const attempt = store.startAttempt({ taskId, runId, logPath, branch: `orch/${taskId}/a1` });
        store.finishAttempt(attempt.attemptId, { outcome: 'completed', exitCode: 0 });
        store.transition(taskId, 'completed', { runId });
      }
      // The trace in one transaction: the same rows as a run's many small ones, written fast.
      databaseOf(o).write((db) => {
        for (let i = 0; i < EVENTS_PER_RUN; i++) recordEvent(db, { kind: 'agent_output', runId, taskId: taskIdsOf(r)[i % TASKS_PER_RUN], detail: { i, line: `${runId} line ${i} `.padEnd(400, '.') } });
      });
      const summaryMd = `# Run ${r}\n`;
      writeFileSync(join(runDir, 'summary.md'), summaryMd);
      store.endRun(runId, { status: 'completed', summaryMd, metrics: { tasks: TASKS_PER_RUN } });
    }
    await store.flush();
  } finally {
    await o.close();
  }
}

interface RunSnapshot {
  readonly run: unknown;
  readonly events: unknown;
  readonly attempts: unknown;
  readonly files: Record<string, string>;
}

function snapshotRun(o: Orchestrator, runId: string): RunSnapshot {
  return { run: o.getRun(runId), events: o.store.listEvents({ runId }), attempts: o.runAttempts(runId), files: filesUnder(join(o.orchestratorDir, 'runs', runId)) };
}

/** The share of the file that is free pages, read from its header (https://www.sqlite.org/fileformat.html). */
function fileFreeShare(path: string): number {
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  const pageSize = header.readUInt16BE(16) === 1 ? 65_536 : header.readUInt16BE(16);
  const pages = statSync(path).size / pageSize;
  return header.readUInt32BE(36) / pages;
}

/**
 * Named points land exactly between the steps; the random ones fall in one of two windows timed
 * on an uninterrupted clean: `rows` from the start to the pruned rows' flush landing (the file
 * renamed into place), `compact` from then to the compacted file landing (folders, VACUUM, its flush).
 */
type KillPoint =
  | { readonly kind: 'named'; readonly point: FaultPoint }
  | { readonly kind: 'random'; readonly window: 'rows' | 'compact'; readonly share: number };

function killPoints(seed: number): KillPoint[] {
  const random = seededRandom(seed);
  return [
    { kind: 'named', point: 'runs-pruned' },
    { kind: 'named', point: 'run-folders-removed' },
    ...Array.from({ length: RANDOM_POINTS }, (_, i) => ({ kind: 'random', window: i < 2 ? 'rows' : 'compact', share: random() }) as const),
  ];
}

/** The lock's owner and what runs under its pid now, for a failure message (seen once: a read-only open after the kill). */
function whoHoldsTheLock(o: Orchestrator): string {
  const owner = o.store.lockOwner();
  if (!owner) return 'no owner file';
  let command = 'no such process';
  try {
    command = readFileSync(`/proc/${owner.pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    // gone, or not Linux
  }
  return `owner ${JSON.stringify(owner)}, pid ${owner.pid} now runs: ${command}`;
}

/** Resolves when `path` is replaced (an atomic write renames a new file over it: a new inode). */
function replaced(path: string, stop: Promise<unknown>): Promise<boolean> {
  const inode = statSync(path).ino;
  return new Promise((resolve) => {
    let done = false;
    void stop.then(() => {
      done = true;
      resolve(false);
    });
    const poll = (): void => {
      if (done) return;
      if (existsSync(path) && statSync(path).ino !== inode) {
        done = true;
        resolve(true);
      } else setTimeout(poll, 2);
    };
    poll();
  });
}

for (const mode of STORE_MODES) {
  describe(`faults: kill -9 in the middle of retention (ORCH_FAULT_SEED=${FAULT_SEED}) (${mode.name})`, function () {
    this.timeout(180_000);
    const workspace = useWorkspaces();
    useStoreMode(mode);
    /** An uninterrupted `clean --runs` of this history here: until its first flush landed, and from then to its end. */
    const windows = { rows: 1_500, compact: 1_000 };

    it('uninterrupted: the old runs are pruned, their folders removed and the file compacted', async () => {
      const ws = workspace();
      await buildHistory(ws);
      const started = Date.now();
      const live = ws.spawnCli(['clean', '--runs', '--keep', String(KEEP), '--json']);
      const dbPath = OrchestratorStore.defaultPath(ws.repo);
      assert.equal(await replaced(dbPath, live.exited), true, 'the pruned rows were flushed');
      const flushed = Date.now();
      assert.equal(await replaced(dbPath, live.exited), true, 'the compacted file was flushed');
      Object.assign(windows, { rows: flushed - started, compact: Date.now() - flushed });
      const cleaned = await live.exited;
      assert.equal(cleaned.code, 0, cleaned.stderr);
      const report = JSON.parse(cleaned.stdout) as { runIds: string[]; vacuum?: { bytesBefore: number; bytesAfter: number } };
      assert.deepEqual(report.runIds, OLD_RUNS);
      assert.ok(report.vacuum && report.vacuum.bytesAfter < report.vacuum.bytesBefore / 2, JSON.stringify(report));
      assert.ok(statSync(OrchestratorStore.defaultPath(ws.repo)).size > 1_000_000, 'the kept runs are still most of a big file');
    });

    for (const [index, point] of killPoints(FAULT_SEED).entries()) {
      const label = point.kind === 'named' ? `at ${point.point}` : `${Math.round(point.share * 100)}% into the ${point.window === 'rows' ? 'pruning of the rows' : 'removal of folders and the VACUUM'}`;
      it(`point ${index + 1}: ${label} — the database opens, nothing kept is touched, the next clean finishes`, async () => {
        const ws = workspace();
        await buildHistory(ws);
        const dbPath = OrchestratorStore.defaultPath(ws.repo);
        const opened = await ws.open();
        const before = new Map([...OLD_RUNS, ...KEPT_RUNS].map((runId) => [runId, snapshotRun(opened, runId)]));
        await opened.close();

        const env = point.kind === 'named' ? { ...process.env, [ENV_FAULT_INJECTION]: point.point } : process.env;
        const live = ws.spawnCli(['clean', '--runs', '--keep', String(KEEP)], env);
        if (point.kind === 'random') {
          if (point.window === 'compact') await replaced(dbPath, live.exited);
          await Promise.race([sleep(Math.round(point.share * windows[point.window])), live.exited]);
          live.child.kill('SIGKILL');
        }
        const killed = await live.exited;
        assert.ok(killed.code === null || killed.code === 0, `clean failed instead of being killed:\n${killed.stdout}\n${killed.stderr}`);

        const o = await ws.open();
        try {
          assert.equal(o.store.readOnly, false, `the store opened read-only after the kill of pid ${live.child.pid}: ${whoHoldsTheLock(o)}`);
          assert.deepEqual(o.store.listTasks().map((t) => [t.taskId, t.status]), ALL_TASKS.map((id) => [id, 'completed']));
          for (const id of ALL_TASKS) assert.deepEqual(o.store.listAttempts(id).map((a) => a.outcome), ['completed'], id);
          for (const runId of KEPT_RUNS) assert.deepEqual(snapshotRun(o, runId), before.get(runId), `kept run ${runId} changed`);
          const pruned = OLD_RUNS.filter((runId) => o.store.listEvents({ runId }).some((e) => e.kind === 'run_pruned'));
          assert.ok(pruned.length === 0 || pruned.length === OLD_RUNS.length, `pruned only ${pruned.join(', ')}: one transaction prunes all or none`);
          for (const runId of OLD_RUNS) {
            const now = snapshotRun(o, runId);
            if (pruned.length === 0) assert.deepEqual(now, before.get(runId), `${runId} changed without being pruned`);
            else assert.deepEqual(o.store.listEvents({ runId }).map((e) => e.kind), ['run_started', 'run_ended', 'run_pruned']);
          }
        } finally {
          await o.close();
        }

        const again = await ws.cli(['clean', '--runs', '--keep', String(KEEP), '--json']);
        assert.equal(again.code, 0, again.stderr);
        const o2 = await ws.open();
        try {
          for (const runId of KEPT_RUNS) assert.deepEqual(snapshotRun(o2, runId), before.get(runId), `kept run ${runId} changed`);
          for (const runId of OLD_RUNS) {
            assert.deepEqual(o2.store.listEvents({ runId }).map((e) => e.kind), ['run_started', 'run_ended', 'run_pruned'], runId);
            assert.equal(existsSync(join(o2.orchestratorDir, 'runs', runId)), false, `${runId}'s folder is still there`);
          }
          assert.equal(o2.store.listTasks().length, ALL_TASKS.length);
        } finally {
          await o2.close();
        }
        assert.ok(fileFreeShare(dbPath) < VACUUM_FREE_SHARE, `the file was never compacted: ${Math.round(fileFreeShare(dbPath) * 100)}% of it is free pages`);
      });
    }
  });
}
