// Which branches `clean` may delete, given what the workspace's database recorded about the
// attempts that made them (src/core/git/cleanWorktrees.ts). The git side of clean is exercised
// end to end in test/unit/engine/cliClean.test.ts.
import * as assert from 'node:assert/strict';
import { mayDeleteBranch, type BranchOutcomes } from '../../../src/core/git/cleanWorktrees';

describe('clean: which branches may go', () => {
  const outcomes: BranchOutcomes = new Map([
    ['orch/TASK-1-1/a1', 'completed'],
    ['orch/TASK-1-2/a1', 'failed'],
    ['orch/TASK-1-3/a1', null],
  ]);

  it('deletes the branch of an attempt that failed or never recorded an outcome', () => {
    assert.equal(mayDeleteBranch('orch/TASK-1-2/a1', outcomes, false), true);
    assert.equal(mayDeleteBranch('orch/TASK-1-3/a1', outcomes, false), true);
  });

  it('keeps completed work unless every recorded branch is to go', () => {
    assert.equal(mayDeleteBranch('orch/TASK-1-1/a1', outcomes, false), false);
    assert.equal(mayDeleteBranch('orch/TASK-1-1/a1', outcomes, true), true);
  });

  it('never deletes a branch the database has no record of, nor a worktree without a branch', () => {
    assert.equal(mayDeleteBranch('orch/TASK-7-1/a1', outcomes, false), false);
    assert.equal(mayDeleteBranch('orch/TASK-7-1/a1', outcomes, true), false);
    assert.equal(mayDeleteBranch(undefined, outcomes, true), false);
    assert.equal(mayDeleteBranch(null, outcomes, true), false);
  });
});
