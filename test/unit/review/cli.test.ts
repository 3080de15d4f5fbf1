import * as assert from 'node:assert/strict';
import { branchExists, CLEAN_TASKS, fileAt, git, reviewRun, type ReviewRun } from './reviewFixture';

/** The task worktrees git knows (the main checkout left out). */
function taskWorktrees(repo: string): string[] {
  return git(repo, 'worktree', 'list', '--porcelain').split('\n').filter((line) => line.startsWith('worktree ')).slice(1).map((line) => line.slice('worktree '.length));
}

describe('CLI: review, merge, discard, conflicts', function () {
  this.timeout(90_000);
  let run: ReviewRun;
  before(async () => {
    run = await reviewRun();
    await run.orchestrator.close(); // the CLI takes the workspace over
  });
  after(async () => {
    await run?.workspace.dispose();
  });

  it('review lists each finished task, and one task\'s files (--json shapes)', async () => {
    const { workspace } = run;
    const list = await workspace.cli(['review', '--json']);
    assert.equal(list.code, 0, list.stderr);
    const tasks = JSON.parse(list.stdout) as { taskId: string; files: unknown[]; review: { state: string } }[];
    assert.deepEqual(tasks.map((t) => t.taskId).sort(), [...CLEAN_TASKS, 'TASK-1-6'].sort());
    assert.equal(tasks.every((t) => t.review.state === 'unreviewed'), true);
    const one = await workspace.cli(['review', 'TASK-1-3', '--json']);
    const changes = JSON.parse(one.stdout) as { branch: string; startCommit: string; files: unknown[] };
    assert.equal(changes.branch, 'orch/TASK-1-3/a1');
    assert.equal(changes.startCommit, run.base);
    assert.deepEqual(changes.files, [{ path: 'shared.txt', oldPath: null, kind: 'modified', insertions: 1, deletions: 1 }]);
    const text = await workspace.cli(['review', 'TASK-1-2']);
    assert.match(text.stdout, /^TASK-1-2 {2}completed {2}unreviewed {2}1 file\(s\) \+1 −0 {2}orch\/TASK-1-2\/a1\n {2}A {2}beta\/beta\.txt {2}\+1 −0/);
    const missing = await workspace.cli(['review', 'TASK-9-9']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /TASK-9-9 has no branch to review/);
  });

  it('conflicts prints the predicted conflicts of merging everything', async () => {
    const json = await run.workspace.cli(['conflicts', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const parts = JSON.parse(json.stdout) as { predicted: unknown; radar: { overlaps: Array<{ taskA: string; taskB: string; conflict: boolean | null }> } };
    assert.deepEqual(parts.predicted, { target: `orch/integrate/${run.runId}`, conflicts: [{ taskId: 'TASK-1-6', files: ['gamma.txt'], conflictsWith: ['TASK-1-5'] }] });
    // The conflict radar's part (src/cli/radarCommands.ts) saw the same pair during the run.
    assert.ok(parts.radar.overlaps.some((pair) => pair.taskA === 'TASK-1-5' && pair.taskB === 'TASK-1-6' && pair.conflict === true), JSON.stringify(parts.radar));
    const text = await run.workspace.cli(['conflicts']);
    assert.match(text.stdout, /TASK-1-6: gamma\.txt \(with TASK-1-5\)/);
  });

  it('merge --all exits 4 with the task ids and files on stderr and merges nothing; usage errors exit 2', async () => {
    const { workspace } = run;
    const refused = await workspace.cli(['merge', '--all']);
    assert.equal(refused.code, 4);
    assert.match(refused.stderr, /would conflict, so nothing was merged:\n {2}TASK-1-6: gamma\.txt \(with TASK-1-5\)/);
    assert.equal(branchExists(workspace.repo, `orch/integrate/${run.runId}`), false);
    const dry = await workspace.cli(['merge', '--all', '--dry-run', '--json']);
    assert.equal(dry.code, 4);
    assert.equal((JSON.parse(dry.stdout) as { plan: { hasConflicts: boolean } }).plan.hasConflicts, true);
    assert.equal((await workspace.cli(['merge'])).code, 2);
    const badStrategy = await workspace.cli(['merge', '--all', '--strategy', 'octopus']);
    assert.equal(badStrategy.code, 2);
    assert.match(badStrategy.stderr, /--strategy for merge must be merge, squash or rebase/);
  });

  it('merge TASK… --strategy merge exits 0 and prints what was merged (--json shape)', async () => {
    const { workspace } = run;
    const merged = await workspace.cli(['merge', 'TASK-1-7', 'TASK-1-1', '--strategy', 'merge', '--json']);
    assert.equal(merged.code, 0, merged.stderr);
    const outcome = JSON.parse(merged.stdout) as { merged: { taskId: string; commit: string }[]; skipped: unknown[]; targetCommit: string; plan: { target: string; strategy: string } };
    assert.deepEqual(outcome.merged.map((m) => m.taskId), ['TASK-1-1', 'TASK-1-7']);
    assert.equal(outcome.plan.strategy, 'merge');
    assert.equal(fileAt(workspace.repo, outcome.plan.target, 'alpha.txt'), 'alpha\nmore alpha\n');
    const rest = await workspace.cli(['merge', '--all', '--accept-partial']);
    assert.equal(rest.code, 0, rest.stderr);
    assert.match(rest.stdout, /^Merged 4 task\(s\) into orch\/integrate\/\S+ \(squash\), now at [0-9a-f]{10}\./);
    assert.match(rest.stdout, /TASK-1-6 {2}skipped: conflicts in gamma\.txt/);
  });

  it('discard TASK deletes its branch', async () => {
    const { workspace } = run;
    const result = await workspace.cli(['discard', 'TASK-1-6']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(branchExists(workspace.repo, 'orch/TASK-1-6/a1'), false);
    const json = JSON.parse((await workspace.cli(['conflicts', '--json'])).stdout) as { predicted: { conflicts: unknown[] } };
    assert.deepEqual(json.predicted.conflicts, []);
  });

  it('clean keeps the integration branch (and does not call it unknown); review still works from git objects afterwards', async () => {
    const { workspace } = run;
    // Completed tasks' worktrees already went with their commits (setting keepWorktrees): clean
    // removes whatever is left, and review still reads every task from its branch.
    const before = taskWorktrees(workspace.repo);
    const cleaned = await workspace.cli(['clean', '--json']);
    assert.equal(cleaned.code, 0, cleaned.stderr);
    const result = JSON.parse(cleaned.stdout) as { removed: string[]; keptUnknownBranches: string[] };
    assert.deepEqual([...result.removed].sort(), before.sort());
    assert.deepEqual(taskWorktrees(workspace.repo), []);
    assert.deepEqual(result.keptUnknownBranches, []);
    assert.equal(branchExists(workspace.repo, `orch/integrate/${run.runId}`), true);
    const review = await workspace.cli(['review', 'TASK-1-4', '--json']);
    assert.equal(review.code, 0, review.stderr);
    assert.deepEqual((JSON.parse(review.stdout) as { files: { path: string }[] }).files.map((f) => f.path), ['shared.txt']);
  });
});
