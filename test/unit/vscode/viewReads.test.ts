// src/vscode/session/viewReads.ts: the tree's and the dashboard's shared snapshot of the store,
// over a real workspace's orchestrator (real git, the scripted agent).
import * as assert from 'node:assert/strict';
import { buildDashboardState } from '../../../src/vscode/dashboard/dashboardState';
import { taskRows } from '../../../src/vscode/session/taskRows';
import { ViewReads } from '../../../src/vscode/session/viewReads';
import { useWorkspaces } from '../engine/engineFixture';

describe('ViewReads (the views’ shared snapshot of the store)', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  const dashboard = (reads: ViewReads) =>
    buildDashboardState({ extensionVersion: '1', workspaceName: 'w', orchestrator: reads, running: false, paused: false, trusted: true, progress: () => undefined, now: 0 });

  it('reads the store once per kind until invalidated, and gives what the orchestrator gives', async () => {
    const o = await workspace().withPlan([
      { id: 'TASK-1-1', prompt: 'write a.txt: a' },
      { id: 'TASK-1-2', prompt: 'write b.txt: b', dependsOn: ['TASK-1-1'], agent: 'codex' },
    ]);
    const reads = new ViewReads(o);
    assert.deepEqual(reads.rows(), taskRows(o));
    assert.deepEqual(reads.specs(), o.specs());
    assert.deepEqual(reads.overlaps(), o.overlaps());
    const misses = reads.misses;
    assert.equal(reads.rows(), reads.rows(), 'the same rows object until invalidated');
    reads.specs();
    reads.overlaps();
    assert.equal(reads.misses, misses, 'a second read of each went to the store');
    reads.invalidate();
    reads.rows();
    assert.equal(reads.misses, misses + 1);
  });

  it('lets the dashboard be rebuilt (live progress) without reading the store again, and shows a change after invalidate()', async () => {
    const o = await workspace().withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
    const reads = new ViewReads(o);
    const first = dashboard(reads);
    const misses = reads.misses;
    assert.ok(misses > 0);
    assert.deepEqual(dashboard(reads), first);
    assert.equal(reads.misses, misses, 'the second build read the store');

    const run = await o.run();
    assert.equal(run.status, 'completed');
    assert.equal(dashboard(reads).tasks[0].status, 'pending', 'the snapshot changed before invalidate()');
    reads.invalidate();
    const after = dashboard(reads);
    assert.equal(after.tasks[0].status, 'completed');
    assert.equal(after.run?.runId, run.runId);
    assert.equal(after.timeline.length, 1);
  });

  it('gives the dashboard the same state as the orchestrator read directly', async () => {
    const o = await workspace().withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
    await o.run();
    const direct = buildDashboardState({ extensionVersion: '1', workspaceName: 'w', orchestrator: o, running: false, paused: false, trusted: true, progress: () => undefined, now: 0 });
    assert.deepEqual(dashboard(new ViewReads(o)), direct);
  });
});
