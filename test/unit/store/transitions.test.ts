import * as assert from 'node:assert/strict';
import { isLegalTransition, LEGAL_TRANSITIONS, TASK_STATUSES, type TaskStatus } from '../../../src/core/model';
import { IllegalTransitionError, type OrchestratorStore, UnknownTaskError } from '../../../src/core/store';
import { eventually, queryDisk, samplePlan, useStores, useTempDir } from './helpers';

/** A legal path from spawned to each status. */
const PATH_TO: Record<TaskStatus, TaskStatus[]> = {
  spawned: [],
  running: ['running'],
  completed: ['running', 'completed'],
  failed: ['running', 'failed'],
  timed_out: ['running', 'timed_out'],
  cancelled: ['cancelled'],
  blocked: ['blocked'],
  interrupted: ['running', 'interrupted'],
};

describe('store: status transitions', () => {
  const temp = useTempDir();
  const open = useStores(temp);
  let store: OrchestratorStore;
  let counter = 0;

  /** A fresh spawned task (TASK-31-n) moved along PATH_TO[status]. */
  function taskIn(status: TaskStatus): string {
    const id = `TASK-31-${++counter}`;
    const result = store.createParallelTasks([{ task_id: id, spec_id: 'SPEC-031', priority: 'medium', estimated_hours: 1 }], `orch-${counter}`);
    assert.equal(result.success, true, JSON.stringify(result));
    for (const step of PATH_TO[status]) store.transition(id, step);
    assert.equal(store.getTask(id)?.status, status);
    return id;
  }

  beforeEach(async () => {
    counter = 0;
    store = await open(temp.dbPath());
    store.savePlan(samplePlan());
  });

  it('allows exactly the moves model.ts lists, and rejects every other one without changing anything', () => {
    let legal = 0;
    let illegal = 0;
    for (const from of TASK_STATUSES) {
      for (const to of TASK_STATUSES) {
        const id = taskIn(from);
        const before = { task: store.getTask(id), events: store.listEvents().length };
        if (isLegalTransition(from, to)) {
          const result = store.transition(id, to, { reason: 'test' });
          assert.equal(result.from, from);
          assert.equal(result.task.status, to);
          legal++;
        } else {
          assert.throws(
            () => store.transition(id, to),
            (error: unknown) => {
              assert.ok(error instanceof IllegalTransitionError, String(error));
              assert.equal(error.taskId, id);
              assert.equal(error.from, from);
              assert.equal(error.to, to);
              assert.ok(error.message.includes(`${id}: ${from} → ${to}`), error.message);
              return true;
            },
          );
          assert.deepEqual({ task: store.getTask(id), events: store.listEvents().length }, before);
          illegal++;
        }
      }
    }
    const expectedLegal = Object.values(LEGAL_TRANSITIONS).reduce((n, list) => n + list.length, 0);
    assert.equal(legal, expectedLegal);
    assert.equal(illegal, TASK_STATUSES.length ** 2 - expectedLegal);
  });

  it('names the allowed moves in the error', () => {
    const id = taskIn('completed');
    assert.throws(() => store.transition(id, 'running'), /Illegal transition for TASK-31-1: completed → running \(allowed from completed: spawned\)/);
    const cancelled = taskIn('cancelled');
    assert.throws(() => store.transition(cancelled, 'completed'), /\(allowed from cancelled: spawned\)/);
    const spawned = taskIn('spawned');
    assert.throws(() => store.transition(spawned, 'completed'), /\(allowed from spawned: running, cancelled, blocked\)/);
  });

  it('rejects an unknown task and an unknown status', () => {
    assert.throws(() => store.transition('TASK-9-9', 'running'), UnknownTaskError);
    const id = taskIn('spawned');
    assert.throws(() => store.transition(id, 'done' as TaskStatus), /unknown status "done"/);
    assert.equal(store.getTask(id)?.status, 'spawned');
  });

  it('stamps started_at and completed_at, records the agent, and clears them on a requeue', () => {
    const id = taskIn('spawned');
    const running = store.transition(id, 'running', { assignedAgent: 'claude', routedBy: 'keyword:refactor' }).task;
    assert.match(running.startedAt ?? '', /Z$/);
    assert.equal(running.completedAt, null);
    assert.equal(running.assignedAgent, 'claude');
    assert.equal(running.routedBy, 'keyword:refactor');

    const failed = store.transition(id, 'failed', { errorMessage: 'exit code 2' }).task;
    assert.ok(failed.completedAt !== null && failed.completedAt >= (running.startedAt as string));
    assert.equal(failed.errorMessage, 'exit code 2');

    const requeued = store.transition(id, 'spawned', { runId: 'orch-retry' }).task;
    assert.deepEqual([requeued.startedAt, requeued.completedAt, requeued.errorMessage, requeued.runId], [null, null, null, 'orch-retry']);
    assert.equal(requeued.orchestratorInstanceId, 'orch-1', 'the creator is kept');

    store.transition(id, 'running');
    const done = store.transition(id, 'completed', { errorMessage: 'ignored on success' }).task;
    assert.equal(done.errorMessage, null);
    assert.notEqual(done.completedAt, null);
  });

  it('spends a retry only when a failed or timed-out task is requeued', () => {
    // running → spawned is the requeue after a rate limit.
    const cases: [TaskStatus, number][] = [['failed', 1], ['timed_out', 1], ['cancelled', 0], ['blocked', 0], ['interrupted', 0], ['running', 0]];
    for (const [status, expected] of cases) {
      const id = taskIn(status);
      assert.equal(store.transition(id, 'spawned').task.retryCount, expected, status);
    }
    const id = taskIn('failed');
    store.transition(id, 'spawned');
    store.transition(id, 'running');
    store.transition(id, 'timed_out');
    assert.equal(store.transition(id, 'spawned').task.retryCount, 2);
  });

  it('records every change as an event with from, to, run and detail', () => {
    const id = taskIn('spawned');
    store.transition(id, 'running', { reason: 'slot free', runId: 'orch-1', detail: { slot: 2 } });
    store.transition(id, 'failed', { errorMessage: 'boom' });
    store.transition(id, 'spawned', { reason: 'retry 1' });
    const events = store.listEvents({ taskId: id }).map((e) => [e.kind, e.fromStatus, e.toStatus, e.runId, e.detail]);
    assert.deepEqual(events.slice(1), [
      ['status_changed', 'spawned', 'running', 'orch-1', { slot: 2, reason: 'slot free' }],
      ['status_changed', 'running', 'failed', 'orch-1', { errorMessage: 'boom' }],
      ['status_changed', 'failed', 'spawned', 'orch-1', { reason: 'retry 1', retryCount: 1, previousError: 'boom' }],
    ]);
    assert.equal(events[0][0], 'task_spawned');
  });

  describe('flushing', () => {
    let batched: OrchestratorStore;
    beforeEach(async () => {
      await store.close();
      // Batches never flush on their own here, so only an urgent flush can reach the disk.
      batched = await open(temp.dbPath(), { flushDelayMs: 3_600_000, flushEveryChanges: 1_000_000 });
      store = batched;
      await batched.flush();
    });

    it('writes a terminal state at once, while a non-terminal one waits for the batch', async () => {
      const id = taskIn('spawned');
      await batched.flush();
      batched.transition(id, 'running');
      const diskStatus = async (): Promise<unknown> => (await queryDisk(batched.path, 'SELECT status FROM orchestrator_task WHERE task_id = ?', [id]))[0]?.status;
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(await diskStatus(), 'spawned', 'running is batched');
      batched.transition(id, 'completed');
      assert.ok(await eventually(async () => (await diskStatus()) === 'completed', 3_000), 'completed reached the disk without flush()');
    });

    it('writes terminal states that come in a burst with one flush, within the urgent interval', async () => {
      await batched.close();
      batched = await open(temp.dbPath(), { flushDelayMs: 3_600_000, flushEveryChanges: 1_000_000, urgentFlushIntervalMs: 1_000 });
      store = batched;
      const ids = Array.from({ length: 8 }, () => taskIn('running'));
      await batched.flush(); // the interval starts here
      const before = batched.stats().flushes;
      for (const id of ids) {
        batched.transition(id, 'completed');
        await new Promise((resolve) => setTimeout(resolve, 5)); // completions a few ms apart, as in a burst of short tasks
      }
      const completedOnDisk = async (): Promise<number> =>
        (await queryDisk(batched.path, "SELECT COUNT(*) AS n FROM orchestrator_task WHERE status = 'completed'", []))[0]?.n as number;
      assert.ok(await eventually(async () => (await completedOnDisk()) === ids.length, 3_000), 'the burst reached the disk without flush()');
      // The file is visible once renamed, before that flush has synced the folder and counted
      // itself: wait for it to finish (nothing is pending, so this adds no flush of its own).
      await batched.flush();
      assert.equal(batched.stats().flushes - before, 1, 'eight urgent writes, one flush');
    });
  });
});
