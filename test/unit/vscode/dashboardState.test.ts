// The dashboard's state, built from a real workspace's orchestrator (the scripted agent, real git):
// the modes the webview tells apart (no database, writer, read-only), the trust and pause flags,
// the task views with live progress, the latest run with its metrics, and the timeline's slots.
import * as assert from 'node:assert/strict';
import type { AttemptRecord } from '../../../src/core/store';
import { assignSlots, buildDashboardState, type DashboardInputs } from '../../../src/vscode/dashboard/dashboardState';
import type { TaskProgress } from '../../../src/vscode/session/RunActivity';
import { useWorkspaces, whenStatus } from '../engine/engineFixture';

const NOW = Date.parse('2025-01-01T10:00:00Z');

function inputs(fields: Partial<DashboardInputs> = {}): DashboardInputs {
  return {
    extensionVersion: '1.2.3',
    workspaceName: 'demo',
    orchestrator: undefined,
    running: false,
    paused: false,
    trusted: true,
    progress: () => undefined,
    now: NOW,
    ...fields,
  };
}

function attempt(taskId: string, startedAt: string, endedAt: string | null, fields: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    attemptId: 0,
    taskId,
    runId: 'orch-1',
    attemptNumber: 1,
    agent: 'scripted',
    worktree: null,
    branch: null,
    pid: null,
    exitCode: null,
    outcome: endedAt === null ? null : 'completed',
    startedAt,
    endedAt,
    durationMs: null,
    costUsd: null,
    tokensIn: null,
    tokensOut: null,
    logPath: null,
    error: null,
    sessionId: null,
    startCommit: null,
    ...fields,
  };
}

describe('dashboard state', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('without a database: mode none, nothing to show, never running; trust and pause carried as given', () => {
    const state = buildDashboardState(inputs({ running: true, paused: true, trusted: false }));
    assert.deepEqual(state, {
      extensionVersion: '1.2.3',
      workspaceName: 'demo',
      generatedAt: NOW,
      trusted: false,
      paused: true,
      mode: 'none',
      running: false,
      specs: [],
      tasks: [],
      run: null,
      timeline: [],
      overlaps: [],
    });
  });

  it('with a plan and no run: the writer’s view of the specs and tasks, each with the agent routing would pick', async () => {
    const ws = workspace();
    const o = await ws.withPlan([
      { id: 'TASK-1-1', title: 'First', prompt: 'write a.txt: a', priority: 'high', estimatedHours: 3 },
      { id: 'TASK-1-2', prompt: 'write b.txt: b', dependsOn: ['TASK-1-1'], agent: 'codex' },
    ]);
    const progress: TaskProgress = { step: 1, total: 2, message: 'half' };
    const state = buildDashboardState(inputs({ orchestrator: o, trusted: false, progress: () => progress }));
    assert.equal(state.mode, 'writer');
    assert.equal(state.trusted, false);
    assert.deepEqual(state.specs, [{ specId: 'SPEC-001', title: 'Engine test' }]);
    assert.deepEqual(
      state.tasks.map((t) => [t.taskId, t.title, t.status, t.priority, t.estimatedHours, t.dependsOn, t.agent]),
      [
        ['TASK-1-1', 'First', 'pending', 'high', 3, [], 'scripted'],
        ['TASK-1-2', 'Task TASK-1-2', 'pending', 'medium', 1, ['TASK-1-1'], 'codex'],
      ],
    );
    const first = state.tasks[0];
    assert.equal(first.progress, null, 'progress is shown for running tasks only');
    assert.deepEqual([first.attempts, first.retryCount, first.hasLog, first.durationMs, first.worktree, first.error], [0, 0, false, null, null, null]);
    assert.deepEqual([state.run, state.timeline], [null, []]);
  });

  it('in a second window while the first holds the database: read-only, showing the same tasks', async () => {
    const ws = workspace();
    await ws.withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
    const viewer = await ws.open();
    const state = buildDashboardState(inputs({ orchestrator: viewer }));
    assert.equal(state.mode, 'readOnly');
    assert.deepEqual(state.tasks.map((t) => t.taskId), ['TASK-1-1']);
  });

  it('while a task runs: its live progress (a copy), the running and paused flags as given', async () => {
    const ws = workspace();
    const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'progress 1/2 working; hang' }, { id: 'TASK-1-2', prompt: 'write b.txt: b', dependsOn: ['TASK-1-1'] }], { timeoutMinutes: 0.5 });
    const running = whenStatus(o, 'TASK-1-1', 'running');
    const run = o.run();
    try {
      await running;
      const progress: TaskProgress = { step: 1, total: 2, message: 'working' };
      const state = buildDashboardState(inputs({ orchestrator: o, running: true, paused: true, progress: () => progress }));
      assert.deepEqual([state.running, state.paused], [true, true]);
      const [first, second] = state.tasks;
      assert.equal(first.status, 'running');
      assert.deepEqual(first.progress, progress);
      assert.notEqual(first.progress, progress, 'a copy, so a later change of the live progress does not alter a posted state');
      assert.equal(second.progress, null);
      assert.equal(state.run?.status, 'running');
      assert.equal(state.run?.endedAt, null);
    } finally {
      await o.control({ command: 'cancelAll' });
      await run;
    }
  });

  it('after a run: the run with its metrics, each task’s last attempt, and the attempts on the timeline', async () => {
    const ws = workspace();
    const o = await ws.withPlan(
      [
        { id: 'TASK-1-1', prompt: 'cost 0.10 tokens 1000/200; write a.txt: a' },
        { id: 'TASK-1-2', prompt: 'fail with the linter is unhappy' },
        { id: 'TASK-1-3', prompt: 'write c.txt: c', dependsOn: ['TASK-1-2'] },
      ],
      { maxParallel: 2 },
    );
    const result = await o.run();
    const state = buildDashboardState(inputs({ orchestrator: o }));

    const run = state.run!;
    assert.deepEqual([run.runId, run.status, run.strategy, run.maxParallel], [result.runId, 'failed', 'wait_all', 2]);
    assert.equal(run.summaryMd, result.summaryMd);
    assert.ok(run.endedAt !== null && run.endedAt >= run.startedAt);
    const metrics = run.metrics!;
    assert.deepEqual(
      [metrics.total_sub_tasks, metrics.successful_agents, metrics.failed_agents, metrics.blocked_tasks, metrics.total_attempts, metrics.cost_usd, metrics.tokens_in, metrics.tokens_out],
      [3, 1, 1, 1, 2, 0.1, 1000, 200],
    );
    assert.equal(metrics.max_concurrent_agents, result.metrics.resource_usage.max_concurrent_agents, 'the peak, brought up from resource_usage');
    assert.deepEqual(metrics.branches_created, result.metrics.branches_created);
    assert.deepEqual(metrics.follow_up_tasks, ['TASK-1-2', 'TASK-1-3']);

    const byId = new Map(state.tasks.map((t) => [t.taskId, t]));
    const done = byId.get('TASK-1-1')!;
    assert.deepEqual([done.status, done.attempts, done.costUsd, done.tokensIn, done.tokensOut, done.exitCode, done.hasLog], ['completed', 1, 0.1, 1000, 200, 0, true]);
    assert.ok(done.branch && done.worktree && done.durationMs !== null && done.startedAt && done.completedAt);
    const failed = byId.get('TASK-1-2')!;
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /the linter is unhappy/);
    const blocked = byId.get('TASK-1-3')!;
    assert.deepEqual([blocked.status, blocked.attempts, blocked.hasLog], ['blocked', 0, false]);

    assert.deepEqual(state.timeline.map((a) => [a.taskId, a.attempt, a.outcome, a.agent]).sort(), [
      ['TASK-1-1', 1, 'completed', 'scripted'],
      ['TASK-1-2', 1, 'failed', 'scripted'],
    ]);
    for (const a of state.timeline) assert.ok(a.slot >= 0 && a.slot < 2 && a.endedAt !== null && a.endedAt >= a.startedAt);
  });

  it('carries the radar’s pairs of the latest run and each task’s review state once one is recorded', async () => {
    const ws = workspace();
    const o = await ws.withPlan([
      { id: 'TASK-1-1', prompt: 'write shared.txt: one; write a.txt: a' },
      { id: 'TASK-1-2', prompt: 'write shared.txt: two' },
      { id: 'TASK-1-3', prompt: 'write c.txt: c' },
    ]);
    await o.run();
    const state = buildDashboardState(inputs({ orchestrator: o }));
    assert.deepEqual(state.overlaps, [{ taskA: 'TASK-1-1', taskB: 'TASK-1-2', files: ['shared.txt'], conflict: true }]);
    assert.deepEqual(state.tasks.map((t) => t.review), [null, null, null]);
    await o.discard('TASK-1-3');
    const after = buildDashboardState(inputs({ orchestrator: o }));
    assert.deepEqual(after.tasks.find((t) => t.taskId === 'TASK-1-3')?.review, { state: 'discarded', target: null, commit: null, strategy: null });
    assert.equal(after.tasks.find((t) => t.taskId === 'TASK-1-1')?.review, null);
  });

  describe('timeline slots', () => {
    it('gives each attempt the lowest slot free when it starts, in order of start', () => {
      const slots = assignSlots([
        attempt('TASK-1-3', '2025-01-01T10:00:05Z', '2025-01-01T10:00:20Z'),
        attempt('TASK-1-1', '2025-01-01T10:00:00Z', '2025-01-01T10:00:10Z'),
        attempt('TASK-1-2', '2025-01-01T10:00:01Z', '2025-01-01T10:00:04Z'),
        attempt('TASK-1-4', '2025-01-01T10:00:10Z', '2025-01-01T10:00:12Z'),
      ]);
      assert.deepEqual(
        slots.map((a) => [a.taskId, a.slot]),
        [
          ['TASK-1-1', 0],
          ['TASK-1-2', 1],
          ['TASK-1-3', 1],
          ['TASK-1-4', 0],
        ],
      );
    });

    it('keeps a slot taken while its attempt still runs, and carries times in milliseconds', () => {
      const slots = assignSlots([
        attempt('TASK-1-1', '2025-01-01T10:00:00Z', null),
        attempt('TASK-1-2', '2025-01-01T10:00:30Z', '2025-01-01T10:00:40Z', { attemptNumber: 2, outcome: 'failed', agent: 'codex' }),
      ]);
      assert.deepEqual(slots, [
        { taskId: 'TASK-1-1', attempt: 1, slot: 0, startedAt: Date.parse('2025-01-01T10:00:00Z'), endedAt: null, outcome: null, agent: 'scripted' },
        { taskId: 'TASK-1-2', attempt: 2, slot: 1, startedAt: Date.parse('2025-01-01T10:00:30Z'), endedAt: Date.parse('2025-01-01T10:00:40Z'), outcome: 'failed', agent: 'codex' },
      ]);
    });

    it('orders attempts that start together by their id', () => {
      const slots = assignSlots([attempt('TASK-1-2', '2025-01-01T10:00:00Z', null, { attemptId: 2 }), attempt('TASK-1-1', '2025-01-01T10:00:00Z', null, { attemptId: 1 })]);
      assert.deepEqual(slots.map((a) => [a.taskId, a.slot]), [['TASK-1-1', 0], ['TASK-1-2', 1]]);
    });
  });
});
