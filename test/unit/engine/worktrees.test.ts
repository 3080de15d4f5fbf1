// Worktrees that do not pile up (setting keepWorktrees, src/core/run/worktreeSweeper.ts): once an
// attempt's work is committed to its branch its checkout is removed (by default only a completed
// one's), the branch keeps the work for review, dependents, follow-ups and retries, and "Open Task
// Worktree" checks it out again. Real repositories and the real scripted agent, through the façade
// and the CLI.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../../src/cli/exitCodes';
import { resolveSettings } from '../../../src/core/settings';
import type { Orchestrator } from '../../../src/core/orchestrator';
import { git, useWorkspaces, type TaskSpec, type Workspace } from './engineFixture';

const PLAN: readonly TaskSpec[] = [
  { id: 'TASK-1-1', prompt: 'write a.txt: from A' },
  { id: 'TASK-1-2', prompt: 'write half.txt: half of it; fail with ran out of ideas' },
  { id: 'TASK-1-3', prompt: 'write c.txt: from C', dependsOn: ['TASK-1-1'] },
];

/** The task worktrees git knows (the main checkout left out). */
function taskWorktrees(ws: Workspace): string[] {
  return git(ws.repo, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .slice(1)
    .map((line) => line.slice('worktree '.length));
}

function latest(o: Orchestrator, taskId: string) {
  const attempt = o.store.listAttempts(taskId).at(-1);
  assert.ok(attempt?.worktree && attempt.branch, `${taskId} has a worktree and a branch`);
  return { worktree: attempt.worktree, branch: attempt.branch, attemptNumber: attempt.attemptNumber };
}

describe('engine end to end: worktrees that do not pile up (keepWorktrees)', function () {
  this.timeout(90_000);
  const workspace = useWorkspaces();

  it('by default removes completed tasks\' worktrees, keeps the failed one\'s, and the summary says what is left', async () => {
    const ws = workspace();
    const o = await ws.withPlan(PLAN);
    const result = await o.run();
    assert.equal(result.status, 'failed', result.summaryMd);
    const [a, half, c] = ['TASK-1-1', 'TASK-1-2', 'TASK-1-3'].map((id) => latest(o, id));

    // The completed tasks' checkouts are gone; their branches hold the work.
    assert.equal(existsSync(a.worktree), false);
    assert.equal(existsSync(c.worktree), false);
    assert.equal(git(ws.repo, 'show', `${a.branch}:a.txt`), 'from A');
    // The dependent started after its dependency's worktree could already be gone: it merged the branch.
    assert.equal(git(ws.repo, 'show', `${c.branch}:a.txt`), 'from A');
    assert.equal(git(ws.repo, 'show', `${c.branch}:c.txt`), 'from C');
    // The failed attempt's checkout stays for inspection, its leftovers also on its branch.
    assert.equal(readFileSync(join(half.worktree, 'half.txt'), 'utf8'), 'half of it\n');
    assert.equal(git(ws.repo, 'show', `${half.branch}:half.txt`), 'half of it');
    assert.deepEqual(taskWorktrees(ws), [half.worktree]);
    // Branches outlive their worktrees.
    assert.deepEqual(git(ws.repo, 'branch', '--list', 'orch/*', '--format=%(refname:short)').split('\n').sort(), [a.branch, half.branch, c.branch].sort());

    assert.match(result.summaryMd, /^\*\*Worktrees\*\*: 1 kept \(failed\), [\d.]+ MiB in .+-worktrees$/m);
    assert.equal(result.metrics.worktrees?.kept, 1);
    assert.equal(result.metrics.worktrees?.keep, 'failed');
    assert.ok((result.metrics.worktrees?.bytes ?? 0) > 0, 'the kept checkout takes some room');
    assert.deepEqual(o.store.listEvents({ runId: result.runId }).filter((event) => event.kind === 'worktree_remove_failed'), []);
  });

  it('`all` keeps every worktree, as before', async () => {
    const ws = workspace();
    const o = await ws.withPlan(PLAN, { keepWorktrees: 'all' });
    const result = await o.run();
    const worktrees = ['TASK-1-1', 'TASK-1-2', 'TASK-1-3'].map((id) => latest(o, id).worktree);
    for (const worktree of worktrees) assert.equal(existsSync(worktree), true, worktree);
    assert.deepEqual(taskWorktrees(ws).sort(), [...worktrees].sort());
    assert.equal(readFileSync(join(worktrees[0], 'a.txt'), 'utf8'), 'from A\n');
    assert.match(result.summaryMd, /^\*\*Worktrees\*\*: 3 kept \(all\), /m);
  });

  it('`none` keeps none: a failed attempt\'s worktree goes once its leftovers are committed', async () => {
    const ws = workspace();
    const o = await ws.withPlan(PLAN, { keepWorktrees: 'none' });
    const result = await o.run();
    assert.deepEqual(taskWorktrees(ws), []);
    const half = latest(o, 'TASK-1-2');
    assert.equal(existsSync(half.worktree), false);
    assert.equal(git(ws.repo, 'show', `${half.branch}:half.txt`), 'half of it');
    assert.match(git(ws.repo, 'log', '-1', '--format=%s', half.branch), /^Leftovers of TASK-1-2 attempt 1 \(not completed\)$/);
    assert.match(result.summaryMd, /^\*\*Worktrees\*\*: 0 kept \(none\), 0 MiB in /m);
  });

  it('review of a task whose worktree was removed still lists its files and reads both sides from git', async () => {
    const ws = workspace();
    const o = await ws.withPlan(PLAN);
    await o.run();
    assert.equal(existsSync(latest(o, 'TASK-1-3').worktree), false);
    const changes = await o.taskChanges('TASK-1-3');
    assert.deepEqual(changes?.files.map((file) => [file.path, file.kind]), [['c.txt', 'added']]);
    const after = await o.readFileAt(changes!.headCommit, 'c.txt');
    assert.equal(after.kind === 'text' ? after.text : after.kind, 'from C\n');
  });

  it('a follow-up on a completed task whose worktree was removed starts from its branch; the work lands on top of it', async () => {
    const ws = workspace();
    const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: from A' }]);
    await o.run();
    const first = latest(o, 'TASK-1-1');
    assert.equal(existsSync(first.worktree), false);

    await o.followUp('TASK-1-1', 'write more.txt: and more');
    const result = await o.run();
    assert.equal(result.status, 'completed', result.summaryMd);
    const second = latest(o, 'TASK-1-1');
    assert.equal(second.attemptNumber, 2);
    // The follow-up's branch continues the task's branch: the first commit, then the follow-up's.
    git(ws.repo, 'merge-base', '--is-ancestor', first.branch, second.branch);
    assert.equal(git(ws.repo, 'rev-parse', `${second.branch}~1`), git(ws.repo, 'rev-parse', first.branch));
    assert.equal(git(ws.repo, 'show', `${second.branch}:a.txt`), 'from A');
    assert.equal(git(ws.repo, 'show', `${second.branch}:more.txt`), 'and more');
    // And its own worktree went the same way once the follow-up's work was committed.
    assert.equal(existsSync(second.worktree), false);
    assert.deepEqual(taskWorktrees(ws), []);
  });

  it('a retry of a failed task under `none` runs in a fresh worktree and completes', async () => {
    const ws = workspace();
    const marker = join(ws.dir, 'failed-once');
    const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: `write a.txt: try; fail-once ${marker}; write b.txt: done` }], { keepWorktrees: 'none' });
    assert.equal((await o.run()).status, 'failed');
    const failed = latest(o, 'TASK-1-1');
    assert.equal(existsSync(failed.worktree), false);
    assert.deepEqual(await o.retry(), ['TASK-1-1']);
    const result = await o.run();
    assert.equal(result.status, 'completed', result.summaryMd);
    const retried = latest(o, 'TASK-1-1');
    assert.equal(retried.attemptNumber, 2);
    assert.notEqual(retried.branch, failed.branch);
    assert.equal(git(ws.repo, 'show', `${retried.branch}:b.txt`), 'done');
    assert.deepEqual(taskWorktrees(ws), []);
  });

  it('taskWorktree() checks a removed worktree out again from its branch, at its recorded folder', async () => {
    const ws = workspace();
    const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: from A' }]);
    await o.run();
    const { worktree, branch } = latest(o, 'TASK-1-1');
    assert.equal(existsSync(worktree), false);

    const made = await o.taskWorktree('TASK-1-1');
    assert.deepEqual(made, { path: worktree, branch, restored: true });
    assert.equal(readFileSync(join(worktree, 'a.txt'), 'utf8'), 'from A\n');
    assert.equal(git(worktree, 'rev-parse', '--abbrev-ref', 'HEAD'), branch);
    assert.equal(git(worktree, 'status', '--porcelain'), '');
    // Already there: left as it is.
    assert.deepEqual(await o.taskWorktree('TASK-1-1'), { path: worktree, branch, restored: false });
  });

  it('taskWorktree() says clearly why it cannot, and changes nothing', async () => {
    const ws = workspace();
    const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: from A' }, { id: 'TASK-1-2', prompt: 'write b.txt: b', dependsOn: ['TASK-1-1'] }]);
    await assert.rejects(o.taskWorktree('TASK-9-9'), /^Error: Unknown task TASK-9-9$/);
    await assert.rejects(o.taskWorktree('TASK-1-1'), /^Error: TASK-1-1 has not run yet, so it has no worktree$/);
    await o.run({ only: ['TASK-1-1'] });
    const { worktree, branch } = latest(o, 'TASK-1-1');
    git(ws.repo, 'branch', '-D', branch);
    await assert.rejects(o.taskWorktree('TASK-1-1'), (error: Error) => error.message.includes(`the branch ${branch} no longer exists`) && error.message.includes(worktree));
    assert.equal(existsSync(worktree), false);
    assert.deepEqual(taskWorktrees(ws), []);
  });

  it('the setting is checked, and the CLI takes it as --keep-worktrees (a bad value: usage, exit 2)', async () => {
    assert.throws(() => resolveSettings({ keepWorktrees: 'some' as never }), /keepWorktrees must be one of failed, all, none \(got "some"\)/);
    assert.equal(resolveSettings({}).keepWorktrees, 'failed');
    const ws = workspace();
    ws.writePlan([{ id: 'TASK-1-1', prompt: 'write a.txt: from A' }]);
    const bad = await ws.cli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted', '--keep-worktrees', 'some']);
    assert.equal(bad.code, EXIT.usage, bad.stderr);
    assert.match(bad.stderr, /--keep-worktrees must be failed, all, none, not "some"/);
    const run = await ws.cli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted', '--keep-worktrees', 'all']);
    assert.equal(run.code, EXIT.ok, run.stderr);
    assert.equal(taskWorktrees(ws).length, 1);
    assert.match(run.stdout, /Worktrees\*\*: 1 kept \(all\)/);
  });
});
