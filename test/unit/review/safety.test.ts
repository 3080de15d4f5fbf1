import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MergeBlockedError } from '../../../src/core/review/errors';
import { branchExists, fileAt, git, reviewRun, type ReviewRun } from './reviewFixture';
import type { TaskSpec } from '../engine/engineFixture';

const TASKS: readonly TaskSpec[] = [
  { id: 'TASK-1-1', title: 'Add alpha', prompt: 'write alpha.txt: alpha' },
  { id: 'TASK-1-2', title: 'Gamma one way', prompt: 'write gamma.txt: one way' },
  { id: 'TASK-1-3', title: 'Gamma another way', prompt: 'write gamma.txt: another way' },
  { id: 'TASK-1-4', title: 'Half done', prompt: 'write half.txt: half of it; fail ran out of ideas' },
];

describe('review: the user\'s checkout, other worktrees, resolving and discarding', function () {
  this.timeout(60_000);
  let run: ReviewRun;
  before(async () => {
    // Every worktree kept (setting keepWorktrees): these tests are about worktrees in the way.
    run = await reviewRun(TASKS, { keepWorktrees: 'all' });
  });
  after(async () => {
    await run?.workspace.dispose();
  });

  it('refuses to merge into the checked-out branch while it has uncommitted changes in files the merge touches, naming them; nothing changes', async () => {
    const { orchestrator, workspace } = run;
    const head = git(workspace.repo, 'rev-parse', 'HEAD');
    writeFileSync(join(workspace.repo, 'alpha.txt'), 'my own alpha\n');
    await assert.rejects(orchestrator.merge({ taskIds: ['TASK-1-1'], into: 'main' }), (error: unknown) => {
      assert.ok(error instanceof MergeBlockedError);
      assert.deepEqual(error.files, ['alpha.txt']);
      assert.equal(error.worktree, null, 'worktree names another worktree only');
      assert.match(error.message, /main is checked out in .* with uncommitted changes in files the merge would touch: alpha\.txt/);
      return true;
    });
    assert.equal(git(workspace.repo, 'rev-parse', 'HEAD'), head);
    assert.equal(readFileSync(join(workspace.repo, 'alpha.txt'), 'utf8'), 'my own alpha\n', 'the user\'s file is untouched');
    assert.equal(orchestrator.reviewStates().size, 0);
  });

  it('merges into the checked-out branch when the uncommitted changes are elsewhere, and leaves them alone', async () => {
    const { orchestrator, workspace } = run;
    writeFileSync(join(workspace.repo, 'alpha.txt'), 'my own alpha\n');
    git(workspace.repo, 'add', 'alpha.txt');
    await assert.rejects(orchestrator.merge({ taskIds: ['TASK-1-2'], into: 'main' }), /staged changes \(alpha\.txt\)/);
    git(workspace.repo, 'reset', '-q', 'alpha.txt');
    const outcome = await orchestrator.merge({ taskIds: ['TASK-1-2'], into: 'main', strategy: 'merge' });
    assert.equal(git(workspace.repo, 'rev-parse', 'HEAD'), outcome.targetCommit);
    assert.equal(readFileSync(join(workspace.repo, 'gamma.txt'), 'utf8'), 'one way\n');
    assert.equal(readFileSync(join(workspace.repo, 'alpha.txt'), 'utf8'), 'my own alpha\n');
    assert.equal(git(workspace.repo, 'status', '--porcelain', '--', 'alpha.txt'), '?? alpha.txt');
    assert.equal(orchestrator.reviewStates().get('TASK-1-2')?.target, 'main');
  });

  it('refuses a target checked out in another worktree, naming it', async () => {
    const { orchestrator, workspace } = run;
    const other = join(workspace.dir, 'other-checkout');
    git(workspace.repo, 'worktree', 'add', '-q', '-b', 'elsewhere', other, run.base);
    await assert.rejects(orchestrator.merge({ taskIds: ['TASK-1-1'], into: 'elsewhere' }), (error: unknown) => {
      assert.ok(error instanceof MergeBlockedError);
      assert.equal(error.worktree, other);
      assert.deepEqual(error.files, []);
      assert.match(error.message, /elsewhere is checked out in another worktree/);
      return true;
    });
    assert.equal(git(workspace.repo, 'rev-parse', 'elsewhere'), run.base);
  });

  it('resolveConflicts leaves the target in git\'s merge state with the conflicted files', async () => {
    const { orchestrator, workspace } = run;
    // main now has TASK-1-2's gamma.txt; TASK-1-3 conflicts with it.
    rmUntracked(workspace.repo, 'alpha.txt');
    git(workspace.repo, 'branch', 'resolve-here', 'main');
    const { worktree, files } = await orchestrator.resolveConflicts('TASK-1-3', 'resolve-here');
    assert.deepEqual(files, ['gamma.txt']);
    assert.notEqual(worktree, workspace.repo, 'not the user\'s checkout: resolve-here is not checked out there');
    assert.equal(git(worktree, 'rev-parse', '--abbrev-ref', 'HEAD'), 'resolve-here');
    assert.ok(existsSync(join(worktree, '.git')));
    assert.equal(git(worktree, 'rev-parse', '--verify', '--quiet', 'MERGE_HEAD'), git(workspace.repo, 'rev-parse', 'orch/TASK-1-3/a1'));
    assert.match(readFileSync(join(worktree, 'gamma.txt'), 'utf8'), /<<<<<<<[\s\S]*one way[\s\S]*another way/);
  });

  it('keeps a failed attempt\'s leftovers on its branch as a commit recovery never takes for finished work', async () => {
    const { orchestrator, workspace } = run;
    const half = await orchestrator.taskChanges('TASK-1-4');
    assert.equal(half?.status, 'failed');
    assert.deepEqual(half?.files.map((file) => [file.path, file.kind]), [['half.txt', 'added']]);
    const message = git(workspace.repo, 'log', '-1', '--format=%B', half!.branch);
    assert.match(message, /^Leftovers of TASK-1-4 attempt 1 \(not completed\)/);
    assert.doesNotMatch(message, /^TASK-1-4: /m);
    assert.doesNotMatch(message, /^Agent: .*, attempt (\d+), run (\S+)$/m, 'src/core/run/recovery.ts reads that line as a completed attempt');
    assert.equal(fileAt(workspace.repo, half!.branch, 'half.txt'), 'half of it\n');
    await assert.rejects(orchestrator.merge({ taskIds: ['TASK-1-4'] }), /TASK-1-4 is failed; only completed tasks can be merged/);
  });

  it('discard deletes the task\'s branch and worktree and records it', async () => {
    const { orchestrator, workspace } = run;
    const attempt = orchestrator.store.listAttempts('TASK-1-1')[0];
    assert.ok(attempt.worktree && existsSync(attempt.worktree));
    await orchestrator.discard('TASK-1-1');
    assert.equal(branchExists(workspace.repo, 'orch/TASK-1-1/a1'), false);
    assert.equal(existsSync(attempt.worktree), false);
    assert.equal(orchestrator.reviewStates().get('TASK-1-1')?.state, 'discarded');
    assert.equal(await orchestrator.taskChanges('TASK-1-1'), undefined);
    const plan = await orchestrator.planMerge({ all: true });
    assert.equal(plan.steps.some((step) => step.taskId === 'TASK-1-1'), false, 'a discarded task is not merged with the rest');
    await assert.rejects(orchestrator.discard('TASK-9-9'), /TASK-9-9 has not run/);
  });
});

function rmUntracked(repo: string, path: string): void {
  git(repo, 'clean', '-q', '-f', '--', path);
}
