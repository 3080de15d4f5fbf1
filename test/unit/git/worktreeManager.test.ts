import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BaseNotFoundError,
  BranchExistsError,
  MergeConflictError,
  NoCommitError,
  NotARepositoryError,
  SetupCommandError,
  WorktreeError,
  WorktreePathTakenError,
} from '../../../src/core/git/errors';
import { attemptBranch, DEFAULT_BRANCH_PREFIX } from '../../../src/core/git/naming';
import { WorktreeManager } from '../../../src/core/git/worktreeManager';
import { git, makeRepo, writeFiles, type Sandbox } from './gitFixture';

async function rejectsWith<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T, message?: RegExp): Promise<T> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${(error as Error).name}: ${(error as Error).message}`);
    if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail(`expected ${type.name}, but it resolved`);
}

describe('WorktreeManager', function () {
  let box: Sandbox;
  let manager: WorktreeManager;
  let base: string;

  beforeEach(() => {
    box = makeRepo({ 'README.md': '# demo\n', 'shared.txt': 'line 1\nline 2\nline 3\n', '.gitignore': '.env\n' });
    manager = new WorktreeManager({ repoDir: box.repo });
    base = git(box.repo, 'rev-parse', 'HEAD');
  });
  afterEach(() => box.cleanup());

  describe('repository checks', () => {
    it('accepts a repository and reports its root, also from a subfolder', async () => {
      mkdirSync(join(box.repo, 'src'));
      const info = await manager.assertRepository(join(box.repo, 'src'));
      assert.equal(info.root, box.repo);
      assert.equal(info.commonDir, join(box.repo, '.git'));
    });

    it('rejects a folder that is not a repository, or does not exist', async () => {
      const plain = mkdtempSync(join(tmpdir(), 'orch-plain-'));
      try {
        await rejectsWith(manager.assertRepository(plain), NotARepositoryError, /is not inside a git repository — open a folder of a git repository or run "git init"/);
        await rejectsWith(manager.assertRepository(join(plain, 'missing')), NotARepositoryError, /the folder does not exist/);
        await rejectsWith(new WorktreeManager({ repoDir: plain }).create({ taskId: 'TASK-1-1', attempt: 1, baseCommit: 'HEAD' }), NotARepositoryError);
      } finally {
        rmSync(plain, { recursive: true, force: true });
      }
    });

    it('rejects a repository without a commit', async () => {
      const empty = makeRepo({}, false);
      try {
        await rejectsWith(manager.assertRepository(empty.repo), NoCommitError, /has no commit yet — worktrees start from a commit/);
      } finally {
        empty.cleanup();
      }
    });

    it('resolves a base to a commit id, with a clear error when it names nothing', async () => {
      assert.equal(await manager.resolveBase('main'), base);
      assert.equal(await manager.resolveBase(base.slice(0, 8)), base);
      await rejectsWith(manager.resolveBase('no-such-branch'), BaseNotFoundError, /base "no-such-branch" does not name a commit/);
      await rejectsWith(manager.resolveBase('--output=/tmp/x'), BaseNotFoundError);
      await rejectsWith(manager.create({ taskId: 'TASK-1-1', attempt: 1, baseCommit: 'nope' }), BaseNotFoundError);
    });
  });

  describe('create', () => {
    it('makes one worktree and branch per attempt, outside the repository', async () => {
      const wt = await manager.create({ taskId: 'TASK-1-2', attempt: 1, baseCommit: 'main' });
      assert.equal(wt.branch, 'orch/TASK-1-2/a1');
      assert.equal(wt.path, join(box.dir, '.repo-worktrees', 'TASK-1-2-a1'));
      assert.equal(wt.baseCommit, base);
      assert.equal(wt.startCommit, base);
      assert.equal(git(wt.path, 'branch', '--show-current'), 'orch/TASK-1-2/a1');
      assert.equal(readFileSync(join(wt.path, 'README.md'), 'utf8'), '# demo\n');
      // The main working tree is untouched.
      assert.equal(git(box.repo, 'branch', '--show-current'), 'main');
      assert.equal(git(box.repo, 'status', '--porcelain'), '');

      const second = await manager.create({ taskId: 'TASK-1-2', attempt: 2, baseCommit: 'main' });
      assert.equal(second.branch, 'orch/TASK-1-2/a2');
    });

    it('honours a custom prefix and root, and makes odd task ids safe', async () => {
      const root = join(box.dir, 'elsewhere');
      const custom = new WorktreeManager({ repoDir: box.repo, branchPrefix: 'agents/', worktreeRoot: root });
      const wt = await custom.create({ taskId: 'TASK 7/fan out:*?', attempt: 3, baseCommit: 'HEAD' });
      assert.equal(wt.branch, 'agents/TASK-7-fan-out/a3');
      assert.equal(wt.path, join(root, 'TASK-7-fan-out-a3'));
      await rejectsWith(custom.create({ taskId: '...', attempt: 1, baseCommit: 'HEAD' }), WorktreeError, /cannot be used in a branch name/);
      await rejectsWith(custom.create({ taskId: 'T', attempt: 0, baseCommit: 'HEAD' }), WorktreeError, /attempt must be a positive integer/);
      await rejectsWith(new WorktreeManager({ repoDir: box.repo, branchPrefix: 'bad..prefix/' }).create({ taskId: 'T', attempt: 1, baseCommit: 'HEAD' }), WorktreeError, /not a valid branch name/);
    });

    it('takes the default prefix as valid without asking, because git does accept it', () => {
      // WorktreeManager skips git's check for DEFAULT_BRANCH_PREFIX; this is the check it skips.
      git(box.repo, 'check-ref-format', '--branch', attemptBranch(DEFAULT_BRANCH_PREFIX, 'TASK-1', 1));
      git(box.repo, 'check-ref-format', '--branch', attemptBranch(DEFAULT_BRANCH_PREFIX, 'TASK-12_fan-out-3', 27));
    });

    it('refuses a path that is already taken, or a branch that already exists', async () => {
      const taken = join(box.dir, '.repo-worktrees', 'TASK-1-1-a1');
      mkdirSync(taken, { recursive: true });
      await rejectsWith(manager.create({ taskId: 'TASK-1-1', attempt: 1, baseCommit: base }), WorktreePathTakenError, /is already taken/);
      assert.ok(existsSync(taken), 'a folder we did not create is left alone');

      git(box.repo, 'branch', 'orch/TASK-1-3/a1');
      await rejectsWith(manager.create({ taskId: 'TASK-1-3', attempt: 1, baseCommit: base }), BranchExistsError, /branch orch\/TASK-1-3\/a1 already exists/);
    });

    // A small repository's worktrees are checked out inside the repository queue, a big one's
    // outside it (checkoutInQueueMaxIndexBytes: 0 takes that path here).
    for (const [mode, maxIndexBytes] of [
      ['checked out in the queue', undefined],
      ['checked out outside the queue', 0],
    ] as const) {
      it(`creates 16 worktrees in parallel on one repository without a single failure (${mode})`, async function () {
        const parallel = new WorktreeManager({ repoDir: box.repo, checkoutInQueueMaxIndexBytes: maxIndexBytes });
        const started = Date.now();
        const results = await Promise.allSettled(
          Array.from({ length: 16 }, (_, i) => parallel.create({ taskId: `TASK-2-${i + 1}`, attempt: 1, baseCommit: base })),
        );
        const elapsed = Date.now() - started;
        const failures = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
        assert.deepEqual(failures, []);
        const managed = await parallel.listManaged();
        assert.equal(managed.length, 16);
        assert.equal(new Set(managed.map((m) => m.branch)).size, 16);
        for (const m of managed) {
          assert.equal(readFileSync(join(m.path, 'shared.txt'), 'utf8'), 'line 1\nline 2\nline 3\n');
          assert.equal(git(m.path, 'status', '--porcelain'), '', `${m.path} is a clean checkout of the base`);
        }
        console.log(`      16 parallel creates, ${mode}: ${elapsed} ms (${Math.round(elapsed / 16)} ms each)`);
      });
    }

    it('merges the dependency branches into a dependent task’s worktree', async () => {
      const a = await manager.create({ taskId: 'TASK-3-1', attempt: 1, baseCommit: base });
      writeFiles(a.path, { 'a.txt': 'from A\n' });
      assert.ok(await manager.commitAll(a.path, 'TASK-3-1: add a'));
      const b = await manager.create({ taskId: 'TASK-3-2', attempt: 1, baseCommit: base });
      writeFiles(b.path, { 'b.txt': 'from B\n' });
      assert.ok(await manager.commitAll(b.path, 'TASK-3-2: add b'));

      const c = await manager.create({ taskId: 'TASK-3-3', attempt: 1, baseCommit: base, mergeBranches: [a.branch, b.branch] });
      assert.equal(readFileSync(join(c.path, 'a.txt'), 'utf8'), 'from A\n');
      assert.equal(readFileSync(join(c.path, 'b.txt'), 'utf8'), 'from B\n');
      assert.notEqual(c.startCommit, base);
      assert.equal(git(c.path, 'rev-parse', 'HEAD'), c.startCommit);
      // The second dependency needed a real merge commit, made with the orchestrator identity.
      assert.equal(git(c.path, 'log', '-1', '--format=%an <%ae>|%s'), `Agent Orchestrator <agent-orchestrator@localhost>|Merge ${b.branch} into ${c.branch} (dependency)`);
      assert.equal(git(c.path, 'status', '--porcelain'), '');

      // C's own work is told apart from what it inherited.
      writeFiles(c.path, { 'c.txt': 'one\ntwo\n' });
      await manager.commitAll(c.path, 'TASK-3-3: add c');
      const all = await manager.diffStat(c.branch, base);
      assert.deepEqual(all.files.map((f) => f.path), ['a.txt', 'b.txt', 'c.txt']);
      const own = await manager.diffStat(c.branch, c.startCommit);
      assert.deepEqual(own, { files: [{ path: 'c.txt', insertions: 2, deletions: 0 }], filesChanged: 1, insertions: 2, deletions: 0 });
    });

    it('aborts on a conflict between dependencies, cleans up, and names branches and files', async () => {
      const a = await manager.create({ taskId: 'TASK-4-1', attempt: 1, baseCommit: base });
      writeFiles(a.path, { 'shared.txt': 'line 1\nA was here\nline 3\n', 'only-a.txt': 'a\n' });
      await manager.commitAll(a.path, 'A edits shared');
      const b = await manager.create({ taskId: 'TASK-4-2', attempt: 1, baseCommit: base });
      writeFiles(b.path, { 'shared.txt': 'line 1\nB was here\nline 3\n' });
      await manager.commitAll(b.path, 'B edits shared');

      const error = await rejectsWith(
        manager.create({ taskId: 'TASK-4-3', attempt: 1, baseCommit: base, mergeBranches: [a.branch, b.branch] }),
        MergeConflictError,
        /merging orch\/TASK-4-2\/a1 into orch\/TASK-4-3\/a1 conflicts in shared\.txt/,
      );
      assert.equal(error.code, 'merge-conflict');
      assert.equal(error.branch, 'orch/TASK-4-3/a1');
      assert.equal(error.conflictingBranch, b.branch);
      assert.deepEqual(error.mergeBranches, [a.branch, b.branch]);
      assert.deepEqual(error.files, ['shared.txt']);
      assert.equal(existsSync(join(box.dir, '.repo-worktrees', 'TASK-4-3-a1')), false);
      assert.equal(git(box.repo, 'branch', '--list', 'orch/TASK-4-3/a1'), '');
      assert.deepEqual((await manager.listManaged()).map((m) => m.branch).sort(), [a.branch, b.branch]);
      // The same attempt can be created again once the conflict is out of the way.
      const retry = await manager.create({ taskId: 'TASK-4-3', attempt: 1, baseCommit: base, mergeBranches: [a.branch] });
      assert.equal(readFileSync(join(retry.path, 'shared.txt'), 'utf8'), 'line 1\nA was here\nline 3\n');
    });

    it('reports a dependency branch that does not exist and cleans up', async () => {
      await rejectsWith(
        manager.create({ taskId: 'TASK-5-1', attempt: 1, baseCommit: base, mergeBranches: ['orch/TASK-0-0/a1'] }),
        WorktreeError,
        /dependency branch orch\/TASK-0-0\/a1 does not exist/,
      );
      assert.deepEqual(await manager.listManaged(), []);
      await rejectsWith(manager.create({ taskId: 'TASK-5-1', attempt: 1, baseCommit: base, mergeBranches: ['--help'] }), WorktreeError, /not a valid git ref/);
    });
  });

  describe('.worktreeinclude', () => {
    it('copies listed untracked files, never overwrites tracked ones, and keeps them out of commits', async () => {
      writeFiles(box.repo, {
        '.worktreeinclude': '# local files agents need\n.env\nconfig/*.json\n!config/skip.json\nsecrets\nREADME.md\nnot-there.txt\n',
        '.env': 'TOKEN=abc\n',
        'config/local.json': '{"db":"local"}\n',
        'config/skip.json': '{}\n',
        'secrets/nested/key.pem': 'KEY\n',
        'README.md': '# locally modified, not committed\n',
      });
      const wt = await manager.create({ taskId: 'TASK-6-1', attempt: 1, baseCommit: base });
      assert.deepEqual([...wt.includedFiles].sort(), ['.env', 'config/local.json', 'secrets/nested/key.pem']);
      assert.equal(readFileSync(join(wt.path, '.env'), 'utf8'), 'TOKEN=abc\n');
      assert.equal(readFileSync(join(wt.path, 'secrets/nested/key.pem'), 'utf8'), 'KEY\n');
      assert.equal(existsSync(join(wt.path, 'config/skip.json')), false);
      assert.equal(readFileSync(join(wt.path, 'README.md'), 'utf8'), '# demo\n', 'the tracked version wins');

      // The agent works; the snapshot commit holds its work but none of the copied files.
      writeFiles(wt.path, { 'feature.ts': 'export const x = 1;\n', 'README.md': '# demo\nmore\n' });
      rmSync(join(wt.path, 'shared.txt'));
      assert.equal(await manager.commitAll(wt.path, 'TASK-6-1: agent work'), true);
      assert.deepEqual(git(wt.path, 'show', '--name-status', '--format=', 'HEAD').split('\n').sort(), ['A\tfeature.ts', 'D\tshared.txt', 'M\tREADME.md']);
      assert.match(git(wt.path, 'status', '--porcelain', '--untracked-files=all'), /\?\? config\/local\.json/);
      assert.equal(await manager.commitAll(wt.path, 'nothing new'), false);
    });

    it('takes extra patterns from options and rejects patterns outside the repository', async () => {
      writeFiles(box.repo, { 'local.settings': 'x=1\n' });
      const withExtra = new WorktreeManager({ repoDir: box.repo, include: ['*.settings'] });
      const wt = await withExtra.create({ taskId: 'TASK-6-2', attempt: 1, baseCommit: base });
      assert.deepEqual(wt.includedFiles, ['local.settings']);

      const outside = new WorktreeManager({ repoDir: box.repo, include: ['../outside/*'] });
      await rejectsWith(outside.create({ taskId: 'TASK-6-3', attempt: 1, baseCommit: base }), WorktreeError, /points outside the repository/);
      assert.equal(existsSync(join(box.dir, '.repo-worktrees', 'TASK-6-3-a1')), false);
    });
  });

  describe('setup command', () => {
    it('runs in the new worktree before the agent', async () => {
      const logFile = join(box.dir, 'logs', 'setup.log');
      const withSetup = new WorktreeManager({
        repoDir: box.repo,
        setupCommand: [process.execPath, '-e', 'require("fs").writeFileSync("setup.done", process.env.ORCH_TASK_ID); console.log("installed")'],
      });
      const wt = await withSetup.create({ taskId: 'TASK-7-1', attempt: 1, baseCommit: base, setupLogFile: logFile });
      assert.equal(readFileSync(join(wt.path, 'setup.done'), 'utf8'), 'TASK-7-1');
      assert.equal(readFileSync(logFile, 'utf8'), 'installed\n');
    });

    it('fails clearly and removes the worktree when setup fails or is missing', async () => {
      const failing = new WorktreeManager({ repoDir: box.repo, setupCommand: [process.execPath, '-e', 'console.error("npm ERR! missing lockfile"); process.exit(4)'] });
      const error = await rejectsWith(failing.create({ taskId: 'TASK-7-2', attempt: 1, baseCommit: base }), SetupCommandError, /failed: exit code 4\nnpm ERR! missing lockfile/);
      assert.equal(error.exitCode, 4);
      assert.equal(existsSync(join(box.dir, '.repo-worktrees', 'TASK-7-2-a1')), false);
      assert.equal(git(box.repo, 'branch', '--list', 'orch/TASK-7-2/a1'), '');

      const missing = new WorktreeManager({ repoDir: box.repo, setupCommand: ['no-such-setup-tool', 'install'] });
      await rejectsWith(missing.create({ taskId: 'TASK-7-3', attempt: 1, baseCommit: base }), SetupCommandError, /setup command `no-such-setup-tool` not found on PATH/);
    });
  });

  describe('remove, prune, list', () => {
    it('removes a worktree with uncommitted work, and its branch only when asked', async () => {
      const keep = await manager.create({ taskId: 'TASK-8-1', attempt: 1, baseCommit: base });
      writeFiles(keep.path, { 'dirty.txt': 'uncommitted\n' });
      await manager.remove(keep.path, { deleteBranch: false });
      assert.equal(existsSync(keep.path), false);
      assert.equal(git(box.repo, 'branch', '--list', keep.branch).replace('*', '').trim(), keep.branch);

      const drop = await manager.create({ taskId: 'TASK-8-2', attempt: 1, baseCommit: base });
      await manager.remove(drop.path, { deleteBranch: true });
      assert.equal(existsSync(drop.path), false);
      assert.equal(git(box.repo, 'branch', '--list', drop.branch), '');
      // Removing again is harmless, so clean-up can be retried.
      await manager.remove(drop.path, { deleteBranch: true });
      assert.deepEqual(await manager.listManaged(), []);
    });

    it('refuses to remove the main working tree or folders it does not own', async () => {
      await rejectsWith(manager.remove(box.repo), WorktreeError, /is the main working tree/);
      const foreign = join(box.dir, 'foreign');
      mkdirSync(foreign);
      await rejectsWith(manager.remove(foreign), WorktreeError, /is not a worktree of/);
      assert.ok(existsSync(foreign));
    });

    it('prunes worktrees whose folders disappeared', async () => {
      const gone = await manager.create({ taskId: 'TASK-9-1', attempt: 1, baseCommit: base });
      const alive = await manager.create({ taskId: 'TASK-9-2', attempt: 1, baseCommit: base });
      rmSync(gone.path, { recursive: true, force: true });
      const before = await manager.listManaged();
      assert.equal(before.find((m) => m.path === gone.path)?.prunable, true);
      assert.deepEqual(await manager.pruneStale(), [gone.path]);
      assert.deepEqual((await manager.listManaged()).map((m) => m.path), [alive.path]);
      assert.deepEqual(await manager.pruneStale(), []);
      // The branch (the work) survives a prune.
      assert.equal(git(box.repo, 'branch', '--list', gone.branch).trim(), gone.branch);
    });

    it('lists only its own worktrees', async () => {
      git(box.repo, 'worktree', 'add', '-q', join(box.dir, 'manual'), '-b', 'feature/manual');
      const wt = await manager.create({ taskId: 'TASK-9-3', attempt: 1, baseCommit: base });
      const listed = await manager.listManaged();
      assert.deepEqual(listed.map((m) => [m.path, m.branch, m.head, m.locked, m.prunable]), [[wt.path, wt.branch, base, false, false]]);
    });
  });

  it('diffStat counts insertions, deletions and binary files', async () => {
    const wt = await manager.create({ taskId: 'TASK-10-1', attempt: 1, baseCommit: base });
    writeFiles(wt.path, { 'shared.txt': 'line 1\nchanged\n', 'new dir/space name.txt': 'x\n' });
    writeFileSync(join(wt.path, 'logo.bin'), Buffer.from([0, 1, 2, 0, 255]));
    await manager.commitAll(wt.path, 'mixed');
    const stat = await manager.diffStat(wt.branch, base);
    assert.deepEqual(stat.files, [
      { path: 'logo.bin', insertions: null, deletions: null },
      { path: 'new dir/space name.txt', insertions: 1, deletions: 0 },
      { path: 'shared.txt', insertions: 1, deletions: 2 },
    ]);
    assert.deepEqual([stat.filesChanged, stat.insertions, stat.deletions], [3, 2, 2]);
  });

  it('needs no global git identity (merges and commits use the orchestrator identity)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'orch-home-'));
    const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
    process.env.HOME = home;
    process.env.XDG_CONFIG_HOME = join(home, '.config');
    try {
      const a = await manager.create({ taskId: 'TASK-11-1', attempt: 1, baseCommit: base });
      writeFiles(a.path, { 'a.txt': 'a\n' });
      await manager.commitAll(a.path, 'a');
      const b = await manager.create({ taskId: 'TASK-11-2', attempt: 1, baseCommit: base });
      writeFiles(b.path, { 'b.txt': 'b\n' });
      assert.equal(await manager.commitAll(b.path, 'b'), true);
      assert.equal(git(b.path, 'log', '-1', '--format=%an|%cn', 'HEAD'), 'Agent Orchestrator|Agent Orchestrator');
      const c = await manager.create({ taskId: 'TASK-11-3', attempt: 1, baseCommit: base, mergeBranches: [a.branch, b.branch] });
      assert.ok(existsSync(join(c.path, 'a.txt')) && existsSync(join(c.path, 'b.txt')));
    } finally {
      process.env.HOME = saved.HOME;
      if (saved.XDG_CONFIG_HOME === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved.XDG_CONFIG_HOME;
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('serializes work across managers of the same repository', async () => {
    const other = new WorktreeManager({ repoDir: join(box.repo) });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? manager : other).create({ taskId: `TASK-12-${i}`, attempt: 1, baseCommit: base })),
    );
    assert.deepEqual(results.filter((r) => r.status === 'rejected'), []);
    const created = results.map((r) => (r as PromiseFulfilledResult<{ path: string }>).value.path);
    await Promise.all(created.map((p, i) => (i % 2 === 0 ? other : manager).remove(p, { deleteBranch: true })));
    assert.deepEqual(await manager.listManaged(), []);
  });
});
