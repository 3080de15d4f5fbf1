import * as assert from 'node:assert/strict';
import { StoreError, UnknownTaskError, type OrchestratorStore } from '../../../src/core/store';
import { join } from 'node:path';
import { countTasks } from '../../../src/shared/taskCounts';
import { planTask } from '../../support/planTask';
import { samplePlan, spec, useStores, useTempDir } from './helpers';

describe('store: queries and scheduler helpers', () => {
  const temp = useTempDir();
  const open = useStores(temp);
  let store: OrchestratorStore;

  beforeEach(async () => {
    store = await open(temp.dbPath());
    store.savePlan(samplePlan());
    store.beginRun({ runId: 'orch-1', strategy: 'wait_all', maxParallel: 3, planSource: 'demo.plan.md' });
    store.markSpecTasksReady(['TASK-31-1', 'TASK-31-2', 'TASK-32-1'], 'orch-1');
    store.createParallelTasks(
      [
        { task_id: 'TASK-31-1', spec_id: 'SPEC-031', priority: 'high', estimated_hours: 8 },
        { task_id: 'TASK-31-2', spec_id: 'SPEC-031', priority: 'high', estimated_hours: 6 },
      ],
      'orch-1',
      3,
    );
  });

  describe('attempts', () => {
    it('numbers attempts per task, records progress and the end, and computes the duration', () => {
      store.transition('TASK-31-1', 'running', { assignedAgent: 'claude' });
      const first = store.startAttempt({ taskId: 'TASK-31-1', worktree: '/wt/TASK-31-1', branch: 'orch/TASK-31-1' });
      assert.deepEqual([first.attemptNumber, first.runId, first.agent, first.endedAt], [1, 'orch-1', 'claude', null]);
      store.updateAttempt(first.attemptId, { pid: 4242, costUsd: 0.01 });
      const ended = store.finishAttempt(first.attemptId, { outcome: 'failed', exitCode: 1, error: 'tests failed', tokensIn: 1200, tokensOut: 300, costUsd: 0.05 });
      assert.deepEqual(
        [ended.pid, ended.exitCode, ended.outcome, ended.error, ended.tokensIn, ended.tokensOut, ended.costUsd, ended.worktree],
        [4242, 1, 'failed', 'tests failed', 1200, 300, 0.05, '/wt/TASK-31-1'],
      );
      assert.ok(ended.durationMs !== null && ended.durationMs >= 0);
      assert.throws(() => store.finishAttempt(first.attemptId, { outcome: 'failed' }), /already ended/);
      assert.throws(() => store.updateAttempt(first.attemptId, { pid: 1 }), /already ended/);

      store.transition('TASK-31-1', 'failed');
      store.transition('TASK-31-1', 'spawned');
      store.transition('TASK-31-1', 'running');
      const second = store.startAttempt({ taskId: 'TASK-31-1', agent: 'codex', pid: 99 });
      const finished = store.finishAttempt(second.attemptId, { outcome: 'completed', exitCode: 0, durationMs: 1234.6 });
      assert.deepEqual([finished.attemptNumber, finished.agent, finished.durationMs], [2, 'codex', 1235]);
      assert.deepEqual(store.listAttempts('TASK-31-1').map((a) => a.attemptNumber), [1, 2]);
      assert.deepEqual(
        store.listEvents({ taskId: 'TASK-31-1' }).filter((e) => e.kind.startsWith('attempt_')).map((e) => [e.kind, e.detail?.attemptNumber]),
        [['attempt_started', 1], ['attempt_finished', 1], ['attempt_started', 2], ['attempt_finished', 2]],
      );
    });

    it('refuses an attempt for a task the orchestrator does not know', () => {
      assert.throws(() => store.startAttempt({ taskId: 'TASK-31-3' }), UnknownTaskError);
    });
  });

  describe('task views', () => {
    it('lists planned and orchestrated tasks together, each with its latest attempt', () => {
      store.transition('TASK-31-1', 'running');
      const attempt = store.startAttempt({ taskId: 'TASK-31-1' });
      const views = store.listTasks();
      assert.deepEqual(
        views.map((v) => [v.taskId, v.displayStatus, v.planStatus, v.status]),
        [
          ['TASK-31-1', 'running', 'assigned', 'running'],
          ['TASK-31-2', 'spawned', 'assigned', 'spawned'],
          ['TASK-31-3', 'pending', 'pending', null],
          ['TASK-31-4', 'pending', 'pending', null],
          ['TASK-32-1', 'ready', 'ready', null],
        ],
      );
      assert.equal(views[0].latestAttempt?.attemptId, attempt.attemptId);
      assert.equal(views[1].latestAttempt, null);
      assert.deepEqual(views[2].dependsOn, ['TASK-31-1', 'TASK-31-2']);
      assert.equal(views[2].agent, 'claude', "the plan's agent until one is assigned");
      assert.equal(views[0].runId, 'orch-1');
    });

    it('filters by status, by several statuses, by spec and by run', () => {
      const ids = (filter: Parameters<OrchestratorStore['listTasks']>[0]): string[] => store.listTasks(filter).map((v) => v.taskId);
      assert.deepEqual(ids({ status: 'pending' }), ['TASK-31-3', 'TASK-31-4']);
      assert.deepEqual(ids({ status: ['ready', 'spawned'] }), ['TASK-31-2', 'TASK-31-1', 'TASK-32-1'].sort());
      assert.deepEqual(ids({ status: [] }), []);
      assert.deepEqual(ids({ specId: 'SPEC-032' }), ['TASK-32-1']);
      assert.deepEqual(ids({ runId: 'orch-1' }), ['TASK-31-1', 'TASK-31-2']);
      assert.deepEqual(ids({ runId: 'orch-1', status: 'running' }), []);
    });

    it('shows an orchestrator task that has no plan entry', () => {
      store.createParallelTasks([{ task_id: 'TASK-31-77', spec_id: 'SPEC-031', priority: 'low', estimated_hours: 1 }], 'orch-2');
      const [view] = store.listTasks({ runId: 'orch-2' });
      assert.deepEqual([view.taskId, view.title, view.planStatus, view.displayStatus, view.priority], ['TASK-31-77', null, null, 'spawned', 'low']);
    });

    it('counts tasks per status, with every status present', () => {
      store.transition('TASK-31-1', 'running');
      store.transition('TASK-31-1', 'completed');
      const counts = store.progressCounts();
      assert.deepEqual(
        { ...counts },
        { pending: 2, ready: 1, assigned: 0, spawned: 1, running: 0, completed: 1, failed: 0, timed_out: 0, cancelled: 0, blocked: 0, interrupted: 0, total: 5 },
      );
      assert.equal(store.progressCounts({ runId: 'orch-1' }).total, 2);
      assert.equal(store.progressCounts({ specId: 'SPEC-032' }).ready, 1);
    });

    it('counts a fan-out parent’s children, not the parent (as the tree and the dashboard do)', async () => {
      const fanned = await open(join(temp.dir(), 'fanned.db'));
      fanned.savePlan({
        source: 'fan.plan.md',
        specs: [spec('SPEC-033')],
        tasks: [
          planTask('TASK-33-1', { strategy: 'wait_all' }),
          planTask('TASK-33-2', { parentId: 'TASK-33-1' }),
          planTask('TASK-33-3', { parentId: 'TASK-33-1' }),
          planTask('TASK-33-4'),
        ],
      });
      const counts = fanned.progressCounts();
      assert.equal(counts.total, 3);
      assert.equal(counts.pending, 3);
      assert.deepEqual(
        { ...counts },
        { ...countTasks(fanned.listTasks().map((row) => ({ taskId: row.taskId, status: row.displayStatus, parentId: row.parentTaskId }))) },
        'the CLI counts as src/shared/taskCounts.ts does',
      );
    });
  });

  describe('runs', () => {
    it('keeps run history newest first, with task counts, summary and metrics', () => {
      store.transition('TASK-31-1', 'running');
      store.transition('TASK-31-1', 'completed');
      const ended = store.endRun('orch-1', { status: 'completed', summaryMd: '# Done', metrics: { tasks: 2, costUsd: 0.5 } });
      assert.equal(ended.status, 'completed');
      assert.notEqual(ended.endedAt, null);
      assert.deepEqual(ended.metrics, { tasks: 2, costUsd: 0.5 });
      assert.deepEqual(ended.taskCounts, { completed: 1, spawned: 1 });
      assert.equal(ended.maxParallel, 3);
      assert.equal(ended.strategy, 'wait_all');
      assert.equal(ended.pid, process.pid);

      store.beginRun({ runId: 'orch-2' });
      assert.deepEqual(store.listRuns().map((r) => [r.runId, r.status, r.maxParallel]), [['orch-2', 'running', 4], ['orch-1', 'completed', 3]]);
      assert.deepEqual(store.listRuns(1).map((r) => r.runId), ['orch-2']);
      assert.deepEqual(store.listEvents({ runId: 'orch-1' }).filter((e) => e.kind.startsWith('run_')).map((e) => [e.kind, e.toStatus]), [['run_started', 'running'], ['run_ended', 'completed']]);
    });

    it('refuses a duplicate run, a second end, and a bad maxParallel', () => {
      assert.throws(() => store.beginRun({ runId: 'orch-1' }), /Run orch-1 already exists/);
      store.endRun('orch-1', { status: 'cancelled' });
      assert.throws(() => store.endRun('orch-1', { status: 'completed' }), StoreError);
      assert.throws(() => store.endRun('orch-9', { status: 'completed' }), /Unknown run: orch-9/);
      assert.throws(() => store.beginRun({ runId: 'orch-3', maxParallel: 0 }), /Invalid maxParallel/);
    });
  });

  describe('events', () => {
    it('lists a task\'s events in order, the newest N, and only what is new since an id', () => {
      store.transition('TASK-31-1', 'running');
      store.transition('TASK-31-1', 'completed');
      const all = store.listEvents({ taskId: 'TASK-31-1' });
      assert.deepEqual(all.map((e) => e.kind), ['spec_task_ready', 'task_spawned', 'status_changed', 'status_changed']);
      assert.ok(all.every((e, i) => i === 0 || e.eventId > all[i - 1].eventId));
      assert.ok(all.every((e) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(e.at)));
      assert.deepEqual(store.listEvents({ taskId: 'TASK-31-1', limit: 2 }), all.slice(2));
      assert.deepEqual(store.listEvents({ taskId: 'TASK-31-1', afterEventId: all[1].eventId }), all.slice(2));
      const id = store.recordEvent({ kind: 'routing_decision', taskId: 'TASK-31-2', runId: 'orch-1', detail: { agent: 'codex', keyword: 'api' } });
      assert.deepEqual(store.listEvents({ afterEventId: id - 1 }).map((e) => [e.kind, e.detail]), [['routing_decision', { agent: 'codex', keyword: 'api' }]]);
    });
  });

  describe('recovery after a writer died', () => {
    it('marks running tasks, open attempts and running runs interrupted, resumably', () => {
      store.transition('TASK-31-1', 'running');
      const attempt = store.startAttempt({ taskId: 'TASK-31-1' });
      const result = store.recoverInterrupted();
      assert.deepEqual(result, { tasks: ['TASK-31-1'], runs: ['orch-1'], attempts: 1 });
      assert.equal(store.getTask('TASK-31-1')?.status, 'interrupted');
      assert.equal(store.getTask('TASK-31-2')?.status, 'spawned', 'not started: left as is');
      assert.equal(store.listAttempts('TASK-31-1')[0].outcome, 'interrupted');
      assert.equal(store.listAttempts('TASK-31-1')[0].attemptId, attempt.attemptId);
      assert.equal(store.getRun('orch-1')?.status, 'interrupted');
      assert.equal(store.transition('TASK-31-1', 'spawned').task.retryCount, 0, 'resuming spends no retry');
      assert.deepEqual(store.recoverInterrupted(), { tasks: [], runs: [], attempts: 0 });
    });

    it('writes nothing when nothing was left running', async () => {
      store.endRun('orch-1', { status: 'completed' });
      await store.flush();
      const events = store.listEvents().length;
      assert.deepEqual(store.recoverInterrupted(), { tasks: [], runs: [], attempts: 0 });
      assert.equal(store.stats().pendingChanges, 0, 'no transaction, so no flush is due');
      assert.equal(store.listEvents().length, events);
    });

    it('finds an attempt left open even when its task and run are no longer running', () => {
      store.endRun('orch-1', { status: 'completed' });
      const attempt = store.startAttempt({ taskId: 'TASK-31-2' });
      assert.deepEqual(store.recoverInterrupted(), { tasks: [], runs: [], attempts: 1 });
      assert.equal(store.listAttempts('TASK-31-2').find((a) => a.attemptId === attempt.attemptId)?.outcome, 'interrupted');
    });
  });
});
