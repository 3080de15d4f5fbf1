// The dashboard's changed-files feed on a real workspace (scripted agent, real git): it asks the
// engine when a task's details open, not again for states that change nothing about the task, again
// when the task's attempt or review changes, never for a task whose agent still writes, and it
// drops an answer for a task that is no longer selected.
import * as assert from 'node:assert/strict';
import type { TaskChanges } from '../../../src/core';
import type { Orchestrator } from '../../../src/core/orchestrator';
import { buildDashboardState } from '../../../src/vscode/dashboard/dashboardState';
import { TaskChangesFeed, type ChangesMessage } from '../../../src/vscode/dashboard/taskChangesFeed';
import { useWorkspaces, waitUntil } from '../engine/engineFixture';

function stateOf(orchestrator: Orchestrator) {
  return buildDashboardState({ extensionVersion: '1', workspaceName: 'w', orchestrator, running: false, paused: false, trusted: true, progress: () => undefined });
}

describe('dashboard: the selected task’s changed files', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('fetches when the details open and when the attempt changes, not on every state; drops answers for a task no longer selected', async () => {
    const ws = workspace();
    const o = await ws.withPlan([
      { id: 'TASK-1-1', prompt: 'write a.txt: one\\ntwo; write b/c.txt: c' },
      { id: 'TASK-1-2', prompt: 'write d.txt: d' },
    ]);
    await o.run();
    const asked: string[] = [];
    const posted: ChangesMessage[] = [];
    const feed = new TaskChangesFeed(
      (taskId) => {
        asked.push(taskId);
        return o.taskChanges(taskId);
      },
      (message) => posted.push(message),
    );

    feed.select('TASK-1-1', stateOf(o));
    await waitUntil('the first answer', () => posted.length === 1);
    const first = posted[0];
    assert.equal(first.taskId, 'TASK-1-1');
    assert.deepEqual(
      first.changes?.files.map((f) => [f.path, f.kind, f.insertions, f.deletions]),
      [
        ['a.txt', 'added', 2, 0],
        ['b/c.txt', 'added', 1, 0],
      ],
    );
    assert.deepEqual([first.changes?.insertions, first.changes?.deletions], [3, 0]);
    assert.equal(feed.last, first);

    // Ten states later with nothing new about TASK-1-1: no second git call.
    for (let i = 0; i < 10; i++) feed.update(stateOf(o));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(asked, ['TASK-1-1']);

    // Its review state changes (discarded): asked again; there is nothing left to review.
    await o.discard('TASK-1-1');
    feed.update(stateOf(o));
    await waitUntil('the answer after the discard', () => posted.length === 2);
    assert.deepEqual(asked, ['TASK-1-1', 'TASK-1-1']);

    // A slow answer for TASK-1-2 arrives after the user moved on: dropped.
    let release: (changes: TaskChanges | undefined) => void = () => undefined;
    const slow = new TaskChangesFeed(
      () => new Promise<TaskChanges | undefined>((resolve) => (release = resolve)),
      (message) => posted.push(message),
    );
    slow.select('TASK-1-2', stateOf(o));
    slow.select(null, stateOf(o));
    release(await o.taskChanges('TASK-1-2'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(posted.length, 2, 'an answer for a closed task was posted');
    assert.equal(slow.last, undefined);
  });

  it('says why when git fails, naming the task', async () => {
    const ws = workspace();
    const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
    await o.run();
    const posted: ChangesMessage[] = [];
    const feed = new TaskChangesFeed(
      () => Promise.reject(new Error('git diff failed for TASK-1-1: bad object')),
      (message) => posted.push(message),
    );
    feed.select('TASK-1-1', stateOf(o));
    await waitUntil('the error', () => posted.length === 1);
    assert.deepEqual(posted[0], { type: 'changes', taskId: 'TASK-1-1', changes: null, error: 'git diff failed for TASK-1-1: bad object' });
  });
});
