import { strict as assert } from 'node:assert';
import type { Strategy, TaskStatus } from '../../../src/core/model';
import { aggregateParentStatus } from '../../../src/core/strategy';

type Case = readonly [children: readonly TaskStatus[], parent: TaskStatus];

function check(strategy: Strategy, threshold: number | undefined, cases: readonly Case[]): void {
  for (const [children, parent] of cases) {
    assert.equal(aggregateParentStatus(strategy, threshold, children), parent, `${strategy}(${threshold}) of [${children.join(', ')}]`);
  }
}

/** Before anything is decided, every strategy reports progress the same way. */
const IN_PROGRESS: readonly Case[] = [
  [['spawned', 'spawned'], 'spawned'],
  [['running', 'spawned'], 'running'],
  [['interrupted', 'running'], 'running'],
  [['interrupted', 'spawned'], 'interrupted'],
  [['spawned', 'cancelled'], 'running'],
];

describe('aggregateParentStatus', () => {
  it('wait_all: waits for every child, then completed only if all completed', () => {
    check('wait_all', undefined, [
      ...IN_PROGRESS,
      [['completed', 'running'], 'running'],
      [['failed', 'running'], 'running'],
      [['completed', 'completed'], 'completed'],
      [['completed', 'failed'], 'failed'],
      [['timed_out', 'cancelled'], 'failed'],
      [['blocked', 'blocked'], 'blocked'],
      [['completed', 'cancelled'], 'cancelled'],
      [['cancelled', 'blocked'], 'blocked'],
      [[], 'completed'],
    ]);
  });

  it('fail_fast: the first failure or time-out fails the parent at once', () => {
    check('fail_fast', undefined, [
      ...IN_PROGRESS,
      [['failed', 'running'], 'failed'],
      [['timed_out', 'spawned'], 'failed'],
      [['completed', 'running'], 'running'],
      [['completed', 'completed'], 'completed'],
      [['completed', 'cancelled'], 'cancelled'],
      [['blocked', 'completed'], 'blocked'],
    ]);
  });

  it('best_effort: completed when at least the threshold of children completed, 80% by default', () => {
    check('best_effort', undefined, [
      ...IN_PROGRESS,
      [['failed', 'running', 'completed'], 'running'],
      [['completed', 'completed', 'completed', 'completed', 'failed'], 'completed'],
      [['completed', 'completed', 'completed', 'failed', 'failed'], 'failed'],
      [['completed', 'completed', 'completed', 'cancelled', 'cancelled'], 'cancelled'],
      [['completed', 'blocked'], 'blocked'],
      [[], 'completed'],
    ]);
    check('best_effort', 0.5, [
      [['completed', 'failed'], 'completed'],
      [['completed', 'failed', 'failed'], 'failed'],
    ]);
    check('best_effort', 0.7, [
      [['completed', 'completed', 'completed', 'completed', 'completed', 'completed', 'completed', 'failed', 'failed', 'failed'], 'completed'],
    ]);
  });

  it('race: the first success completes the parent at once; otherwise it fails when all are done', () => {
    check('race', undefined, [
      ...IN_PROGRESS,
      [['completed', 'running'], 'completed'],
      [['spawned', 'completed'], 'completed'],
      [['failed', 'running'], 'running'],
      [['failed', 'timed_out'], 'failed'],
      [['failed', 'cancelled'], 'failed'],
      [['cancelled', 'cancelled'], 'cancelled'],
      [['blocked', 'cancelled'], 'blocked'],
    ]);
  });
});
