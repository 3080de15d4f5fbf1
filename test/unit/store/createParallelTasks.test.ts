import * as assert from 'node:assert/strict';
import { DEFAULT_MAX_PARALLEL, type OrchestratorStore, type ParallelTaskInput } from '../../../src/core/store';
import { countOnDisk, editDisk, queryDisk, samplePlan, useStores, useTempDir } from './helpers';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function seedTask(task_id: string, overrides: Partial<ParallelTaskInput> = {}): ParallelTaskInput {
  return { task_id, spec_id: 'SPEC-031', priority: 'high', estimated_hours: 8, ...overrides };
}

/** Everything a failed call must leave untouched. */
function snapshot(store: OrchestratorStore): unknown {
  return {
    orchestratorTasks: store.listOrchestratorTasks(),
    planStatuses: store.listTasks().map((t) => [t.taskId, t.planStatus, t.status]),
    events: store.listEvents(),
  };
}

describe('store: createParallelTasks (the orchestrator_task contract)', () => {
  const temp = useTempDir();
  const open = useStores(temp);
  let store: OrchestratorStore;

  beforeEach(async () => {
    store = await open(temp.dbPath());
    store.savePlan(samplePlan());
  });

  it('creates spawned tasks, marks the plan tasks assigned and returns the success JSON', async () => {
    const eventsBefore = store.listEvents().length;
    const result = store.createParallelTasks([seedTask('TASK-31-1'), seedTask('TASK-31-2', { estimated_hours: 6 })], 'orch-20251026-001', 4);

    assert.equal(result.success, true);
    assert.deepEqual(Object.keys(result).sort(), ['created_tasks', 'success', 'timestamp', 'total_created']);
    if (!result.success) return;
    assert.equal(result.total_created, 2);
    assert.match(result.timestamp, ISO_UTC);
    assert.deepEqual(
      result.created_tasks.map((t) => ({ ...t, created_at: ISO_UTC.test(t.created_at) })),
      [
        { task_id: 'TASK-31-1', status: 'spawned', created_at: true, orchestrator_id: 'orch-20251026-001', retry_count: 0 },
        { task_id: 'TASK-31-2', status: 'spawned', created_at: true, orchestrator_id: 'orch-20251026-001', retry_count: 0 },
      ],
    );

    const row = store.getTask('TASK-31-2');
    assert.equal(row?.status, 'spawned');
    assert.equal(row?.estimatedHours, 6);
    assert.equal(row?.orchestratorInstanceId, 'orch-20251026-001');
    assert.equal(row?.retryCount, 0);
    assert.equal(row?.startedAt, null);
    assert.deepEqual(
      store.listTasks().map((t) => [t.taskId, t.planStatus]),
      [['TASK-31-1', 'assigned'], ['TASK-31-2', 'assigned'], ['TASK-31-3', 'pending'], ['TASK-31-4', 'pending'], ['TASK-32-1', 'pending']],
    );
    const spawned = store.listEvents({ afterEventId: eventsBefore === 0 ? 0 : store.listEvents()[eventsBefore - 1].eventId });
    assert.deepEqual(spawned.map((e) => [e.kind, e.taskId, e.toStatus, e.runId]), [
      ['task_spawned', 'TASK-31-1', 'spawned', 'orch-20251026-001'],
      ['task_spawned', 'TASK-31-2', 'spawned', 'orch-20251026-001'],
    ]);
    assert.deepEqual(spawned[0].detail?.specTaskStatus, { from: 'pending', to: 'assigned' });
  });

  it('writes the twelve contract columns first, in their order and spelling', async () => {
    store.createParallelTasks([seedTask('TASK-31-1')], 'orch-1');
    await store.flush();
    const columns = (await queryDisk(store.path, 'SELECT name FROM pragma_table_info(?)', ['orchestrator_task'])).map((r) => r.name);
    assert.deepEqual(columns.slice(0, 12), [
      'task_id', 'spec_id', 'status', 'priority', 'estimated_hours', 'assigned_agent', 'created_at',
      'started_at', 'completed_at', 'orchestrator_instance_id', 'retry_count', 'error_message',
    ]);
    const [row] = await queryDisk(store.path, 'SELECT * FROM orchestrator_task');
    assert.equal(row.status, 'spawned');
    assert.equal(row.retry_count, 0);
  });

  it('takes the assigned agent from the request, else from the plan', () => {
    const result = store.createParallelTasks([seedTask('TASK-31-3', { assigned_agent: 'codex' }), seedTask('TASK-31-4')], 'orch-1');
    assert.equal(result.success, true);
    assert.equal(store.getTask('TASK-31-3')?.assignedAgent, 'codex');
    assert.equal(store.getTask('TASK-31-4')?.assignedAgent, null);
    store.createParallelTasks([seedTask('TASK-32-1', { spec_id: 'SPEC-032' })], 'orch-2');
    store.savePlan({ ...samplePlan(), tasks: samplePlan().tasks.map((t) => (t.id === 'TASK-31-1' ? { ...t, agent: 'aider' } : t)) });
    store.createParallelTasks([seedTask('TASK-31-1')], 'orch-2');
    assert.equal(store.getTask('TASK-31-1')?.assignedAgent, 'aider');
  });

  describe('validation: the error JSON, and nothing changes', () => {
    const cases: ReadonlyArray<{ name: string; tasks: ParallelTaskInput[]; max?: number; message: string; failed: string[] }> = [
      { name: '(1) task_id format', tasks: [seedTask('TASK-31')], message: 'Invalid task format: TASK-31', failed: ['TASK-31'] },
      { name: '(1) task_id with trailing text', tasks: [seedTask('TASK-31-1x')], message: 'Invalid task format: TASK-31-1x', failed: ['TASK-31-1x'] },
      {
        name: '(2) spec_id must exist in specs_specification',
        tasks: [seedTask('TASK-99-1', { spec_id: 'SPEC-099' })],
        message: 'Unknown spec_id: SPEC-099 (task TASK-99-1)',
        failed: ['TASK-99-1'],
      },
      {
        name: '(3) priority high/medium/low',
        tasks: [seedTask('TASK-31-1', { priority: 'urgent' })],
        message: 'Invalid priority: urgent (task TASK-31-1); expected high, medium or low',
        failed: ['TASK-31-1'],
      },
      {
        name: '(4) estimated_hours positive integer: zero',
        tasks: [seedTask('TASK-31-1', { estimated_hours: 0 })],
        message: 'Invalid estimated_hours: 0 (task TASK-31-1); expected a positive integer',
        failed: ['TASK-31-1'],
      },
      {
        name: '(4) estimated_hours positive integer: fraction',
        tasks: [seedTask('TASK-31-1', { estimated_hours: 1.5 })],
        message: 'Invalid estimated_hours: 1.5 (task TASK-31-1); expected a positive integer',
        failed: ['TASK-31-1'],
      },
      {
        name: '(4) estimated_hours positive integer: a string',
        tasks: [seedTask('TASK-31-1', { estimated_hours: '8' as unknown as number })],
        message: 'Invalid estimated_hours: "8" (task TASK-31-1); expected a positive integer',
        failed: ['TASK-31-1'],
      },
      {
        name: '(5) total parallel tasks <= MAX_PARALLEL',
        tasks: [seedTask('TASK-31-1'), seedTask('TASK-31-2'), seedTask('TASK-31-3')],
        max: 2,
        message: 'Too many parallel tasks: 3 > MAX_PARALLEL 2',
        failed: ['TASK-31-3'],
      },
      {
        name: 'no duplicate task ids within one request',
        tasks: [seedTask('TASK-31-1'), seedTask('TASK-31-1')],
        message: 'Duplicate task_id in request: TASK-31-1',
        failed: ['TASK-31-1'],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const before = snapshot(store);
        const result = store.createParallelTasks(c.tasks, 'orch-20251026-001', c.max ?? 4);
        assert.deepEqual(result, { success: false, error: 'validation_failed', message: c.message, failed_tasks: c.failed, created_count: 0 });
        assert.deepEqual(snapshot(store), before);
      });
    }

    it('reports every invalid task of a batch, and creates none of the valid ones', () => {
      const before = snapshot(store);
      const result = store.createParallelTasks([seedTask('TASK-31-1'), seedTask('TASK-31'), seedTask('TASK-31-2', { priority: 'HIGH' })], 'orch-1');
      assert.equal(result.success, false);
      if (result.success) return;
      assert.deepEqual(result.failed_tasks, ['TASK-31', 'TASK-31-2']);
      assert.equal(result.message, 'Invalid task format: TASK-31; Invalid priority: HIGH (task TASK-31-2); expected high, medium or low');
      assert.deepEqual(snapshot(store), before);
    });

    it('no duplicate task ids in orchestrator_task across calls', () => {
      assert.equal(store.createParallelTasks([seedTask('TASK-31-1')], 'orch-1').success, true);
      const before = snapshot(store);
      const result = store.createParallelTasks([seedTask('TASK-31-1'), seedTask('TASK-31-2')], 'orch-2');
      assert.deepEqual(result, {
        success: false,
        error: 'validation_failed',
        message: 'Duplicate task_id: TASK-31-1 already exists in orchestrator_task (status spawned)',
        failed_tasks: ['TASK-31-1'],
        created_count: 0,
      });
      assert.deepEqual(snapshot(store), before);
    });

    it('applies MAX_PARALLEL to the batch; rows already created are the scheduler\'s to count', () => {
      assert.equal(store.createParallelTasks([seedTask('TASK-31-1'), seedTask('TASK-31-2'), seedTask('TASK-31-3')], 'orch-1', 3).success, true);
      store.transition('TASK-31-1', 'running');
      // One more while three exist (one running, two spawned, e.g. waiting out a retry delay).
      assert.equal(store.createParallelTasks([seedTask('TASK-31-4')], 'orch-1', 3).success, true);
    });

    it('defaults MAX_PARALLEL to 4 and rejects a non-positive one', () => {
      assert.equal(DEFAULT_MAX_PARALLEL, 4);
      const five = ['TASK-31-1', 'TASK-31-2', 'TASK-31-3', 'TASK-31-4', 'TASK-31-5'].map((id) => seedTask(id));
      const result = store.createParallelTasks(five, 'orch-1');
      assert.equal(result.success, false);
      if (!result.success) {
        assert.equal(result.message, 'Too many parallel tasks: 5 > MAX_PARALLEL 4');
        assert.deepEqual(result.failed_tasks, ['TASK-31-5']);
      }
      const zero = store.createParallelTasks([seedTask('TASK-31-1')], 'orch-1', 0);
      assert.deepEqual(zero, { success: false, error: 'validation_failed', message: 'Invalid MAX_PARALLEL: 0', failed_tasks: [], created_count: 0 });
      assert.equal(store.listOrchestratorTasks().length, 0);
    });

    it('accepts an empty batch as a no-op success', () => {
      const before = snapshot(store);
      const result = store.createParallelTasks([], 'orch-1');
      assert.equal(result.success, true);
      if (result.success) assert.equal(result.total_created, 0);
      assert.deepEqual(snapshot(store), before);
    });
  });

  describe('rollback: a failure in the middle of the transaction undoes everything', () => {
    for (const failAt of [0, 1, 2]) {
      it(`after insert #${failAt + 1} of 3`, async () => {
        store.createParallelTasks([seedTask('TASK-32-1', { spec_id: 'SPEC-032' })], 'orch-0');
        await store.flush();
        const before = snapshot(store);
        const diskBefore = await countOnDisk(store.path, 'orchestrator_task');
        const seen: string[] = [];
        const result = store.createParallelTasks([seedTask('TASK-31-1'), seedTask('TASK-31-2'), seedTask('TASK-31-3')], 'orch-1', 4, {
          afterInsert: (taskId, index) => {
            seen.push(taskId);
            if (index === failAt) throw new Error('disk on fire');
          },
        });
        assert.equal(seen.length, failAt + 1, 'the hook ran inside the loop');
        const failedId = `TASK-31-${failAt + 1}`;
        assert.deepEqual(result, {
          success: false,
          error: 'transaction_failed',
          message: `Rolled back all 3 tasks: creating ${failedId} failed: disk on fire`,
          failed_tasks: [failedId],
          created_count: 0,
        });
        assert.deepEqual(snapshot(store), before);
        await store.flush();
        assert.equal(await countOnDisk(store.path, 'orchestrator_task'), diskBefore);
        assert.deepEqual(
          (await queryDisk(store.path, "SELECT task_id FROM specs_task WHERE status = 'assigned'")).map((r) => r.task_id),
          ['TASK-32-1'],
        );
        // The same batch succeeds afterwards: nothing half-created blocks it.
        assert.equal(store.createParallelTasks([seedTask('TASK-31-1'), seedTask('TASK-31-2'), seedTask('TASK-31-3')], 'orch-1').success, true);
      });
    }

    it('rolls back when SQLite itself aborts the second insert', async () => {
      await store.close();
      // A trigger in the file makes the engine, not a test seam, fail mid-transaction.
      await editDisk(temp.dbPath(), "CREATE TRIGGER boom BEFORE INSERT ON orchestrator_task WHEN NEW.task_id = 'TASK-31-2' BEGIN SELECT RAISE(ABORT, 'boom'); END");
      store = await open(temp.dbPath());
      const before = snapshot(store);
      const result = store.createParallelTasks([seedTask('TASK-31-1'), seedTask('TASK-31-2'), seedTask('TASK-31-3')], 'orch-1');
      assert.deepEqual(result, {
        success: false,
        error: 'transaction_failed',
        message: 'Rolled back all 3 tasks: creating TASK-31-2 failed: boom',
        failed_tasks: ['TASK-31-2'],
        created_count: 0,
      });
      assert.deepEqual(snapshot(store), before);
    });
  });

  it('survives a reopen: the created tasks are on disk after flush', async () => {
    store.createParallelTasks([seedTask('TASK-31-1'), seedTask('TASK-31-2')], 'orch-1');
    await store.close();
    const reopened = await open(temp.dbPath());
    assert.deepEqual(reopened.listOrchestratorTasks().map((t) => [t.taskId, t.status]), [['TASK-31-1', 'spawned'], ['TASK-31-2', 'spawned']]);
  });
});
