import * as assert from 'node:assert/strict';
import { countsSentence, countTasks, type CountedTask } from '../../../src/shared/taskCounts';

describe('countTasks (the status bar, the dashboard and the end-of-run toast)', () => {
  const task = (taskId: string, status: CountedTask['status'], parentId: string | null = null): CountedTask => ({ taskId, status, parentId });

  it('does not count a fan-out parent: its running children are the running work', () => {
    const counts = countTasks([
      task('A', 'running'),
      task('B', 'running'),
      task('C', 'running'),
      task('P', 'running'),
      task('P-1', 'running', 'P'),
      task('P-2', 'completed', 'P'),
    ]);
    assert.equal(counts.running, 4);
    assert.equal(counts.completed, 1);
    assert.equal(counts.total, 5);
  });

  it('counts every other task once, by its status', () => {
    const counts = countTasks([task('A', 'completed'), task('B', 'failed'), task('C', 'pending'), task('D', 'interrupted')]);
    assert.deepEqual([counts.completed, counts.failed, counts.pending, counts.interrupted, counts.total], [1, 1, 1, 1, 4]);
  });

  it('says the same numbers in a sentence', () => {
    const counts = countTasks([task('A', 'completed'), task('B', 'failed'), task('C', 'blocked'), task('P', 'failed'), task('P-1', 'completed', 'P')]);
    assert.equal(countsSentence(counts), '2 of 4 completed, 1 failed, 1 blocked');
  });
});
