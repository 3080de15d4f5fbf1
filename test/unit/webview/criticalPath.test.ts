// The critical path: the heaviest chain by estimated hours before a run and by measured
// durations after, fan-out parents weighing nothing of their own, folded ones their longest part.
import * as assert from 'node:assert/strict';
import { collapseFanOuts } from '../../../webview-ui/src/collapse';
import { criticalPath, nodeWeights, pathLength, taskWeightMs } from '../../../webview-ui/src/criticalPath';
import { layoutInput } from '../../../webview-ui/src/graphModel';
import type { DashboardTaskView } from '../../../src/shared/protocol';
import { taskView } from './dashboardFixtures';

const H = 3_600_000;

function pathOf(tasks: readonly DashboardTaskView[], expanded: ReadonlySet<string> = new Set()) {
  const collapsed = collapseFanOuts(tasks, expanded);
  const input = layoutInput(collapsed.tasks, new Set(collapsed.groups.keys()));
  return criticalPath(nodeWeights(tasks, collapsed.tasks, collapsed.groups), input.edges);
}

describe('webview: critical path', () => {
  it('takes the heavier branch of a diamond by estimated hours', () => {
    const tasks = [
      taskView('A', { estimatedHours: 1 }),
      taskView('B', { estimatedHours: 2, dependsOn: ['A'] }),
      taskView('C', { estimatedHours: 5, dependsOn: ['A'] }),
      taskView('D', { estimatedHours: 1, dependsOn: ['B', 'C'] }),
    ];
    const path = pathOf(tasks);
    assert.deepEqual(path.nodes, ['A', 'C', 'D']);
    assert.deepEqual([...path.edges].sort(), ['A>C', 'C>D']);
    assert.equal(path.totalMs, 7 * H);
    assert.equal(pathLength(path.totalMs), '7.0 h');
  });

  it('uses measured durations once tasks have run, so the path can move to the branch that really took longest', () => {
    const tasks = [
      taskView('A', { estimatedHours: 1, status: 'completed', durationMs: 60_000 }),
      taskView('B', { estimatedHours: 2, dependsOn: ['A'], status: 'completed', durationMs: 300_000 }),
      taskView('C', { estimatedHours: 5, dependsOn: ['A'], status: 'completed', durationMs: 120_000 }),
    ];
    const path = pathOf(tasks);
    assert.deepEqual(path.nodes, ['A', 'B']);
    assert.equal(path.totalMs, 360_000);
    assert.equal(pathLength(path.totalMs), '6:00');
    // A running task's duration so far is not its length: its estimate stands.
    assert.equal(taskWeightMs(taskView('R', { status: 'running', durationMs: 5, estimatedHours: 2 })), 2 * H);
  });

  it('weighs an unfolded fan-out parent nothing and runs the path through its longest child', () => {
    const tasks = [
      taskView('A', { estimatedHours: 1 }),
      taskView('P', { estimatedHours: 100, dependsOn: ['A'] }),
      taskView('P-1', { parentId: 'P', dependsOn: ['A'], estimatedHours: 2 }),
      taskView('P-2', { parentId: 'P', dependsOn: ['A'], estimatedHours: 3 }),
      taskView('Z', { dependsOn: ['P'], estimatedHours: 1 }),
    ];
    const path = pathOf(tasks);
    assert.deepEqual(path.nodes, ['A', 'P-2', 'P', 'Z']);
    assert.equal(path.totalMs, 5 * H);
  });

  it('weighs a folded fan-out by its longest part', () => {
    const children = Array.from({ length: 12 }, (_, i) => taskView(`P-${i + 1}`, { parentId: 'P', dependsOn: ['A'], estimatedHours: i === 4 ? 6 : 1 }));
    const tasks = [taskView('A', { estimatedHours: 1 }), taskView('P', { dependsOn: ['A'] }), ...children, taskView('B', { dependsOn: ['A'], estimatedHours: 4 })];
    const path = pathOf(tasks);
    assert.deepEqual(path.nodes, ['A', 'P']);
    assert.equal(path.totalMs, 7 * H);
  });

  it('is the same on every call (ties go to the task listed first) and leaves a cycle out instead of looping', () => {
    const weights = new Map([
      ['X', 1],
      ['Y', 1],
      ['Q', 1],
      ['R', 1],
    ]);
    const edges = [
      { from: 'Q', to: 'R' },
      { from: 'R', to: 'Q' },
    ];
    const path = criticalPath(weights, edges);
    assert.deepEqual(path.nodes, ['X']);
    assert.deepEqual(criticalPath(new Map(), []).nodes, []);
  });
});
