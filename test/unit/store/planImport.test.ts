import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Plan, PlanTask } from '../../../src/core/model';
import { loadPlan } from '../../../src/core/plan/loadPlan';
import { repoRoot } from '../../support/repoRoot';
import { PlanImportError, type OrchestratorStore } from '../../../src/core/store';
import { planTask } from '../../support/planTask';
import { countOnDisk, eventually, samplePlan, spec, useStores, useTempDir } from './helpers';

function withTask(plan: Plan, id: string, change: Partial<PlanTask>): Plan {
  return { ...plan, tasks: plan.tasks.map((t) => (t.id === id ? { ...t, ...change } : t)) };
}

function without(plan: Plan, ...ids: string[]): Plan {
  return { ...plan, tasks: plan.tasks.filter((t) => !ids.includes(t.id)) };
}

describe('store: savePlan', () => {
  const temp = useTempDir();
  const open = useStores(temp);
  let store: OrchestratorStore;

  beforeEach(async () => {
    // Batches never flush on their own here: what reaches the disk was flushed on purpose.
    store = await open(temp.dbPath(), { flushDelayMs: 3_600_000, flushEveryChanges: 1_000_000 });
  });

  it('stores specs, tasks and dependencies, and reads back the same plan', async () => {
    const plan: Plan = {
      ...samplePlan(),
      tasks: [
        ...samplePlan().tasks,
        planTask('TASK-32-2', { strategy: 'best_effort', threshold: 0.8, fanOut: { kind: 'items', items: ['a', 'b'] }, files: ['x/*.ts', 'y/**'] }),
        planTask('TASK-32-3', { parentId: 'TASK-32-2', dependsOn: ['TASK-32-1'], done: true }),
      ],
    };
    const result = store.savePlan(plan);
    assert.deepEqual(result.tasks.inserted, plan.tasks.map((t) => t.id));
    assert.deepEqual(result.specs.inserted, ['SPEC-031', 'SPEC-032']);
    assert.deepEqual(store.listPlanTasks(), plan.tasks);
    assert.deepEqual(store.listSpecs(), plan.specs);
    assert.deepEqual(store.listPlanTasks('SPEC-032').map((t) => t.id), ['TASK-32-1', 'TASK-32-2', 'TASK-32-3']);
    assert.ok(await eventually(async () => (await countOnDisk(store.path, 'specs_task_dependency')) === 3), 'imports are flushed at once');
    const [event] = store.listEvents().filter((e) => e.kind === 'plan_imported');
    assert.deepEqual(event.detail, { source: 'demo.plan.md', specs: { inserted: 2, updated: 0, removed: 0 }, tasks: { inserted: 7, updated: 0, unchanged: 0, removed: 0, retained: 0 } });
  });

  it('round-trips a plan from the real parser (the demo fixture)', async () => {
    const plan = await loadPlan(join(repoRoot(), 'test', 'fixtures', 'plans', 'demo.plan.md'));
    assert.ok(plan.tasks.length > 0);
    store.savePlan(plan);
    assert.deepEqual(store.listPlanTasks(), plan.tasks.map((t) => ({ ...t, done: t.done ?? false })));
    assert.deepEqual(store.listSpecs(), plan.specs);
  });

  it('re-importing the same plan changes nothing but records the import', () => {
    store.savePlan(samplePlan());
    const before = store.listTasks();
    const result = store.savePlan(samplePlan());
    assert.deepEqual(result.tasks, { inserted: [], updated: [], unchanged: samplePlan().tasks.map((t) => t.id), removed: [], retained: [] });
    assert.deepEqual(store.listTasks(), before);
  });

  it('updates a pending task in full, and sends a ready task whose definition changed back to pending', () => {
    store.savePlan(samplePlan());
    store.markSpecTasksReady(['TASK-31-1', 'TASK-31-2']);
    let plan = withTask(samplePlan(), 'TASK-31-4', { prompt: 'new prompt', dependsOn: ['TASK-31-1'], priority: 'high' });
    plan = withTask(plan, 'TASK-31-1', { prompt: 'sharper prompt' });
    plan = withTask(plan, 'TASK-31-2', { title: 'Renamed only', location: { file: 'demo.plan.md', line: 40 } });
    const result = store.savePlan(plan);
    assert.deepEqual(result.tasks.updated, ['TASK-31-1', 'TASK-31-2', 'TASK-31-4']);
    const byId = new Map(store.listPlanTasks().map((t) => [t.id, t]));
    assert.equal(byId.get('TASK-31-4')?.prompt, 'new prompt');
    assert.deepEqual(byId.get('TASK-31-4')?.dependsOn, ['TASK-31-1']);
    assert.equal(byId.get('TASK-31-2')?.location.line, 40);
    const status = new Map(store.listTasks().map((t) => [t.taskId, t.planStatus]));
    assert.equal(status.get('TASK-31-1'), 'pending', 'definition changed: readiness is judged again');
    assert.equal(status.get('TASK-31-2'), 'ready', 'a new title does not change readiness');
  });

  it('refuses to redefine an assigned task, naming task and fields, and writes nothing', async () => {
    store.savePlan(samplePlan());
    store.createParallelTasks([{ task_id: 'TASK-31-1', spec_id: 'SPEC-031', priority: 'high', estimated_hours: 8 }], 'orch-1');
    await store.flush();
    const before = { tasks: store.listPlanTasks(), events: store.listEvents().length };

    let plan = withTask(samplePlan(), 'TASK-31-1', { prompt: 'changed', files: ['elsewhere/**'] });
    plan = withTask(plan, 'TASK-31-4', { prompt: 'a legal change in the same import' });
    plan = { ...plan, tasks: [...plan.tasks, planTask('TASK-31-9')] };
    assert.throws(
      () => store.savePlan(plan),
      (error: unknown) => {
        assert.ok(error instanceof PlanImportError);
        assert.deepEqual(error.problems.map((p) => p.taskId), ['TASK-31-1']);
        assert.match(error.message, /TASK-31-1 \(demo\.plan\.md:3\) is already assigned to the orchestrator, so its prompt, files cannot change/);
        return true;
      },
    );
    assert.deepEqual({ tasks: store.listPlanTasks(), events: store.listEvents().length }, before);
    assert.equal(store.stats().pendingChanges, 0, 'a refused import is not even a change');

    // Title, done mark and position of an assigned task may change.
    const moved = store.savePlan(withTask(samplePlan(), 'TASK-31-1', { title: 'New title', done: true, location: { file: 'demo.plan.md', line: 30 } }));
    assert.deepEqual(moved.tasks.updated, ['TASK-31-1']);
    assert.deepEqual(store.listPlanTasks()[0], { ...samplePlan().tasks[0], title: 'New title', done: true, location: { file: 'demo.plan.md', line: 30 } });
  });

  it('deletes unassigned tasks missing from the plan and keeps assigned ones', () => {
    store.savePlan(samplePlan());
    store.createParallelTasks([{ task_id: 'TASK-31-2', spec_id: 'SPEC-031', priority: 'high', estimated_hours: 6 }], 'orch-1');
    const result = store.savePlan(without(samplePlan(), 'TASK-31-2', 'TASK-31-3', 'TASK-31-4'));
    assert.deepEqual(result.tasks.removed, ['TASK-31-3', 'TASK-31-4']);
    assert.deepEqual(result.tasks.retained, ['TASK-31-2']);
    assert.deepEqual(store.listPlanTasks().map((t) => t.id), ['TASK-31-1', 'TASK-31-2', 'TASK-32-1']);
    assert.equal(store.getTask('TASK-31-2')?.status, 'spawned');
  });

  it('keeps a missing task that a kept task still refers to (a fan-out parent of assigned children)', () => {
    const plan: Plan = { source: 'p.md', specs: [spec('SPEC-040')], tasks: [planTask('TASK-40-1'), planTask('TASK-40-2', { parentId: 'TASK-40-1' })] };
    store.savePlan(plan);
    store.createParallelTasks([{ task_id: 'TASK-40-2', spec_id: 'SPEC-040', priority: 'medium', estimated_hours: 2 }], 'orch-1');
    const result = store.savePlan({ ...plan, tasks: [] });
    assert.deepEqual(result.tasks.retained.sort(), ['TASK-40-1', 'TASK-40-2']);
    assert.deepEqual(result.tasks.removed, []);
    assert.deepEqual(result.specs.removed, []);
  });

  it('removes a spec this plan file imported before once it has no tasks left', () => {
    store.savePlan(samplePlan());
    const result = store.savePlan({ ...samplePlan(), specs: [spec('SPEC-031')], tasks: samplePlan().tasks.filter((t) => t.specId === 'SPEC-031') });
    assert.deepEqual(result.tasks.removed, ['TASK-32-1']);
    assert.deepEqual(result.specs.removed, ['SPEC-032']);
    assert.deepEqual(store.listSpecs().map((s) => s.id), ['SPEC-031']);
  });

  it('leaves the tasks of another plan file alone', () => {
    store.savePlan(samplePlan('a.plan.md'));
    store.savePlan({ source: 'b.plan.md', specs: [spec('SPEC-050')], tasks: [planTask('TASK-50-1')] });
    const result = store.savePlan({ source: 'b.plan.md', specs: [spec('SPEC-050')], tasks: [] });
    assert.deepEqual(result.tasks.removed, ['TASK-50-1']);
    assert.equal(store.listPlanTasks().length, samplePlan().tasks.length);
  });

  it('refuses unknown specs, dependencies and parents, and duplicate ids, all in one error', async () => {
    // The messages name where each task was defined.
    const location = { file: 'demo.plan.md', line: 10 };
    const plan: Plan = {
      source: 'bad.plan.md',
      specs: [spec('SPEC-060'), spec('SPEC-060')],
      tasks: [
        planTask('TASK-60-1', { specId: 'SPEC-061', location }),
        planTask('TASK-60-2', { dependsOn: ['TASK-60-9'], parentId: 'TASK-60-8', location }),
        planTask('TASK-60-2', { location }),
      ],
    };
    assert.throws(
      () => store.savePlan(plan),
      (error: unknown) => {
        assert.ok(error instanceof PlanImportError);
        assert.deepEqual(error.problems.map((p) => p.message), [
          'Spec SPEC-060 is defined twice (demo.plan.md:1)',
          'TASK-60-2 is defined twice (demo.plan.md:10)',
          'TASK-60-1 (demo.plan.md:10) belongs to unknown spec SPEC-061',
          'TASK-60-2 (demo.plan.md:10) depends on unknown task TASK-60-9',
          'TASK-60-2 (demo.plan.md:10) has unknown parent TASK-60-8',
        ]);
        return true;
      },
    );
    assert.deepEqual(store.listPlanTasks(), []);
    await store.flush();
    assert.equal(await countOnDisk(store.path, 'specs_task'), 0);
  });

  it('rolls back a half-written import when SQLite rejects a row', () => {
    store.savePlan(samplePlan());
    const before = { tasks: store.listPlanTasks(), events: store.listEvents() };
    const plan = { ...samplePlan(), tasks: [...samplePlan().tasks, planTask('TASK-31-7', { estimatedHours: 1.5 })] };
    assert.throws(() => store.savePlan(plan), /CHECK constraint failed/);
    assert.deepEqual({ tasks: store.listPlanTasks(), events: store.listEvents() }, before);
  });

  it('moves pending tasks to ready once, recording each move', () => {
    store.savePlan(samplePlan());
    assert.deepEqual(store.markSpecTasksReady(['TASK-31-1', 'TASK-31-2'], 'orch-1'), ['TASK-31-1', 'TASK-31-2']);
    assert.deepEqual(store.markSpecTasksReady(['TASK-31-1']), []);
    assert.throws(() => store.markSpecTasksReady(['TASK-77-1']), /Unknown plan task: TASK-77-1/);
    assert.deepEqual(
      store.listEvents().filter((e) => e.kind === 'spec_task_ready').map((e) => [e.taskId, e.fromStatus, e.toStatus, e.runId]),
      [['TASK-31-1', 'pending', 'ready', 'orch-1'], ['TASK-31-2', 'pending', 'ready', 'orch-1']],
    );
  });
});
