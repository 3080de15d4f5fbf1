// `clean` through the CLI: it never touches a live run, never deletes a branch its database has no
// record of, and a worktree that vanished under a task is reported as such (not as a missing git).
import * as assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../../src/cli/exitCodes';
import { git, readStore, statuses, useWorkspaces, waitUntil, type Workspace } from './engineFixture';

function orchBranches(ws: Workspace): string[] {
  return git(ws.repo, 'branch', '--list', 'orch/*', '--format=%(refname:short)').split('\n').filter(Boolean).sort();
}

function worktreeCount(ws: Workspace): number {
  return git(ws.repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length;
}

describe('engine end to end: clean', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('refuses while a run is live in another process (exit 5); the run finishes untouched', async () => {
    const ws = workspace();
    ws.writePlan([
      { id: 'TASK-1-1', prompt: 'progress 1/1 working; sleep 4s; write a.txt: a' },
      { id: 'TASK-1-2', prompt: 'progress 1/1 working; sleep 4s; write b.txt: b' },
    ]);
    const run = ws.spawnCli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted', '--retries', '0']);
    await run.waitFor(/TASK-1-1 +progress/);
    await run.waitFor(/TASK-1-2 +progress/);
    const clean = await ws.cli(['clean', '--branches']);
    assert.equal(clean.code, EXIT.busy, clean.stdout + clean.stderr);
    assert.equal(clean.stderr, `agent-orchestrator: Cannot clean up worktrees: another process (pid ${run.child.pid} on ${clean.stderr.match(/ on ([^)]+)\)/)?.[1]}) is running this workspace's orchestrator.\n`);
    assert.equal(worktreeCount(ws), 3);
    const ended = await run.exited;
    assert.equal(ended.code, EXIT.ok, ended.stdout + ended.stderr);
    assert.doesNotMatch(ended.stdout, /git not found/);
    await readStore(ws, (store) => assert.deepEqual(statuses(store), { 'TASK-1-1': 'completed', 'TASK-1-2': 'completed' }));
  });

  it('a worktree removed under a running task: "the worktree … no longer exists", not a missing git', async () => {
    const ws = workspace();
    ws.writePlan([{ id: 'TASK-1-1', prompt: 'progress 1/1 working; sleep 2s' }]);
    const run = ws.spawnCli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted', '--retries', '0']);
    await run.waitFor(/TASK-1-1 +progress/);
    const worktree = await waitUntil('the attempt and its worktree recorded', () =>
      readStore(ws, (store) => store.listAttempts('TASK-1-1')[0]?.worktree ?? undefined),
    );
    assert.equal(existsSync(worktree), true);
    rmSync(worktree, { recursive: true, force: true });
    const ended = await run.exited;
    assert.equal(ended.code, EXIT.failed, ended.stdout + ended.stderr);
    await readStore(ws, (store) => {
      const task = store.getTask('TASK-1-1')!;
      assert.equal(task.status, 'failed');
      assert.doesNotMatch(task.errorMessage ?? '', /git not found/);
      assert.match(task.errorMessage ?? '', new RegExp(`the worktree ${worktree.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} no longer exists`));
    });
  });

  it('keeps the orch/* branches its database has no record of, even with --branches, and says so', async () => {
    const ws = workspace();
    ws.writePlan([
      { id: 'TASK-1-1', prompt: 'write a.txt: a' },
      { id: 'TASK-1-2', prompt: 'fail with boom' },
    ]);
    const run = await ws.cli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted', '--retries', '0']);
    assert.equal(run.code, EXIT.failed, run.stderr);
    assert.deepEqual(orchBranches(ws), ['orch/TASK-1-1/a1', 'orch/TASK-1-2/a1']);
    // A new, empty database (the old one deleted): it knows none of these branches.
    rmSync(join(ws.repo, '.agent-orchestrator'), { recursive: true, force: true });
    git(ws.repo, 'branch', 'orch/TASK-7-1/a1');

    const clean = await ws.cli(['clean']);
    assert.equal(clean.code, EXIT.ok, clean.stderr);
    // The completed task's worktree went when its work was committed (setting keepWorktrees).
    assert.equal(clean.stdout, 'Removed 1 worktree(s).\nKept 3 orch/* branch(es) this database has no record of.\n');
    assert.equal(worktreeCount(ws), 1);
    assert.deepEqual(orchBranches(ws), ['orch/TASK-1-1/a1', 'orch/TASK-1-2/a1', 'orch/TASK-7-1/a1']);

    const branches = await ws.cli(['clean', '--branches', '--json']);
    assert.equal(branches.code, EXIT.ok, branches.stderr);
    assert.deepEqual(JSON.parse(branches.stdout), {
      removed: [],
      deletedBranches: [],
      keptUnknownBranches: ['orch/TASK-1-1/a1', 'orch/TASK-1-2/a1', 'orch/TASK-7-1/a1'],
    });
    assert.deepEqual(orchBranches(ws), ['orch/TASK-1-1/a1', 'orch/TASK-1-2/a1', 'orch/TASK-7-1/a1']);
  });

  it('with its records: a failed attempt\'s branch goes, completed work stays; --branches takes only recorded ones', async () => {
    const ws = workspace();
    ws.writePlan([
      { id: 'TASK-1-1', prompt: 'write a.txt: a' },
      { id: 'TASK-1-2', prompt: 'fail with boom' },
    ]);
    assert.equal((await ws.cli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted', '--retries', '0'])).code, EXIT.failed);
    git(ws.repo, 'branch', 'orch/TASK-7-1/a1');
    const clean = await ws.cli(['clean']);
    assert.equal(clean.stdout, 'Removed 1 worktree(s).\nKept 1 orch/* branch(es) this database has no record of.\n');
    assert.deepEqual(orchBranches(ws), ['orch/TASK-1-1/a1', 'orch/TASK-7-1/a1']);
    const branches = await ws.cli(['clean', '--branches']);
    assert.equal(branches.stdout, 'Removed 0 worktree(s) and 1 unused branch(es).\nKept 1 orch/* branch(es) this database has no record of.\n');
    assert.deepEqual(orchBranches(ws), ['orch/TASK-7-1/a1']);
  });
});
