// Folding big fan-outs: children hidden above the threshold, dependencies on them redirected to
// the parent, counts by status, and a parent the user unfolded shown in full.
import * as assert from 'node:assert/strict';
import { collapseFanOuts, COLLAPSE_ABOVE, groupLabel } from '../../../webview-ui/src/collapse';
import type { DashboardTaskView, DisplayStatus } from '../../../src/shared/protocol';
import { taskView } from './dashboardFixtures';

function fanOut(parentId: string, count: number, statuses: readonly DisplayStatus[] = []): DashboardTaskView[] {
  return [
    taskView(parentId, { dependsOn: ['TASK-1-1'] }),
    ...Array.from({ length: count }, (_, i) => taskView(`${parentId}-${i + 1}`, { parentId, dependsOn: ['TASK-1-1'], status: statuses[i] ?? 'pending' })),
  ];
}

describe('webview: folded fan-outs', () => {
  it('folds a fan-out of more than the threshold into its parent and counts its parts by status', () => {
    const statuses: DisplayStatus[] = [...Array<DisplayStatus>(20).fill('completed'), 'running', 'running', 'spawned', 'failed'];
    const tasks = [taskView('TASK-1-1'), ...fanOut('TASK-1-2', 24, statuses), taskView('TASK-1-3', { dependsOn: ['TASK-1-2'] })];
    const { tasks: drawn, groups } = collapseFanOuts(tasks, new Set());
    assert.deepEqual(drawn.map((t) => t.taskId), ['TASK-1-1', 'TASK-1-2', 'TASK-1-3']);
    const group = groups.get('TASK-1-2');
    assert.ok(group);
    assert.equal(groupLabel(group), 'TASK-1-2 (24 parts: 20 done, 3 running, 1 failed)');
    assert.equal(group.childIds.length, 24);
  });

  it('leaves a fan-out at the threshold as it is, and an unfolded one too', () => {
    const small = [taskView('TASK-1-1'), ...fanOut('TASK-1-2', COLLAPSE_ABOVE)];
    const result = collapseFanOuts(small, new Set());
    assert.equal(result.tasks, small, 'nothing folded: the same array back');
    assert.equal(result.groups.size, 0);
    const big = [taskView('TASK-1-1'), ...fanOut('TASK-1-2', COLLAPSE_ABOVE + 1)];
    assert.equal(collapseFanOuts(big, new Set(['TASK-1-2'])).tasks.length, big.length);
    assert.equal(collapseFanOuts(big, new Set()).tasks.length, 2);
  });

  it('points a dependency on a hidden child at its parent, once, and never at the task itself', () => {
    const tasks = [
      taskView('TASK-1-1'),
      ...fanOut('TASK-1-2', 10),
      taskView('TASK-1-3', { dependsOn: ['TASK-1-2-3', 'TASK-1-2-7', 'TASK-1-1'] }),
    ];
    const drawn = collapseFanOuts(tasks, new Set()).tasks;
    assert.deepEqual(drawn.find((t) => t.taskId === 'TASK-1-3')?.dependsOn, ['TASK-1-2', 'TASK-1-1']);
    // The input is not changed.
    assert.deepEqual(tasks.find((t) => t.taskId === 'TASK-1-3')?.dependsOn, ['TASK-1-2-3', 'TASK-1-2-7', 'TASK-1-1']);
  });

  it('says only the counts that are not zero', () => {
    const { groups } = collapseFanOuts(fanOut('TASK-2-1', 12), new Set());
    assert.equal(groupLabel(groups.get('TASK-2-1')!), 'TASK-2-1 (12 parts)');
  });
});
