// Retention through the real engine: runs of the scripted agent in a real repository, each run
// pruning at its start. After N + k runs with keepRuns N, the N newest runs still hold every event,
// log and report they had when they ended (compared exactly); the k older ones lost their events,
// logs, summaries and folders but kept their row, totals and attempts; no task, spec or plan task
// was lost; and each run that pruned said so.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Orchestrator, OrchestratorEvent } from '../../../src/core/orchestrator';
import { progressLine } from '../../../src/core/report/progressLine';
import type { PruneReport } from '../../../src/core/report/pruneReport';
import { useWorkspaces, type Workspace } from '../engine/engineFixture';
import { filesUnder } from './helpers';

const TASKS_PER_RUN = 3;

/** Spec i's plan in its own file (plan-i.json), so importing it never removes an earlier spec. */
function writePlan(ws: Workspace, i: number): string {
  const tasks = Array.from({ length: TASKS_PER_RUN }, (_, k) => ({ id: `TASK-${i}-${k + 1}`, title: `Run ${i} task ${k + 1}`, prompt: `progress 1/1 working\nwrite r${i}-${k + 1}.txt: run ${i}` }));
  return ws.writePlan(JSON.stringify({ specs: [{ id: `SPEC-${String(i).padStart(3, '0')}`, title: `Run ${i}`, tasks }] }), `plan-${i}.json`);
}

function snapshot(o: Orchestrator, runId: string) {
  return {
    run: o.getRun(runId),
    events: o.store.listEvents({ runId }),
    attempts: o.runAttempts(runId),
    files: filesUnder(join(o.orchestratorDir, 'runs', runId)),
  };
}

describe('store: retention through the engine', function () {
  this.timeout(240_000);
  const workspace = useWorkspaces();

  it('after N + k runs with keepRuns N: the N newest keep everything exactly, the k oldest only their row, totals and attempts', async () => {
    const N = 2;
    const k = 2;
    const ws = workspace();
    const o = await ws.open({ keepRuns: N, conflictRadar: false });
    const pruneEvents: Extract<OrchestratorEvent, { type: 'runsPruned' }>[] = [];
    o.onEvent((event) => {
      if (event.type === 'runsPruned') pruneEvents.push(event);
    });
    const runIds: string[] = [];
    const atEnd = new Map<string, ReturnType<typeof snapshot>>();
    let tasksAfterRun: ReturnType<Orchestrator['dispatchedTasks']> = [];
    for (let i = 1; i <= N + k; i++) {
      await o.importPlan(writePlan(ws, i));
      const result = await o.run();
      assert.equal(result.status, 'completed', result.summaryMd);
      runIds.push(result.runId);
      atEnd.set(result.runId, snapshot(o, result.runId));
      if (i === k) tasksAfterRun = o.dispatchedTasks();
    }

    const newest = runIds.slice(k);
    const oldest = runIds.slice(0, k);
    for (const runId of newest) {
      const now = snapshot(o, runId);
      assert.deepEqual(now, atEnd.get(runId), `run ${runId} is kept whole`);
      assert.ok(now.events.length >= TASKS_PER_RUN * 7, `${now.events.length} events`);
      assert.ok(Object.keys(now.files).some((file) => file.startsWith('logs/')), 'its logs');
      assert.ok(now.files['summary.md'] && now.run?.summaryMd, 'its report');
    }
    for (const runId of oldest) {
      const before = atEnd.get(runId)!;
      const now = snapshot(o, runId);
      assert.deepEqual(now.events.map((e) => e.kind), ['run_started', 'run_ended', 'run_pruned']);
      assert.deepEqual(now.files, {});
      assert.equal(existsSync(join(o.orchestratorDir, 'runs', runId)), false);
      assert.equal(now.run?.summaryMd, null);
      const { summaryMd: _gone, ...totals } = before.run!;
      assert.deepEqual({ ...now.run, summaryMd: undefined }, { ...totals, summaryMd: undefined }, 'row, status, metrics and task counts kept');
      assert.equal(now.attempts.length, TASKS_PER_RUN);
      assert.deepEqual(now.attempts, before.attempts.map((a) => ({ ...a, logPath: null })));
    }

    // Nothing of the plan or the tasks was lost: every spec, plan task and task row, the early
    // tasks' rows exactly as they were.
    assert.equal(o.specs().length, N + k);
    assert.equal(o.planTasks().length, (N + k) * TASKS_PER_RUN);
    assert.equal(o.dispatchedTasks().length, (N + k) * TASKS_PER_RUN);
    const early = new Set(tasksAfterRun.map((t) => t.taskId));
    assert.deepEqual(o.dispatchedTasks().filter((t) => early.has(t.taskId)), tasksAfterRun);

    // Runs N+1 … N+k each pruned one run at its start, said so, and traced it.
    assert.deepEqual(pruneEvents.map((e) => [e.runId, e.report.runIds]), oldest.map((pruned, j) => [runIds[N + j], [pruned]]));
    const report: PruneReport = pruneEvents[0].report;
    assert.equal(report.events, atEnd.get(oldest[0])!.events.length - 2);
    assert.deepEqual([report.logs, report.reports, report.folders, report.keepRuns], [TASKS_PER_RUN, 1, 1, N]);
    assert.match(progressLine(pruneEvents[0]) ?? '', /^\[\d\d:\d\d:\d\d\] Pruned 1 old run \(keeping the newest 2\): \d+ events, 3 logs, 1 summaries, \d+\.\d MiB\.$/);
    const traced = o.store.listEvents({ runId: pruneEvents[0].runId }).filter((e) => e.kind === 'runs_pruned');
    assert.deepEqual(traced.map((e) => e.detail?.runIds), [[oldest[0]]]);
  });
});
