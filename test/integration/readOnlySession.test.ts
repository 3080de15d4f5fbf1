// Another process holds the database's writer lock (a CLI run, another window): this window opens
// it read-only, follows the writer's flushes through the file watcher, and becomes the writer
// once the other process lets go.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { testingApi, waitFor, workspaceRoot, type TestingApi } from './helpers';

/** A separate Node process that opens the store as its writer and obeys commands on stdin. */
const WRITER = `
const { OrchestratorStore } = require(process.argv[1]);
const readline = require('node:readline');
(async () => {
  const store = await OrchestratorStore.open(process.argv[2]);
  console.log(store.readOnly ? 'read-only' : 'writer');
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line.startsWith('ready ')) {
      store.markSpecTasksReady([line.slice(6)]);
      await store.flush();
      console.log('done');
    } else if (line === 'exit') {
      await store.close();
      console.log('closed');
      process.exit(0);
    }
  }
})();
`;

describe('another process holds the database', function () {
  this.timeout(60_000);
  let api: TestingApi;
  let child: ChildProcess | undefined;
  let lines: string[] = [];

  before(async () => {
    api = await testingApi();
  });

  after(() => {
    if (child && child.exitCode === null) child.kill();
  });

  const nextLine = (what: string) => waitFor(what, () => lines.shift(), 20_000);

  it('opens read-only, follows the other writer, and takes over when it exits', async () => {
    const status = (taskId: string) => api.model.task(taskId)?.displayStatus;
    assert.equal(status('TASK-2-2'), 'pending', 'the earlier tests should have left TASK-2-2 pending');
    // The file watcher reopens a closed session when the database file is written: let the events
    // of the earlier tests' writes arrive while the session is still open, so the child gets the lock.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await api.session.release();
    assert.equal(api.session.mode, 'closed');

    const storeModule = path.join(__dirname, '..', '..', 'src', 'core', 'store', 'index.js');
    const dbPath = path.join(workspaceRoot(), '.agent-orchestrator', 'orchestrator.db');
    child = spawn(process.execPath, ['-e', WRITER, storeModule, dbPath], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    lines = [];
    readline.createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
    assert.equal(await nextLine('the other process to open the database'), 'writer');

    await api.session.open();
    assert.equal(api.session.mode, 'readOnly');
    // The other process holds the lock but runs nothing: no "another process is running this plan".
    assert.equal(api.session.activeRun(), undefined);
    assert.equal(api.session.toldAnotherProcessRuns, false, 'the window said another process runs the plan while no run was in progress');
    await waitFor('the read-only tree to show the plan', () => api.model.hasTasks);
    assert.equal(await vscode.commands.executeCommand('agentOrchestrator.runAll'), undefined, 'a read-only window started a run');

    child.stdin!.write('ready TASK-2-2\n');
    assert.equal(await nextLine('the other process to write'), 'done');
    await waitFor('the tree to follow the other writer', () => status('TASK-2-2') === 'ready', 20_000);

    child.stdin!.write('exit\n');
    assert.equal(await nextLine('the other process to close'), 'closed');
    await waitFor('this window to become the writer', () => api.session.mode === 'writer', 20_000);
    assert.equal(status('TASK-2-2'), 'ready');
  });
});
