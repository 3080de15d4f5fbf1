import * as assert from 'node:assert/strict';
import type { PlanTask, TaskStatus } from '../../../src/core/model';
import { filesOverlap } from '../../../src/core/plan/fileOverlap';
import { Scheduler } from '../../../src/core/scheduler/Scheduler';
import { SimulatedClock } from '../../../src/core/scheduler/simulatedClock';
import { SimulatedExecutor, type SimulatedAttempt } from '../../../src/core/scheduler/simulatedExecutor';
import type { AttemptContext, SchedulerDecision, SchedulerOptions, TransitionNotice } from '../../../src/core/scheduler/types';
import { planTask } from '../../support/planTask';

const HOUR = 1000;

interface Harness {
  readonly clock: SimulatedClock;
  readonly executor: SimulatedExecutor;
  readonly scheduler: Scheduler;
  readonly notices: TransitionNotice[];
  readonly decisions: SchedulerDecision[];
  /** Task ids in the order their first attempt started. */
  startOrder(): string[];
  run(): ReturnType<Scheduler['run']>;
}

/** Each task takes its estimate in simulated time unless `behave` says otherwise. */
function harness(
  tasks: readonly PlanTask[],
  options: SchedulerOptions = {},
  behave: (task: PlanTask, context: AttemptContext) => Partial<SimulatedAttempt> = () => ({}),
): Harness {
  const clock = new SimulatedClock();
  const executor = new SimulatedExecutor(clock, (task, context) => ({ durationMs: task.estimatedHours * HOUR, ...behave(task, context) }));
  const notices: TransitionNotice[] = [];
  const decisions: SchedulerDecision[] = [];
  const scheduler = new Scheduler(
    tasks,
    executor,
    { onTransition: (n) => notices.push(n), onDecision: (d) => decisions.push(d) },
    { clock, retryBaseDelayMs: 10, ...options },
  );
  return {
    clock,
    executor,
    scheduler,
    notices,
    decisions,
    startOrder: () => [...new Set(executor.records.map((r) => r.taskId))],
    run: () => clock.runUntil(scheduler.run()),
  };
}

function statusesOf(notices: readonly TransitionNotice[], id: string): TaskStatus[] {
  return notices.filter((n) => n.taskId === id).map((n) => n.to);
}

describe('Scheduler', () => {
  it('starts a task only after its dependencies completed', async () => {
    const h = harness([planTask('TASK-1-2', { dependsOn: ['TASK-1-1'] }), planTask('TASK-1-1', { estimatedHours: 3 })]);
    const outcome = await h.run();
    assert.equal(outcome.status, 'completed');
    const [first, second] = h.executor.records;
    assert.equal(first.taskId, 'TASK-1-1');
    assert.equal(second.taskId, 'TASK-1-2');
    assert.equal(second.startedAt, first.endedAt);
  });

  it('orders ready tasks by priority class, then remaining critical path, then plan order', async () => {
    const h = harness(
      [
        planTask('TASK-1-1', { priority: 'low', estimatedHours: 9 }),
        planTask('TASK-1-2', { priority: 'medium', estimatedHours: 1 }),
        planTask('TASK-1-3', { priority: 'medium', estimatedHours: 1 }),
        planTask('TASK-1-4', { priority: 'medium', estimatedHours: 1 }),
        planTask('TASK-1-5', { priority: 'high', estimatedHours: 1 }),
        planTask('TASK-1-6', { dependsOn: ['TASK-1-3'], estimatedHours: 5 }),
      ],
      { maxParallel: 1 },
    );
    await h.run();
    // high first; among the mediums TASK-1-3 leads a 6-hour chain; then age; low last though longest.
    assert.deepEqual(h.startOrder(), ['TASK-1-5', 'TASK-1-3', 'TASK-1-6', 'TASK-1-2', 'TASK-1-4', 'TASK-1-1']);
  });

  it('keeps every slot busy and never exceeds maxParallel', async () => {
    const tasks = Array.from({ length: 10 }, (_, i) => planTask(`TASK-1-${i + 1}`, { estimatedHours: 1 + (i % 3) }));
    const h = harness(tasks, { maxParallel: 3 });
    await h.run();
    assert.equal(h.executor.maxConcurrency(), 3);
    assert.deepEqual(
      h.executor.records.filter((r) => r.startedAt === 0).map((r) => r.taskId),
      ['TASK-1-3', 'TASK-1-6', 'TASK-1-9'], // the 3-hour tasks lead on critical path
    );
    // Work-conserving: 10 tasks of 1+2+3+1+2+3+1+2+3+1 = 19 hours on 3 slots cannot end before 7 hours.
    assert.ok(h.clock.now() <= 8 * HOUR, `makespan ${h.clock.now()} ms`);
  });

  it('never runs two tasks whose declared files overlap at the same time', async () => {
    const h = harness(
      [
        planTask('TASK-1-1', { files: ['src/api/**'], estimatedHours: 2 }),
        planTask('TASK-1-2', { files: ['src/api/routes.ts'], estimatedHours: 2 }),
        planTask('TASK-1-3', { files: ['docs/**'], estimatedHours: 2 }),
      ],
      { maxParallel: 4, filesOverlap },
    );
    await h.run();
    const byId = new Map(h.executor.records.map((r) => [r.taskId, r]));
    assert.equal(byId.get('TASK-1-1')!.startedAt, 0);
    assert.equal(byId.get('TASK-1-3')!.startedAt, 0);
    assert.equal(byId.get('TASK-1-2')!.startedAt, byId.get('TASK-1-1')!.endedAt);
  });

  it('times out an attempt, aborts it, and retries with the failure carried over', async () => {
    const seen: (string | undefined)[] = [];
    const h = harness([planTask('TASK-1-1', { estimatedHours: 1 })], { timeoutMs: 500, maxRetries: 1 }, (_task, context) => {
      seen.push(context.previousFailure);
      return { durationMs: context.attempt === 1 ? 10_000 : 100 };
    });
    const outcome = await h.run();
    assert.equal(outcome.status, 'completed');
    assert.deepEqual(statusesOf(h.notices, 'TASK-1-1'), ['spawned', 'running', 'timed_out', 'spawned', 'running', 'completed']);
    assert.equal(h.executor.records[0].aborted, true);
    assert.equal(h.executor.records[0].endedAt, 500);
    assert.deepEqual(seen, [undefined, 'timed out after 500 ms']);
    assert.equal(h.notices.at(-1)!.attempt, 2);
  });

  it('marks dependents of a task that failed for good as blocked, transitively, with the reason', async () => {
    const h = harness(
      [planTask('TASK-1-1'), planTask('TASK-1-2', { dependsOn: ['TASK-1-1'] }), planTask('TASK-1-3', { dependsOn: ['TASK-1-2'] }), planTask('TASK-1-4')],
      { maxRetries: 2 },
      (task) => (task.id === 'TASK-1-1' ? { result: { outcome: 'failed', error: 'tests failed' } } : {}),
    );
    const outcome = await h.run();
    assert.equal(outcome.status, 'failed');
    assert.equal(h.executor.records.filter((r) => r.taskId === 'TASK-1-1').length, 3);
    assert.equal(outcome.statuses.get('TASK-1-2'), 'blocked');
    assert.equal(outcome.statuses.get('TASK-1-3'), 'blocked');
    assert.equal(outcome.statuses.get('TASK-1-4'), 'completed');
    const blocked = h.notices.find((n) => n.taskId === 'TASK-1-3' && n.to === 'blocked')!;
    assert.equal(blocked.reason, 'dependency TASK-1-2 blocked');
    assert.equal(h.notices.find((n) => n.taskId === 'TASK-1-2' && n.to === 'blocked')!.reason, 'dependency TASK-1-1 failed');
  });

  describe('run strategies', () => {
    const four = () => ['TASK-1-1', 'TASK-1-2', 'TASK-1-3', 'TASK-1-4', 'TASK-1-5'].map((id, i) => planTask(id, { estimatedHours: i + 1 }));
    const failSecond = (task: PlanTask): Partial<SimulatedAttempt> =>
      task.id === 'TASK-1-2' ? { result: { outcome: 'failed', error: 'boom' } } : {};

    it('wait_all runs everything and fails when one task fails', async () => {
      const outcome = await harness(four(), { maxRetries: 0, strategy: 'wait_all' }, failSecond).run();
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.counts.completed, 4);
    });

    it('fail_fast stops at the first failure and cancels the rest', async () => {
      const tasks = four().map((task) => (task.id === 'TASK-1-2' ? { ...task, priority: 'high' as const } : task));
      const h = harness(tasks, { maxRetries: 0, strategy: 'fail_fast', maxParallel: 2 }, failSecond);
      const outcome = await h.run();
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.statuses.get('TASK-1-2'), 'failed');
      // TASK-1-2 (high) and TASK-1-5 (longest) start; TASK-1-2 fails at 2 h: TASK-1-5 is killed, the rest never start.
      assert.deepEqual(outcome.counts, { ...outcome.counts, failed: 1, cancelled: 4, completed: 0 });
      assert.deepEqual(h.executor.records.map((r) => [r.taskId, r.aborted, r.endedAt]), [['TASK-1-2', false, 2 * HOUR], ['TASK-1-5', true, 2 * HOUR]]);
      assert.equal(h.decisions.find((d) => d.kind === 'stopping')!.message, 'fail_fast: TASK-1-2 failed');
    });

    it('best_effort succeeds at the threshold and fails below it', async () => {
      assert.equal((await harness(four(), { maxRetries: 0, strategy: 'best_effort' }, failSecond).run()).status, 'completed'); // 4/5 = 80%
      const twoFail = (task: PlanTask): Partial<SimulatedAttempt> =>
        task.id === 'TASK-1-2' || task.id === 'TASK-1-3' ? { result: { outcome: 'failed', error: 'boom' } } : {};
      assert.equal((await harness(four(), { maxRetries: 0, strategy: 'best_effort' }, twoFail).run()).status, 'failed'); // 3/5
      assert.equal((await harness(four(), { maxRetries: 0, strategy: 'best_effort', threshold: 0.6 }, twoFail).run()).status, 'completed');
    });

    it('race completes on the first success and cancels the others', async () => {
      const h = harness(four(), { strategy: 'race', maxParallel: 5 });
      const outcome = await h.run();
      assert.equal(outcome.status, 'completed');
      assert.equal(outcome.counts.completed, 1);
      assert.equal(outcome.counts.cancelled, 4);
      assert.equal(h.clock.now(), 1 * HOUR);
    });
  });

  it('pauses (no new starts, running ones go on) and resumes', async () => {
    const h = harness([planTask('TASK-1-1', { estimatedHours: 2 }), planTask('TASK-1-2', { dependsOn: ['TASK-1-1'] })]);
    const done = h.scheduler.run();
    h.scheduler.pause();
    h.clock.setTimeout(() => h.scheduler.resume(), 5 * HOUR);
    await h.clock.runUntil(done);
    const [first, second] = h.executor.records;
    assert.equal(first.endedAt, 2 * HOUR);
    assert.equal(second.startedAt, 5 * HOUR);
  });

  it('cancels one running task (its dependents blocked) and cancels everything', async () => {
    const h = harness([planTask('TASK-1-1', { estimatedHours: 4 }), planTask('TASK-1-2', { dependsOn: ['TASK-1-1'] }), planTask('TASK-1-3', { estimatedHours: 8 })]);
    const done = h.scheduler.run();
    h.clock.setTimeout(() => h.scheduler.cancel('TASK-1-1'), 1 * HOUR);
    h.clock.setTimeout(() => h.scheduler.cancelAll(), 2 * HOUR);
    const outcome = await h.clock.runUntil(done);
    assert.equal(outcome.statuses.get('TASK-1-1'), 'cancelled');
    assert.equal(outcome.statuses.get('TASK-1-2'), 'blocked');
    assert.equal(outcome.statuses.get('TASK-1-3'), 'cancelled');
    assert.equal(h.executor.records.find((r) => r.taskId === 'TASK-1-3')!.endedAt, 2 * HOUR);
    assert.equal(outcome.status, 'cancelled');
  });

  it('requeues a rate-limited task without using a retry and pauses starts meanwhile', async () => {
    let limited = false;
    const h = harness([planTask('TASK-1-1'), planTask('TASK-1-2', { priority: 'low' })], { maxRetries: 0, maxParallel: 1 }, (task) => {
      if (task.id !== 'TASK-1-1' || limited) return {};
      limited = true;
      return { durationMs: 100, result: { outcome: 'rate_limited', message: 'usage limit reached', retryAfterMs: 3 * HOUR } };
    });
    const outcome = await h.run();
    assert.equal(outcome.status, 'completed');
    const runs = h.executor.records.filter((r) => r.taskId === 'TASK-1-1');
    assert.deepEqual(runs.map((r) => r.attempt), [1, 1]);
    assert.equal(runs[1].startedAt, 100 + 3 * HOUR);
    assert.equal(h.decisions.find((d) => d.kind === 'rate_limited')!.taskId, 'TASK-1-1');
  });

  it('fails a task for good after 3 rate-limit requeues', async () => {
    const h = harness([planTask('TASK-1-1')], { maxRetries: 2 }, () => ({ durationMs: 100, result: { outcome: 'rate_limited', message: 'slow down', retryAfterMs: 10 } }));
    const outcome = await h.run();
    assert.equal(outcome.statuses.get('TASK-1-1'), 'failed');
    assert.equal(h.executor.records.length, 4, 'three requeues, then no retry either');
    assert.equal(h.notices.at(-1)!.error, 'rate limited 4 times: slow down');
    assert.deepEqual(h.decisions.filter((d) => d.kind === 'rate_limited').map((d) => /requeue (\d) of 3/.exec(d.message)?.[1]), ['1', '2', '3']);
  });

  it('an authentication failure stops the profile: no retry, its queued and retrying tasks stop, others run', async () => {
    const agentOf = (task: PlanTask) => (task.id === 'TASK-1-4' ? 'other' : 'claude');
    const h = harness(
      // TASK-1-2 fails first and waits for its retry; TASK-1-3 shares a file with TASK-1-1, so it
      // is still queued when TASK-1-1 finds out that claude is not logged in.
      [
        planTask('TASK-1-1', { estimatedHours: 2, files: ['a.ts'] }),
        planTask('TASK-1-2', { estimatedHours: 1 }),
        planTask('TASK-1-3', { priority: 'low', files: ['a.ts'] }),
        planTask('TASK-1-4', { priority: 'low' }),
      ],
      { maxRetries: 3, maxParallel: 2, agentOf, retryBaseDelayMs: 5 * HOUR, filesOverlap },
      (task) => {
        if (task.id === 'TASK-1-1') return { result: { outcome: 'auth_failed', agent: 'claude', error: 'the "claude" agent is not logged in' } };
        if (task.id === 'TASK-1-2') return { result: { outcome: 'failed', error: 'boom' } };
        return {};
      },
    );
    const outcome = await h.run();
    assert.deepEqual(
      ['TASK-1-1', 'TASK-1-2', 'TASK-1-3', 'TASK-1-4'].map((id) => outcome.statuses.get(id)),
      ['failed', 'failed', 'blocked', 'completed'],
    );
    assert.equal(h.executor.records.filter((r) => r.taskId === 'TASK-1-1').length, 1, 'no retry of the auth failure');
    assert.equal(h.executor.records.filter((r) => r.taskId === 'TASK-1-2').length, 1, 'its pending retry was dropped');
    assert.ok(!h.executor.records.some((r) => r.taskId === 'TASK-1-3'));
    assert.equal(h.notices.find((n) => n.taskId === 'TASK-1-3' && n.to === 'blocked')!.error, 'blocked: the "claude" agent is not logged in (see TASK-1-1)');
    assert.equal(h.decisions.filter((d) => d.kind === 'auth_failed').length, 1);
  });

  describe('fan-out parents', () => {
    // The graph accepts a strategy only on a fan-out task, so the parent carries an (empty)
    // fan-out; its children are listed here as the plan parser would have expanded them.
    const group = (strategy: 'wait_all' | 'race' | 'fail_fast' | 'best_effort') => [
      planTask('TASK-2-1', { strategy, fanOut: { kind: 'items', items: [] } }),
      planTask('TASK-2-2', { parentId: 'TASK-2-1', estimatedHours: 1 }),
      planTask('TASK-2-3', { parentId: 'TASK-2-1', estimatedHours: 2 }),
      planTask('TASK-2-4', { parentId: 'TASK-2-1', estimatedHours: 3 }),
      planTask('TASK-2-5', { dependsOn: ['TASK-2-1'] }),
    ];

    it('runs the children, aggregates the parent, and starts its dependents after it', async () => {
      const h = harness(group('wait_all'));
      const outcome = await h.run();
      assert.equal(outcome.status, 'completed');
      assert.deepEqual(statusesOf(h.notices, 'TASK-2-1'), ['spawned', 'running', 'completed']);
      assert.ok(!h.executor.records.some((r) => r.taskId === 'TASK-2-1'), 'a parent runs no agent');
      assert.equal(h.executor.records.find((r) => r.taskId === 'TASK-2-5')!.startedAt, 3 * HOUR);
    });

    it('race inside a parent cancels the slower siblings', async () => {
      const h = harness(group('race'));
      const outcome = await h.run();
      assert.equal(outcome.statuses.get('TASK-2-1'), 'completed');
      assert.equal(outcome.statuses.get('TASK-2-3'), 'cancelled');
      assert.equal(outcome.statuses.get('TASK-2-4'), 'cancelled');
      assert.equal(h.executor.records.find((r) => r.taskId === 'TASK-2-5')!.startedAt, 1 * HOUR);
    });

    it('a failed parent blocks its dependents; a retrying child keeps the parent running', async () => {
      const h = harness(group('fail_fast'), { maxRetries: 1 }, (task) =>
        task.id === 'TASK-2-2' ? { result: { outcome: 'failed', error: 'nope' } } : {},
      );
      const outcome = await h.run();
      assert.equal(h.executor.records.filter((r) => r.taskId === 'TASK-2-2').length, 2, 'the child was retried before the parent failed');
      assert.equal(outcome.statuses.get('TASK-2-1'), 'failed');
      assert.equal(outcome.statuses.get('TASK-2-5'), 'blocked');
    });
  });

  it('resumes a recorded run: completed tasks stay done, interrupted ones are requeued', async () => {
    const tasks = [planTask('TASK-1-1'), planTask('TASK-1-2', { dependsOn: ['TASK-1-1'] }), planTask('TASK-1-3')];
    const h = harness(tasks, {
      initialStatuses: new Map<string, TaskStatus>([['TASK-1-1', 'completed'], ['TASK-1-2', 'interrupted']]),
      initialRetryCounts: new Map([['TASK-1-2', 0]]),
    });
    const outcome = await h.run();
    assert.equal(outcome.status, 'completed');
    assert.deepEqual(h.startOrder().sort(), ['TASK-1-2', 'TASK-1-3']);
    assert.deepEqual(statusesOf(h.notices, 'TASK-1-2'), ['spawned', 'running', 'completed']);
    assert.equal(h.notices.find((n) => n.taskId === 'TASK-1-2')!.from, 'interrupted');
    assert.throws(
      () => new Scheduler(tasks, h.executor, { onTransition: () => undefined }, { initialStatuses: new Map([['TASK-1-1', 'running']]) }),
      /TASK-1-1 is recorded as running/,
    );
  });
});

describe('Scheduler: running a selection', () => {
  it('runs the selected tasks and their unfinished prerequisites, nothing else', async () => {
    const tasks = [
      planTask('TASK-1-1'),
      planTask('TASK-1-2', { dependsOn: ['TASK-1-1'] }),
      planTask('TASK-1-3', { dependsOn: ['TASK-1-2'] }),
      planTask('TASK-1-4', { dependsOn: ['TASK-1-5'] }),
      planTask('TASK-1-5'),
      planTask('TASK-1-6'),
    ];
    const h = harness(tasks, { only: ['TASK-1-3', 'TASK-1-4'], initialStatuses: new Map([['TASK-1-5', 'completed']]) });
    const outcome = await h.run();
    assert.equal(outcome.status, 'completed');
    assert.deepEqual(h.startOrder().sort(), ['TASK-1-1', 'TASK-1-2', 'TASK-1-3', 'TASK-1-4']);
    assert.deepEqual([...outcome.statuses.keys()].sort(), ['TASK-1-1', 'TASK-1-2', 'TASK-1-3', 'TASK-1-4']);
    assert.equal(h.scheduler.statusOf('TASK-1-6'), 'waiting');
    assert.throws(() => h.scheduler.cancel('TASK-1-6'), /TASK-1-6 is not part of this run/);
  });
});
