import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { buildTaskGraph } from '../../src/core/graph';
import type { PlanTask } from '../../src/core/model';
import { loadPlan } from '../../src/core/plan/loadPlan';
import { formatPlanIssue, throwIfIssues } from '../../src/core/plan/planErrors';
import { validateTasks, type UncheckedTask } from '../../src/core/plan/validateTasks';
import { expectPlanIssues, FIXTURES, useTempDir, writeFiles } from './plan/planTestUtils';

const DEMO = join(FIXTURES, 'demo.plan.md');

describe('task graph', () => {
  const temp = useTempDir();

  async function planOf(text: string): Promise<readonly PlanTask[]> {
    await writeFiles(temp.path, { 'g.plan.md': text });
    return (await loadPlan(join(temp.path, 'g.plan.md'))).tasks;
  }

  it('orders the demo plan, groups it into parallel levels and computes each task’s critical path', async () => {
    const graph = buildTaskGraph((await loadPlan(DEMO)).tasks);
    assert.deepEqual(graph.order, ['TASK-1-1', 'TASK-1-2', 'TASK-1-3', 'TASK-2-1', 'TASK-2-2', 'TASK-2-3']);
    assert.deepEqual(graph.levels, [['TASK-1-1', 'TASK-2-3'], ['TASK-1-2'], ['TASK-1-3', 'TASK-2-1'], ['TASK-2-2']]);
    assert.deepEqual(Object.fromEntries(graph.criticalPathHours), {
      'TASK-1-1': 10,
      'TASK-1-2': 8,
      'TASK-1-3': 5,
      'TASK-2-1': 2,
      'TASK-2-2': 1,
      'TASK-2-3': 1,
    });
    assert.deepEqual(graph.dependentsOf.get('TASK-1-2'), ['TASK-1-3', 'TASK-2-1']);
    assert.deepEqual(graph.dependenciesOf.get('TASK-2-2'), ['TASK-1-3']);
    assert.deepEqual(graph.dependentsOf.get('TASK-2-3'), []);
  });

  it('takes ready tasks in plan order, so a task listed early may still run late', async () => {
    const graph = buildTaskGraph(await planOf('## Order\n- [ ] A {after: TASK-1-3}\n- [ ] B\n- [ ] C\n'));
    assert.deepEqual(graph.order, ['TASK-1-2', 'TASK-1-3', 'TASK-1-1']);
    assert.deepEqual(graph.levels, [['TASK-1-2', 'TASK-1-3'], ['TASK-1-1']]);
  });

  it('follows the heavier branch of a diamond for the critical path and the longer chain for the level', async () => {
    const tasks = await planOf(
      [
        '## Diamond',
        '- [ ] Start {est: 1}',
        '- [ ] Short {after: TASK-1-1; est: 2}',
        '- [ ] Long {after: TASK-1-1; est: 5}',
        '- [ ] Tiny {after: TASK-1-2; est: 1}',
        '- [ ] End {after: TASK-1-4, TASK-1-3; est: 3}',
      ].join('\n'),
    );
    const graph = buildTaskGraph(tasks);
    assert.deepEqual(graph.levels, [['TASK-1-1'], ['TASK-1-2', 'TASK-1-3'], ['TASK-1-4'], ['TASK-1-5']]);
    assert.deepEqual(Object.fromEntries(graph.criticalPathHours), {
      'TASK-1-1': 9,
      'TASK-1-2': 6,
      'TASK-1-3': 8,
      'TASK-1-4': 4,
      'TASK-1-5': 3,
    });
  });

  it('reports a cycle through a fan-out parent once', async () => {
    await writeFiles(temp.path, { 'c.plan.md': '## Loop\n- [ ] Fan {each: x, y; after: TASK-1-2}\n- [ ] Back {after: TASK-1-1}\n' });
    const file = join(temp.path, 'c.plan.md');
    await expectPlanIssues(loadPlan(file), [`${file}:2: TASK-1-1: dependency cycle: TASK-1-1 → TASK-1-2 → TASK-1-1`]);
  });

  // The checks live in plan/validateTasks.ts; the graph itself only refuses what it cannot order.
  it('checks tasks of any origin, e.g. read back from a store, and refuses to build a graph of invalid ones', async () => {
    const [first, second, third] = (await loadPlan(DEMO)).tasks;
    const unchecked: UncheckedTask[] = [
      { ...first, priority: 'urgent', estimatedHours: 2.5 },
      { ...second, id: 'TASK-1', threshold: 0.5 },
      { ...third, dependsOn: ['TASK-1-2', 'TASK-9-9'], parentId: 'TASK-9-1' },
      { ...first, strategy: 'all' },
    ];
    const expected = [
      `${DEMO}:9: TASK-1-1: invalid priority "urgent" (expected high, medium, low or 1–10)`,
      `${DEMO}:9: TASK-1-1: estimated hours must be a positive integer, got 2.5`,
      `${DEMO}:10: TASK-1: malformed task id (expected TASK-<spec number>-<task number>)`,
      `${DEMO}:10: TASK-1: a threshold applies only to the best_effort strategy`,
      `${DEMO}:9: TASK-1-1: invalid strategy "all" (expected wait_all, fail_fast, best_effort, race)`,
      `${DEMO}:9: TASK-1-1: a strategy applies only to a fan-out task`,
      `${DEMO}:9: TASK-1-1: duplicate task id (first defined on line 9)`,
      `${DEMO}:13: TASK-1-3: depends on unknown task TASK-1-2`,
      `${DEMO}:13: TASK-1-3: depends on unknown task TASK-9-9`,
      `${DEMO}:13: TASK-1-3: fan-out parent TASK-9-1 does not exist`,
    ];
    assert.deepEqual(validateTasks(unchecked).map(formatPlanIssue), expected);
    assert.throws(() => throwIfIssues(validateTasks(unchecked)), (error: Error) => error.message.startsWith('10 problems in the plan:\n'));
    assert.throws(() => buildTaskGraph(unchecked as PlanTask[]), /^Error: Cannot order the tasks: TASK-1-1 is defined twice$/);
    assert.deepEqual(validateTasks((await loadPlan(DEMO)).tasks), []);
  });

  it('refuses to order tasks caught in a dependency cycle, naming them and what waits on them', async () => {
    const tasks = (await loadPlan(DEMO)).tasks;
    const looped = tasks.map((task) => (task.id === 'TASK-1-1' ? { ...task, dependsOn: ['TASK-1-3'] } : task));
    assert.throws(() => buildTaskGraph(looped), /^Error: Cannot order the tasks: TASK-1-1, TASK-1-2, TASK-1-3, TASK-2-1, TASK-2-2 wait on a dependency cycle$/);
  });
});
