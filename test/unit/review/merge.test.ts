import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MergeConflictsError } from '../../../src/core/review/errors';
import { branchExists, CLEAN_TASKS, fileAt, git, reviewRun, SHARED, type ReviewRun } from './reviewFixture';

describe('review: merging a run back (real repository, scripted agents)', function () {
  this.timeout(60_000);
  let run: ReviewRun;
  before(async () => {
    run = await reviewRun();
  });
  after(async () => {
    await run?.workspace.dispose();
  });

  it('shows each task only its own work, from the commit it started at', async () => {
    const { orchestrator } = run;
    const alpha = await orchestrator.taskChanges('TASK-1-1');
    assert.deepEqual(alpha?.files, [{ path: 'alpha.txt', oldPath: null, kind: 'added', insertions: 1, deletions: 0 }]);
    assert.equal(alpha?.startCommit, run.base);
    assert.equal(alpha?.review.state, 'unreviewed');
    // The dependent started with TASK-1-1 merged in: its review shows its own line only.
    const extend = await orchestrator.taskChanges('TASK-1-7');
    assert.deepEqual(extend?.files, [{ path: 'alpha.txt', oldPath: null, kind: 'modified', insertions: 1, deletions: 0 }]);
    assert.notEqual(extend?.startCommit, run.base);
    const top = await orchestrator.taskChanges('TASK-1-3');
    assert.deepEqual([top?.insertions, top?.deletions], [1, 1]);
    assert.equal((await orchestrator.reviewableTasks()).length, 7);
    const before = await orchestrator.readFileAt(top!.startCommit, 'shared.txt');
    const after = await orchestrator.readFileAt(top!.headCommit, 'shared.txt');
    assert.deepEqual(before, { kind: 'text', text: SHARED });
    assert.equal(after.kind === 'text' && after.text.startsWith('LINE ONE\nline 2\n'), true);
  });

  it('plans all in dependency order and finds the conflict, before anything moves; the fallback agrees', async () => {
    const plan = await run.orchestrator.planMerge({ all: true });
    assert.equal(plan.target, `orch/integrate/${run.runId}`);
    assert.equal(plan.targetExists, false);
    assert.equal(plan.base, run.base);
    assert.equal(plan.strategy, 'squash');
    const ids = plan.steps.map((step) => step.taskId);
    assert.ok(ids.indexOf('TASK-1-1') < ids.indexOf('TASK-1-7'));
    assert.deepEqual(plan.steps.filter((s) => s.state === 'conflict').map((s) => [s.taskId, s.conflictFiles, s.conflictsWith]), [['TASK-1-6', ['gamma.txt'], ['TASK-1-5']]]);
    assert.deepEqual(plan.steps.filter((s) => s.state === 'clean').map((s) => s.taskId).sort(), CLEAN_TASKS);
    assert.equal(plan.hasConflicts, true);
    assert.equal(plan.usedFallback, false);
    assert.equal(branchExists(run.workspace.repo, plan.target), false);

    const { planMerge } = await import('../../../src/core/review/planMerge');
    const fallback = await planMerge({ store: run.orchestrator.store, repoDir: run.workspace.repo, settings: run.orchestrator.settings, forceFallback: true }, { all: true });
    assert.equal(fallback.plan.usedFallback, true);
    assert.deepEqual(fallback.plan.steps, plan.steps);
    assert.equal(git(run.workspace.repo, 'worktree', 'list').split('\n').filter((line) => line.includes('orch-precheck')).length, 0, 'the temporary worktree is gone');
  });

  it('merges nothing from a conflicting batch without consent', async () => {
    const head = git(run.workspace.repo, 'rev-parse', 'HEAD');
    await assert.rejects(run.orchestrator.merge({ all: true }), (error: unknown) => error instanceof MergeConflictsError && /TASK-1-6.*gamma\.txt/.test(error.message));
    assert.equal(branchExists(run.workspace.repo, `orch/integrate/${run.runId}`), false);
    assert.equal(git(run.workspace.repo, 'rev-parse', 'HEAD'), head);
    assert.equal(run.orchestrator.reviewStates().size, 0);
  });

  it('with acceptPartial merges the clean ones only: the integration branch holds every clean task\'s work, file by file', async () => {
    const { orchestrator, workspace } = run;
    const checkoutHead = git(workspace.repo, 'rev-parse', 'HEAD');
    const outcome = await orchestrator.merge({ all: true, acceptPartial: true });
    const target = `orch/integrate/${run.runId}`;
    assert.equal(outcome.plan.target, target);
    assert.deepEqual(outcome.merged.map((m) => m.taskId).sort(), CLEAN_TASKS);
    assert.deepEqual(outcome.skipped, [{ taskId: 'TASK-1-6', why: 'conflicts in gamma.txt' }]);
    assert.equal(git(workspace.repo, 'rev-parse', target), outcome.targetCommit);
    // File by file, with git.
    assert.equal(fileAt(workspace.repo, target, 'alpha.txt'), 'alpha\nmore alpha\n');
    assert.equal(fileAt(workspace.repo, target, 'beta/beta.txt'), 'beta\n');
    assert.equal(fileAt(workspace.repo, target, 'gamma.txt'), 'one way\n');
    assert.equal(fileAt(workspace.repo, target, 'shared.txt'), SHARED.replace('line 1\n', 'LINE ONE\n').replace('line 10\n', 'LINE TEN\n'));
    assert.equal(git(workspace.repo, 'rev-list', '--count', `${run.base}..${target}`), String(CLEAN_TASKS.length), 'squash: one commit per task');
    // The user's checkout did not move, and the temporary worktree is gone.
    assert.equal(git(workspace.repo, 'rev-parse', 'HEAD'), checkoutHead);
    assert.equal(git(workspace.repo, 'worktree', 'list').includes('integrate-'), false);
    const states = orchestrator.reviewStates();
    assert.equal(states.get('TASK-1-1')?.state, 'merged');
    assert.equal(states.get('TASK-1-1')?.target, target);
    assert.equal(states.get('TASK-1-1')?.strategy, 'squash');
    assert.equal(states.has('TASK-1-6'), false);
    // The run's summary.md says where each task's work went.
    const summary = readFileSync(join(workspace.repo, '.agent-orchestrator', 'runs', run.runId, 'summary.md'), 'utf8');
    assert.match(summary, new RegExp(`- TASK-1-1: Add alpha — merged into \`${target}\` at [0-9a-f]{10} \\(squash\\)`));
    assert.match(summary, /- TASK-1-6: Gamma another way — unreviewed/);
    assert.ok(summary.indexOf('### Review') < summary.indexOf('### Next steps'));
    // Merging "all" again finds only the conflicting task left, and merges nothing twice.
    const again = await orchestrator.planMerge({ all: true });
    assert.deepEqual(again.steps.map((step) => [step.taskId, step.state]), [['TASK-1-6', 'conflict']]);
    const named = await orchestrator.planMerge({ taskIds: ['TASK-1-1', 'TASK-1-7'] });
    assert.deepEqual(named.steps.map((step) => step.state), ['alreadyMerged', 'alreadyMerged']);
  });

  for (const strategy of ['merge', 'squash', 'rebase'] as const) {
    it(`strategy ${strategy} gives the history it promises`, async () => {
      const { orchestrator, workspace } = run;
      const into = `target-${strategy}`;
      git(workspace.repo, 'branch', into, run.base);
      const outcome = await orchestrator.merge({ taskIds: ['TASK-1-7', 'TASK-1-1', 'TASK-1-2'], into, strategy });
      assert.deepEqual(outcome.plan.steps.map((step) => step.taskId), ['TASK-1-1', 'TASK-1-2', 'TASK-1-7'], 'dependency first, then the plan order');
      const log = git(workspace.repo, 'log', '--format=%P|%s|%an', `${run.base}..${into}`).split('\n').reverse();
      const parents = log.map((line) => line.split('|')[0].split(' ').length);
      const subjects = log.map((line) => line.split('|')[1]);
      if (strategy === 'merge') {
        const merges = log.filter((_, i) => parents[i] === 2).map((line) => line.split('|')[1]);
        assert.deepEqual(merges, ['Merge TASK-1-1: Add alpha', 'Merge TASK-1-2: Add beta', 'Merge TASK-1-7: Extend alpha']);
        assert.equal(git(workspace.repo, 'rev-list', '--first-parent', '--count', `${run.base}..${into}`), '3', 'one merge commit per task on the target');
      } else if (strategy === 'squash') {
        assert.deepEqual(subjects, ['TASK-1-1: Add alpha', 'TASK-1-2: Add beta', 'TASK-1-7: Extend alpha']);
        assert.deepEqual(parents, [1, 1, 1]);
        assert.match(git(workspace.repo, 'log', '-1', '--format=%b', into), /agent scripted \(attempt 1 of run orch-/);
      } else {
        // The tasks' own commits replayed: the executor's commit of each, no merges.
        assert.deepEqual(subjects, ['TASK-1-1: Add alpha', 'TASK-1-2: Add beta', 'TASK-1-7: Extend alpha']);
        assert.deepEqual(parents, [1, 1, 1]);
        assert.equal(log.every((line) => line.endsWith('|Agent Orchestrator')), true, 'authorship kept');
      }
      assert.equal(fileAt(workspace.repo, into, 'alpha.txt'), 'alpha\nmore alpha\n');
      assert.equal(fileAt(workspace.repo, into, 'beta/beta.txt'), 'beta\n');
      assert.deepEqual(outcome.merged.map((m) => m.taskId), ['TASK-1-1', 'TASK-1-2', 'TASK-1-7']);
      assert.equal(outcome.merged.at(-1)?.commit, outcome.targetCommit);
    });
  }
});
