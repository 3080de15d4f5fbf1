import * as assert from 'node:assert/strict';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitAll } from '../../../src/core/git/branchWork';
import { WorktreeError } from '../../../src/core/git/errors';
import { ORCHESTRATOR_IDENTITY } from '../../../src/core/git/gitClient';
import { WorktreeManager } from '../../../src/core/git/worktreeManager';
import { gitCallsDuring } from './gitCalls';
import { git, makeRepo, writeFiles, type Sandbox } from './gitFixture';

// commitAll (src/core/git/branchWork.ts): the snapshot of an agent's work that every successful
// attempt ends with. It commits first and asks what was staged only when the commit did not
// happen, so these pin both the result and the git processes each case costs.

describe('commitAll', function () {
  let box: Sandbox;
  let manager: WorktreeManager;
  let worktree: string;

  beforeEach(async () => {
    box = makeRepo({ 'README.md': '# demo\n', 'shared.txt': 'line 1\n', 'old.txt': 'to be deleted\n', '.gitignore': '.env\n' });
    manager = new WorktreeManager({ repoDir: box.repo });
    worktree = (await manager.create({ taskId: 'TASK-1-1', attempt: 1, baseCommit: 'HEAD' })).path;
  });
  afterEach(() => box.cleanup());

  const head = () => git(worktree, 'rev-parse', 'HEAD');

  it('commits new, changed and deleted files with two git processes (add, commit)', async () => {
    const before = head();
    writeFiles(worktree, { 'src/new.ts': 'export const x = 1;\n', 'shared.txt': 'line 1\nline 2\n' });
    rmSync(join(worktree, 'old.txt'));
    const { calls, result } = await gitCallsDuring(() => manager.commitAll(worktree, 'TASK-1-1: work\n\nbody'));
    assert.equal(result, true);
    assert.deepEqual(calls, ['add', 'commit']);
    assert.equal(git(worktree, 'rev-parse', 'HEAD~1'), before, 'one new commit on top of the start');
    assert.deepEqual(git(worktree, 'show', '--name-status', '--format=', 'HEAD').split('\n').sort(), ['A\tsrc/new.ts', 'D\told.txt', 'M\tshared.txt']);
    assert.equal(git(worktree, 'log', '-1', '--format=%an <%ae>|%cn|%s'), 'Agent Orchestrator <agent-orchestrator@localhost>|Agent Orchestrator|TASK-1-1: work');
    assert.equal(git(worktree, 'status', '--porcelain', '--untracked-files=all'), '');
  });

  it('returns false and makes no commit when nothing changed', async () => {
    const before = head();
    const { calls, result } = await gitCallsDuring(() => manager.commitAll(worktree, 'nothing'));
    assert.equal(result, false);
    assert.equal(head(), before);
    // The price of the cheap usual case: the unchanged one asks the index after the commit refused.
    assert.deepEqual(calls, ['add', 'commit', 'diff']);
  });

  it('returns false when the agent committed its work itself (nothing left)', async () => {
    writeFiles(worktree, { 'aider.txt': 'committed by the agent\n' });
    git(worktree, 'add', '-A');
    git(worktree, 'commit', '-q', '-m', 'agent: its own commit');
    const agents = head();
    assert.equal(await manager.commitAll(worktree, 'TASK-1-1: work'), false);
    assert.equal(head(), agents);
    assert.equal(git(worktree, 'log', '-1', '--format=%s'), 'agent: its own commit');
  });

  it('never commits the files .worktreeinclude copied in, even when they are all that changed', async () => {
    writeFiles(box.repo, { '.worktreeinclude': 'local.json\n.env\n', 'local.json': '{"db":"local"}\n', '.env': 'TOKEN=1\n' });
    // A new manager: each reads the include file once, and this one's was read without it.
    const wt = await new WorktreeManager({ repoDir: box.repo }).create({ taskId: 'TASK-1-2', attempt: 1, baseCommit: 'HEAD' });
    assert.deepEqual([...wt.includedFiles].sort(), ['.env', 'local.json']);
    const before = git(wt.path, 'rev-parse', 'HEAD');
    assert.equal(await manager.commitAll(wt.path, 'only include files'), false);
    assert.equal(git(wt.path, 'rev-parse', 'HEAD'), before);

    writeFiles(wt.path, { 'work.txt': 'real work\n', 'local.json': '{"db":"changed by the agent"}\n' });
    assert.equal(await manager.commitAll(wt.path, 'work'), true);
    assert.deepEqual(git(wt.path, 'show', '--name-only', '--format=', 'HEAD').split('\n'), ['work.txt']);
    assert.match(git(wt.path, 'status', '--porcelain', '--untracked-files=all'), /\?\? local\.json/);
  });

  it('throws a clear error, and commits nothing, when git cannot commit (no usable identity)', async () => {
    writeFiles(worktree, { 'work.txt': 'work\n' });
    const before = head();
    await assert.rejects(commitAll(worktree, 'work', { name: '', email: '' }), (error: Error) => {
      assert.ok(error instanceof WorktreeError, `a WorktreeError, got ${error.name}`);
      assert.match(error.message, new RegExp(`^committing the work in ${worktree.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} failed: .*ident`, 'i'));
      return true;
    });
    assert.equal(head(), before);
    // Nothing lost: the work is staged and the next commit (a good identity) takes it.
    assert.equal(await commitAll(worktree, 'work', ORCHESTRATOR_IDENTITY), true);
    assert.deepEqual(git(worktree, 'show', '--name-only', '--format=', 'HEAD').split('\n'), ['work.txt']);
  });

  it('throws, naming the hook, when a prepare-commit-msg hook refuses the commit of staged work', async () => {
    const hook = join(box.repo, '.git', 'hooks', 'prepare-commit-msg');
    writeFileSync(hook, '#!/bin/sh\necho "refused by the test hook" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    writeFiles(worktree, { 'work.txt': 'work\n' });
    const before = head();
    await assert.rejects(manager.commitAll(worktree, 'work'), (error: Error) => error instanceof WorktreeError && /failed: refused by the test hook/.test(error.message));
    assert.equal(head(), before);
  });

  it('gives up on an index.lock held beyond the retries, with a message naming it', async function () {
    this.timeout(20_000);
    const lock = join(git(worktree, 'rev-parse', '--absolute-git-dir'), 'index.lock');
    writeFileSync(lock, '');
    writeFiles(worktree, { 'work.txt': 'work\n' });
    const before = head();
    await assert.rejects(manager.commitAll(worktree, 'work'), /index\.lock/);
    assert.equal(head(), before);
    rmSync(lock);
    assert.equal(await manager.commitAll(worktree, 'work'), true);
  });
});
