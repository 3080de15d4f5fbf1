import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WorktreeError } from '../../../src/core/git/errors';
import { WorktreeManager } from '../../../src/core/git/worktreeManager';
import { gitCallsDuring } from './gitCalls';
import { git, makeRepo, writeFiles, type Sandbox } from './gitFixture';

// WorktreeManager.remove (src/core/git/worktreeLifecycle.ts): every attempt's worktree is removed
// once its work is on its branch, so the usual call goes straight to `git worktree remove`; the
// `worktree list` way is kept for what git refuses (the main working tree, folders that are not
// worktrees) and for a branch to delete that the caller did not name.

describe('WorktreeManager.remove', function () {
  let box: Sandbox;
  let manager: WorktreeManager;

  beforeEach(() => {
    box = makeRepo({ 'README.md': '# demo\n' });
    manager = new WorktreeManager({ repoDir: box.repo });
  });
  afterEach(() => box.cleanup());

  const branches = () => git(box.repo, 'branch', '--list', '--format=%(refname:short)').split('\n').filter(Boolean).sort();
  const registered = () => git(box.repo, 'worktree', 'list', '--porcelain').split('\n').filter((line) => line.startsWith('worktree ')).length;

  it('removes a registered worktree, its work included, with one git process and keeps its branch', async () => {
    const wt = await manager.create({ taskId: 'TASK-1-1', attempt: 1, baseCommit: 'HEAD' });
    writeFiles(wt.path, { 'dirty.txt': 'uncommitted\n' });
    const { calls } = await gitCallsDuring(() => manager.remove(wt.path));
    assert.deepEqual(calls, ['worktree remove']);
    assert.equal(existsSync(wt.path), false);
    assert.equal(registered(), 1);
    assert.deepEqual(branches(), ['main', wt.branch]);
  });

  it('deletes the branch it is given with one more process, and the branch it finds through the list', async () => {
    const named = await manager.create({ taskId: 'TASK-1-2', attempt: 1, baseCommit: 'HEAD' });
    const { calls } = await gitCallsDuring(() => manager.remove(named.path, { deleteBranch: true, branch: named.branch }));
    assert.deepEqual(calls, ['worktree remove', 'branch']);
    assert.equal(existsSync(named.path), false);

    const unnamed = await manager.create({ taskId: 'TASK-1-3', attempt: 1, baseCommit: 'HEAD' });
    await manager.remove(unnamed.path, { deleteBranch: true });
    assert.equal(existsSync(unnamed.path), false);
    assert.deepEqual(branches(), ['main']);
    assert.equal(registered(), 1);
  });

  it('is harmless for a worktree already removed, its branch already deleted too', async () => {
    const wt = await manager.create({ taskId: 'TASK-1-4', attempt: 1, baseCommit: 'HEAD' });
    await manager.remove(wt.path, { deleteBranch: true, branch: wt.branch });
    await manager.remove(wt.path, { deleteBranch: true, branch: wt.branch });
    await manager.remove(wt.path);
    assert.deepEqual(branches(), ['main']);
  });

  it('removes the record of a registered worktree whose folder vanished', async () => {
    const wt = await manager.create({ taskId: 'TASK-1-5', attempt: 1, baseCommit: 'HEAD' });
    rmSync(wt.path, { recursive: true, force: true });
    await manager.remove(wt.path, { deleteBranch: true, branch: wt.branch });
    assert.equal(registered(), 1);
    assert.deepEqual(branches(), ['main']);
  });

  it('deletes an unregistered folder inside its worktree root (a create that failed half-way)', async () => {
    const root = await manager.worktreeRoot();
    const half = join(root, 'TASK-1-6-a1');
    mkdirSync(join(half, 'src'), { recursive: true });
    writeFileSync(join(half, 'src', 'partial.ts'), 'x\n');
    await manager.remove(half);
    assert.equal(existsSync(half), false);
    assert.equal(registered(), 1);
  });

  it('refuses the main working tree, even asked to delete its branch, and changes nothing', async () => {
    const wt = await manager.create({ taskId: 'TASK-1-7', attempt: 1, baseCommit: 'HEAD' });
    const head = git(box.repo, 'rev-parse', 'HEAD');
    for (const options of [{}, { deleteBranch: true, branch: 'main' }, { deleteBranch: true }]) {
      await assert.rejects(manager.remove(box.repo, options), (error: Error) => error instanceof WorktreeError && /is the main working tree, not a task worktree/.test(error.message));
    }
    assert.equal(readFileSync(join(box.repo, 'README.md'), 'utf8'), '# demo\n');
    assert.equal(git(box.repo, 'rev-parse', 'HEAD'), head);
    assert.deepEqual(branches(), ['main', wt.branch]);
    assert.equal(registered(), 2);
  });

  it('refuses a folder outside its root that is no worktree, and a relative path goes the careful way', async () => {
    const foreign = join(box.dir, 'foreign');
    mkdirSync(foreign);
    await assert.rejects(manager.remove(foreign), /is not a worktree of/);
    assert.ok(existsSync(foreign));

    // git matches a unique path suffix too: a relative name must not reach another worktree.
    const wt = await manager.create({ taskId: 'TASK-1-8', attempt: 1, baseCommit: 'HEAD' });
    const { calls } = await gitCallsDuring(() => manager.remove(relative(process.cwd(), wt.path)));
    assert.deepEqual(calls, ['worktree list', 'worktree remove']);
    assert.equal(existsSync(wt.path), false);
  });
});
