// What the CLI binary (dist/cli.js) does with a database it cannot use and with the database
// folder: a damaged, foreign or newer file stops every command with exit 6 and is left as it was;
// --recover keeps a damaged or foreign one aside and starts over; the folder is git-ignored and
// not left behind by a command that stored nothing.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OrchestratorStore } from '../../../src/core/store';
import { migrate } from '../../../src/core/store/schema';
import { git, useWorkspaces, type Workspace } from '../engine/engineFixture';
import { sqliteBytes } from './helpers';

const EXIT_DATABASE = 6;


interface Kind {
  readonly name: string;
  /** Replaces the workspace's database (which holds an imported plan) with the bad file. */
  readonly spoil: (dbPath: string) => Promise<void>;
  readonly says: RegExp;
  readonly recoverable: boolean;
}

const KINDS: readonly Kind[] = [
  {
    name: 'truncated to half its size',
    spoil: async (dbPath) => truncateSync(dbPath, Math.floor(readFileSync(dbPath).length / 2)),
    says: /is truncated/,
    recoverable: true,
  },
  {
    name: 'garbage',
    spoil: async (dbPath) => writeFileSync(dbPath, 'these are not the bytes of a database\n'.repeat(20)),
    says: /is not a SQLite database/,
    recoverable: true,
  },
  {
    name: "another application's SQLite file",
    spoil: async (dbPath) => writeFileSync(dbPath, await sqliteBytes((db) => db.exec('CREATE TABLE moz_places (id INTEGER, url TEXT)'))),
    says: /is a SQLite database of another application/,
    recoverable: true,
  },
  {
    name: 'from a newer schema',
    spoil: async (dbPath) => writeFileSync(dbPath, await sqliteBytes((db) => { migrate(db); db.exec('PRAGMA user_version = 99'); })),
    says: /was written by a newer Agent Orchestrator/,
    recoverable: false,
  },
];

const PLAN = [{ id: 'TASK-1-1', prompt: 'write one.txt: one' }, { id: 'TASK-1-2', prompt: 'write two.txt: two', dependsOn: ['TASK-1-1'] }];

function asideFiles(dbPath: string): string[] {
  return readdirSync(dirname(dbPath)).filter((name) => name.startsWith('orchestrator.db.corrupt-'));
}

describe('CLI: a database file it cannot use, and the database folder', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  async function imported(): Promise<{ ws: Workspace; dbPath: string; plan: string }> {
    const ws = workspace();
    const plan = ws.writePlan(PLAN);
    const result = await ws.cli(['import', plan]);
    assert.equal(result.code, 0, result.stderr);
    return { ws, dbPath: OrchestratorStore.defaultPath(ws.repo), plan };
  }

  for (const kind of KINDS) {
    it(`${kind.name}: every command stops with exit 6, naming the file and the way out; the file is untouched`, async () => {
      const { ws, dbPath, plan } = await imported();
      await kind.spoil(dbPath);
      const spoiled = readFileSync(dbPath);
      for (const args of [['status'], ['status', '--json'], ['import', plan], ['run', '--agent', 'scripted'], ['retry'], ['summary']]) {
        const { code, stdout, stderr } = await ws.cli(args);
        assert.equal(code, EXIT_DATABASE, `${args.join(' ')}: ${stdout}${stderr}`);
        assert.ok(stderr.includes(dbPath), `${args.join(' ')} names the file: ${stderr}`);
        assert.match(stderr, kind.says);
        assert.match(stderr, kind.recoverable ? /run the command again with --recover/ : /upgrade Agent Orchestrator/);
        assert.deepEqual(readFileSync(dbPath), spoiled, `${args.join(' ')} left the file byte for byte`);
        assert.deepEqual(asideFiles(dbPath), []);
      }
    });

    it(`${kind.name}: --recover ${kind.recoverable ? 'keeps the file aside, names it, and starts over' : 'still refuses it and leaves it alone'}`, async () => {
      const { ws, dbPath, plan } = await imported();
      await kind.spoil(dbPath);
      const spoiled = readFileSync(dbPath);
      const { code, stdout, stderr } = await ws.cli(['import', plan, '--recover']);
      if (!kind.recoverable) {
        assert.equal(code, EXIT_DATABASE, stdout + stderr);
        assert.match(stderr, /--recover does not replace it: upgrade Agent Orchestrator to use it, or move the file away yourself/);
        assert.deepEqual(readFileSync(dbPath), spoiled);
        assert.deepEqual(asideFiles(dbPath), []);
        return;
      }
      assert.equal(code, 0, stdout + stderr);
      const [aside] = asideFiles(dbPath);
      assert.ok(aside, 'a kept copy');
      const kept = join(dirname(dbPath), aside);
      assert.ok(stderr.includes(`It was kept as ${kept}`), stderr);
      assert.deepEqual(readFileSync(kept), spoiled, 'kept byte for byte');
      assert.match(stdout, /Imported 2 tasks/);
      const status = await ws.cli(['status']);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /TASK-1-2/);
    });
  }

  it('after an import and a run, git status shows nothing under .agent-orchestrator/', async () => {
    const ws = workspace();
    const plan = ws.writePlan(PLAN);
    git(ws.repo, 'add', plan);
    git(ws.repo, 'commit', '-q', '-m', 'the plan');
    assert.equal((await ws.cli(['import', plan])).code, 0);
    assert.equal(git(ws.repo, 'status', '--porcelain', '--untracked-files=all'), '', 'after import');
    const run = await ws.cli(['run', '--agent', 'scripted']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.ok(readdirSync(join(ws.repo, '.agent-orchestrator')).length > 2, 'the run left its reports there');
    assert.equal(git(ws.repo, 'status', '--porcelain', '--untracked-files=all'), '', 'after run');
  });

  it('a failed import in a fresh workspace leaves no .agent-orchestrator folder', async () => {
    const ws = workspace();
    const plan = ws.writePlan('{ "specs": [ { "id": "SPEC-001", "title": "x", "tasks": [ { "id": "TASK-1-1", "title": "t", "dependsOn": ["TASK-9-9"] } ] } ] }');
    const { code, stderr } = await ws.cli(['import', plan]);
    assert.equal(code, 3, stderr);
    assert.equal(existsSync(join(ws.repo, '.agent-orchestrator')), false);
    assert.equal((await ws.cli(['status'])).code, 0);
    assert.equal(existsSync(join(ws.repo, '.agent-orchestrator')), false, 'nor does status');
  });

  it('a database path under a regular file: a clear message naming the folder', async () => {
    const ws = workspace();
    writeFileSync(join(ws.repo, '.agent-orchestrator'), 'a file where the folder should be');
    ws.writePlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
    // A writer's command makes the folder; a reader's (status) only reads in it.
    const { code, stderr } = await ws.cli(['import', 'engine.plan.json']);
    assert.equal(code, 1, stderr);
    assert.equal(stderr.trim(), `agent-orchestrator: Agent Orchestrator cannot create the database folder ${join(ws.repo, '.agent-orchestrator')}: a file of that name is in the way (EEXIST). Move that file out of the way, or set agentOrchestrator.databasePath to another place.`);
    const status = await ws.cli(['status']);
    assert.equal(status.code, 1, status.stderr);
    assert.equal(status.stderr.trim(), `agent-orchestrator: Agent Orchestrator cannot read the database in ${join(ws.repo, '.agent-orchestrator')}: a part of that path is a file, not a folder (ENOTDIR). Move that file out of the way, or set agentOrchestrator.databasePath to another place.`);
  });
});
