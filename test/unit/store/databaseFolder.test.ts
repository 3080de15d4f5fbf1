// The folder that holds the database: git-ignored from the moment the store makes it, gone again
// when nothing was stored, and a clear StoreFolderError when it cannot be made or written.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OrchestratorStore, StoreFolderError } from '../../../src/core/store';
import { git, makeRepo } from '../git/gitFixture';
import { samplePlan, useStores, useTempDir } from './helpers';

/** `chattr +i` makes a folder immutable even for root (the tests run as root, so chmod would not do). */
function makeImmutable(dir: string): boolean {
  return spawnSync('chattr', ['+i', dir], { stdio: 'ignore' }).status === 0;
}

function makeMutable(dir: string): void {
  spawnSync('chattr', ['-i', dir], { stdio: 'ignore' });
}

describe('store: the database folder', () => {
  const temp = useTempDir();
  const open = useStores(temp);

  it('is git-ignored from the start: after a plan is stored, git status shows nothing under it', async () => {
    const sandbox = makeRepo();
    temp.beforeRemove(() => sandbox.cleanup());
    const store = await OrchestratorStore.open(OrchestratorStore.defaultPath(sandbox.repo));
    store.savePlan(samplePlan());
    await store.flush();
    assert.equal(git(sandbox.repo, 'status', '--porcelain', '--untracked-files=all'), '', 'while the store is open (its lock is there)');
    await store.close();
    assert.equal(git(sandbox.repo, 'status', '--porcelain', '--untracked-files=all'), '');
    assert.equal(readFileSync(join(sandbox.repo, '.agent-orchestrator', '.gitignore'), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join(''), '*');
    assert.equal(execFileSync('git', ['check-ignore', '.agent-orchestrator/orchestrator.db'], { cwd: sandbox.repo, encoding: 'utf8' }).trim(), '.agent-orchestrator/orchestrator.db');
  });

  it('gets its .gitignore in a workspace from before (the default folder only, never a folder the user chose)', async () => {
    const sandbox = makeRepo();
    temp.beforeRemove(() => sandbox.cleanup());
    const made = await OrchestratorStore.open(OrchestratorStore.defaultPath(sandbox.repo));
    made.savePlan(samplePlan());
    await made.close();
    const ignore = join(sandbox.repo, '.agent-orchestrator', '.gitignore');
    rmSync(ignore); // as an earlier version left the folder
    assert.notEqual(git(sandbox.repo, 'status', '--porcelain', '--untracked-files=all'), '');
    const reopened = await OrchestratorStore.open(OrchestratorStore.defaultPath(sandbox.repo));
    reopened.savePlan(samplePlan('other.plan.md'));
    await reopened.close();
    assert.equal(existsSync(ignore), true);
    assert.equal(git(sandbox.repo, 'status', '--porcelain', '--untracked-files=all'), '');

    const chosen = join(sandbox.repo, 'state');
    mkdirSync(chosen);
    writeFileSync(join(chosen, 'notes.md'), 'the user\'s own file\n');
    const inChosen = await OrchestratorStore.open(join(chosen, 'orchestrator.db'));
    inChosen.savePlan(samplePlan());
    await inChosen.close();
    assert.equal(existsSync(join(chosen, '.gitignore')), false, 'a folder the user chose is theirs to configure');
  });

  it("leaves an existing folder's own .gitignore alone", async () => {
    const folder = dirname(temp.dbPath());
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '.gitignore'), 'orchestrator.db\n');
    const store = await open(temp.dbPath());
    store.savePlan(samplePlan());
    await store.close();
    assert.equal(readFileSync(join(folder, '.gitignore'), 'utf8'), 'orchestrator.db\n');
  });

  it('is removed again, with every folder the store made, when nothing was stored', async () => {
    const deep = join(temp.dir(), 'a', 'b', 'orchestrator.db');
    const store = await open(deep);
    assert.equal(existsSync(join(temp.dir(), 'a', 'b', '.gitignore')), true, 'made with its .gitignore at open');
    await store.close();
    assert.equal(existsSync(join(temp.dir(), 'a')), false);

    const shallow = await open(temp.dbPath());
    await shallow.close();
    assert.equal(existsSync(dirname(temp.dbPath())), false);
  });

  it('stays when the store did not make it, or when something else was put in it', async () => {
    const folder = dirname(temp.dbPath());
    mkdirSync(folder, { recursive: true });
    await (await open(temp.dbPath())).close();
    assert.equal(existsSync(folder), true, 'not ours to remove');

    const other = join(temp.dir(), 'other', 'orchestrator.db');
    const store = await open(other);
    mkdirSync(join(dirname(other), 'runs'));
    await store.close();
    assert.equal(existsSync(join(dirname(other), 'runs')), true);
    assert.equal(existsSync(join(dirname(other), '.gitignore')), true, 'still ignored');
  });

  it('stays once a database was written', async () => {
    const store = await open(temp.dbPath());
    store.savePlan(samplePlan());
    await store.close();
    assert.equal(existsSync(temp.dbPath()), true);
    assert.equal(existsSync(join(dirname(temp.dbPath()), '.gitignore')), true);
  });

  it('under a regular file: a StoreFolderError naming the folder and what failed', async () => {
    writeFileSync(join(temp.dir(), 'blocker'), 'a file where a folder should be');
    const folder = join(temp.dir(), 'blocker', '.agent-orchestrator');
    await assert.rejects(open(join(folder, 'orchestrator.db')), (error: unknown) => {
      assert.ok(error instanceof StoreFolderError, String(error));
      assert.equal(error.folder, folder);
      assert.equal(error.code, 'ENOTDIR');
      assert.equal(error.message, `Agent Orchestrator cannot create the database folder ${folder}: a part of that path is a file, not a folder (ENOTDIR). Move that file out of the way, or set agentOrchestrator.databasePath to another place.`);
      return true;
    });
    await assert.rejects(OrchestratorStore.open(join(folder, 'orchestrator.db'), { readOnly: true }), (error: unknown) => error instanceof StoreFolderError && /cannot read the database in .*ENOTDIR/.test(error.message));
  });

  it('immutable: the writer gets a StoreFolderError naming the folder; a reader still reads', async function () {
    const store = await open(temp.dbPath());
    store.savePlan(samplePlan());
    await store.close();
    const folder = dirname(temp.dbPath());
    if (!makeImmutable(folder)) this.skip();
    temp.beforeRemove(() => makeMutable(folder));
    try {
      await assert.rejects(open(temp.dbPath()), (error: unknown) => {
        assert.ok(error instanceof StoreFolderError, String(error));
        assert.equal(error.folder, folder);
        assert.match(error.message, new RegExp(`^Agent Orchestrator cannot take the writer lock in ${folder}: the operation is not permitted \\(a read-only or immutable folder\\?\\) \\(EPERM\\)`));
        return true;
      });
      const reader = await open(temp.dbPath(), { readOnly: true });
      assert.equal(reader.listTasks().length, samplePlan().tasks.length);
    } finally {
      makeMutable(folder);
    }
  });

  it('a flush that cannot write says which folder and why', async function () {
    const store = await open(temp.dbPath());
    store.savePlan(samplePlan());
    await store.flush();
    const folder = dirname(temp.dbPath());
    if (!makeImmutable(folder)) this.skip();
    temp.beforeRemove(() => makeMutable(folder));
    try {
      store.savePlan(samplePlan('second.plan.md'));
      await assert.rejects(store.flush(), (error: unknown) => error instanceof StoreFolderError && error.folder === folder && /cannot write the database in .*\(EPERM\)/.test(error.message));
    } finally {
      makeMutable(folder);
    }
    await store.flush();
  });
});

