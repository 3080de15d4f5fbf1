// The tree's cache of task changes (src/vscode/review/TaskChangesCache.ts): the engine is asked
// once per state of a task, concurrent asks share one load, a new state loads again, and a
// failed load is not kept.
import * as assert from 'node:assert/strict';
import type { TaskChanges, TaskView } from '../../../src/core';
import { changesKey, TaskChangesCache } from '../../../src/vscode/review/TaskChangesCache';

function changes(taskId: string, headCommit: string): TaskChanges {
  return {
    taskId,
    title: 'Greet',
    status: 'completed',
    attemptNumber: 1,
    branch: `orch/${taskId}/a1`,
    startCommit: 'start',
    headCommit,
    files: [],
    insertions: 0,
    deletions: 0,
    review: { taskId, state: 'unreviewed', target: null, commit: null, strategy: null, updatedAt: null },
  };
}

type Row = Pick<TaskView, 'displayStatus' | 'latestAttempt'>;

function row(status: TaskView['displayStatus'], attemptId: number, endedAt: string | null): Row {
  return { displayStatus: status, latestAttempt: { attemptId, branch: `orch/T/a${attemptId}`, endedAt } as TaskView['latestAttempt'] };
}

describe('TaskChangesCache', () => {
  it('keys a task by its status, attempt, branch, end and review state', () => {
    const done = row('completed', 1, '2026-01-01T00:00:00Z');
    assert.equal(changesKey(done, undefined), changesKey(done, 'unreviewed'));
    assert.notEqual(changesKey(done, undefined), changesKey(done, 'merged'));
    assert.notEqual(changesKey(done, undefined), changesKey(row('completed', 2, '2026-01-01T00:00:00Z'), undefined));
    assert.notEqual(changesKey(done, undefined), changesKey(row('failed', 1, '2026-01-01T00:00:00Z'), undefined));
    assert.notEqual(changesKey(row('running', 1, null), undefined), changesKey(done, undefined));
  });

  it('asks the engine once per key, shares a load in flight, and loads again for a new key', async () => {
    const asked: string[] = [];
    let head = 'h1';
    const cache = new TaskChangesCache(async () => ({
      taskChanges: async (taskId: string) => {
        asked.push(taskId);
        return changes(taskId, head);
      },
    }));
    assert.equal(cache.peek('TASK-1-1', 'k1'), undefined);
    const [a, b] = await Promise.all([cache.get('TASK-1-1', 'k1'), cache.get('TASK-1-1', 'k1')]);
    assert.equal(a, b);
    assert.equal(a?.headCommit, 'h1');
    assert.equal(cache.peek('TASK-1-1', 'k1')?.changes, a);
    for (let i = 0; i < 5; i++) await cache.get('TASK-1-1', 'k1');
    assert.deepEqual(asked, ['TASK-1-1']);
    assert.equal(cache.loads, 1);

    head = 'h2';
    assert.equal((await cache.get('TASK-1-1', 'k2'))?.headCommit, 'h2');
    assert.equal(cache.peek('TASK-1-1', 'k1'), undefined, 'an old key still answers');
    assert.equal(cache.loads, 2);
  });

  it('keeps no failed load: the next ask tries again', async () => {
    let fail = true;
    const cache = new TaskChangesCache(async () => ({
      taskChanges: async (taskId: string) => {
        if (fail) throw new Error('git failed');
        return changes(taskId, 'h');
      },
    }));
    await assert.rejects(cache.get('TASK-1-1', 'k'), /git failed/);
    assert.equal(cache.peek('TASK-1-1', 'k'), undefined);
    fail = false;
    assert.equal((await cache.get('TASK-1-1', 'k'))?.headCommit, 'h');
    assert.equal(cache.loads, 2);
  });
});
