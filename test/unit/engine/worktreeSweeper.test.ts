// The sweeper's rule and its failure path (src/core/run/worktreeSweeper.ts), on a real repository
// and real worktrees: which outcomes lose their checkout under each keepWorktrees, that the branch
// stays, and that a removal git refuses is reported and leaves the run alone.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { WorktreeManager } from '../../../src/core/git';
import type { TaskStatus } from '../../../src/core/model';
import { removesWorktree, WorktreeSweeper } from '../../../src/core/run/worktreeSweeper';
import { git, makeRepo, type Sandbox } from '../git/gitFixture';

describe('WorktreeSweeper: checkouts go once their work is on the branch', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = makeRepo();
  });
  afterEach(() => sandbox.cleanup());

  it('removes by the setting: failed → completed only, none → every outcome, all → nothing', () => {
    const outcomes: TaskStatus[] = ['completed', 'failed', 'timed_out', 'cancelled', 'blocked', 'spawned'];
    assert.deepEqual(outcomes.filter((o) => removesWorktree('failed', o)), ['completed']);
    assert.deepEqual(outcomes.filter((o) => removesWorktree('none', o)), outcomes);
    assert.deepEqual(outcomes.filter((o) => removesWorktree('all', o)), []);
  });

  it('removes the worktree and keeps the branch; settled() waits for it', async () => {
    const worktrees = new WorktreeManager({ repoDir: sandbox.repo });
    const made = await worktrees.create({ taskId: 'TASK-1-1', attempt: 1, baseCommit: 'HEAD' });
    const failures: unknown[] = [];
    const sweeper = new WorktreeSweeper({ worktrees, keep: 'failed', onFailure: (_task, _path, error) => failures.push(error) });
    sweeper.attemptClosed('TASK-1-1', made.path, 'failed');
    await sweeper.settled();
    assert.equal(existsSync(made.path), true, 'a failed attempt keeps its worktree by default');
    sweeper.attemptClosed('TASK-1-1', made.path, 'completed');
    await sweeper.settled();
    assert.equal(existsSync(made.path), false);
    assert.equal(sweeper.removed, 1);
    assert.equal(git(sandbox.repo, 'rev-parse', '--verify', '--quiet', `refs/heads/${made.branch}`).length, 40);
    assert.deepEqual(failures, []);
  });

  it('a removal git refuses is reported, and the folder is left alone', async () => {
    const worktrees = new WorktreeManager({ repoDir: sandbox.repo });
    // A folder outside the worktree root that no worktree record names: never ours to delete.
    const stranger = join(sandbox.dir, 'not-a-worktree');
    mkdirSync(stranger);
    const failures: Array<[string, string, string]> = [];
    const sweeper = new WorktreeSweeper({ worktrees, keep: 'none', onFailure: (task, path, error) => failures.push([task, path, String(error)]) });
    sweeper.attemptClosed('TASK-1-2', stranger, 'failed');
    await sweeper.settled();
    assert.equal(existsSync(stranger), true);
    assert.equal(failures.length, 1);
    assert.deepEqual(failures[0].slice(0, 2), ['TASK-1-2', stranger]);
    assert.match(failures[0][2], /is not a worktree of/);
  });
});
