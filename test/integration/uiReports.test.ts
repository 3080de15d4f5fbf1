// What the views say after a run must match what happened: one count everywhere (a fan-out
// parent is not a running agent), why a task failed before anything else (a failed verify
// command leaves an agent that exited 0), and "nothing to run" instead of an empty run.
// Runs after the earlier files: it extends their plan (integration.plan.md) with SPEC-003.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../src/core/orchestrator';
import { testingApi, waitFor, workspaceRoot, type TestingApi } from './helpers';

const MORE_TASKS = `
## SPEC-003: Reports

- [ ] TASK-3-1: Fails its verify command {files: v.txt; verify: node no-such-verify-script.js}
  write v.txt: the agent itself succeeds
- [ ] TASK-3-2: Translate {each: fr, de; files: t-{item}.txt}
  write t-{item}.txt: ok
  sleep 4s
`;

describe('what the views report', function () {
  this.timeout(120_000);
  let api: TestingApi;
  const status = (taskId: string) => api.model.task(taskId)?.displayStatus;
  const children = () => api.model.tasks().filter((row) => row.parentTaskId === 'TASK-3-2');

  before(async () => {
    api = await testingApi();
    await api.session.open();
    assert.equal(api.session.mode, 'writer');
    const planPath = path.join(workspaceRoot(), 'integration.plan.md');
    fs.appendFileSync(planPath, MORE_TASKS);
    await vscode.commands.executeCommand('agentOrchestrator.importPlan', vscode.Uri.file(planPath));
    await waitFor('the imported fan-out', () => children().length === 2);
  });

  it('counts the running children of a fan-out, not their parent, in the status bar and the total', async () => {
    const run = vscode.commands.executeCommand<RunResult>('agentOrchestrator.runAll');
    // TASK-2-1 (left interrupted by the recovery tests) hangs until cancelled.
    await waitFor('TASK-2-1 to run', () => status('TASK-2-1') === 'running', 30_000);
    await vscode.commands.executeCommand('agentOrchestrator.cancelTask', 'TASK-2-1');
    await waitFor('both translations to run under their running parent', () => children().every((row) => row.displayStatus === 'running') && status('TASK-3-2') === 'running', 30_000);
    const rows = api.model.tasks();
    const leaves = rows.filter((row) => row.taskId !== 'TASK-3-2');
    const leavesRunning = leaves.filter((row) => row.displayStatus === 'running').length;
    assert.equal(api.model.counts.running, leavesRunning, 'the fan-out parent was counted as a running task');
    assert.equal(api.model.counts.total, leaves.length);
    assert.match(api.statusBar.text, new RegExp(`\\b${leavesRunning} running · \\d+/${leaves.length} done`));
    const result = await run;
    assert.ok(result, 'Run All returned no result');
    await waitFor('the tree to show the run\'s end', () => children().every((row) => row.displayStatus === 'completed'));
    assert.equal(api.model.counts.total, leaves.length);
    assert.match(api.statusBar.text, new RegExp(`${api.model.counts.completed}/${leaves.length} done`));
  });

  it('says first why a task failed its verify command, and Show Task Log includes the verify output', async () => {
    const row = api.model.task('TASK-3-1');
    assert.equal(row?.displayStatus, 'failed');
    assert.equal(row?.latestAttempt?.exitCode, 0, 'precondition: the agent itself exited 0');
    const tooltip = (api.treeProvider.getTreeItem(api.model.nodeOf('TASK-3-1')!).tooltip as vscode.MarkdownString).value;
    const why = tooltip.indexOf('Why it failed');
    assert.ok(why >= 0 && why < tooltip.indexOf('Status:'), `the tooltip does not start with why it failed:\n${tooltip}`);
    assert.match(tooltip, /verify command/);

    const shown = await vscode.commands.executeCommand<string>('agentOrchestrator.showTaskLog', 'TASK-3-1');
    assert.match(String(shown), /^agent-orchestrator-log:/, `Show Task Log opened ${shown}, not the combined log`);
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text.split('\n')[0], /^Why it failed: verify command `node no-such-verify-script\.js` failed/);
    assert.match(text, /verify command output: .*TASK-3-1-a1\.verify\.log/);
    assert.match(text, /no-such-verify-script/, 'the verify command\'s own output is missing');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Run All with nothing left to run starts no run and keeps the last one shown', async () => {
    const orchestrator = api.session.orchestrator!;
    const before = orchestrator.store.listRuns().map((run) => run.runId);
    const result = await vscode.commands.executeCommand<RunResult | undefined>('agentOrchestrator.runAll');
    assert.equal(result, undefined, 'Run All started a run with nothing to do');
    assert.deepEqual(orchestrator.store.listRuns().map((run) => run.runId), before);
    assert.notEqual(orchestrator.latestRun()?.status, 'running');
  });
});

describe('a damaged database', function () {
  this.timeout(60_000);
  let api: TestingApi;
  const config = () => vscode.workspace.getConfiguration('agentOrchestrator');

  before(async () => {
    api = await testingApi();
  });

  after(async () => {
    await config().update('databasePath', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('is left untouched with an error naming it, until the user chooses Start Fresh, which keeps it aside', async () => {
    const damaged = path.join(workspaceRoot(), '.agent-orchestrator', 'damaged.db');
    const garbage = 'this is not an SQLite database\n'.repeat(20);
    fs.writeFileSync(damaged, garbage);
    await config().update('databasePath', '.agent-orchestrator/damaged.db', vscode.ConfigurationTarget.Workspace);
    await waitFor('the session to follow the setting', () => api.session.databasePath() === damaged);
    await assert.rejects(api.session.open(), (error: Error) => {
      assert.equal(error.name, 'StoreFileError');
      assert.ok(error.message.includes(damaged), `the error does not name the file: ${error.message}`);
      return true;
    });
    assert.equal(fs.readFileSync(damaged, 'utf8'), garbage, 'the damaged file was changed without the user asking');
    assert.equal(api.session.mode, 'closed');

    const keptAt = await vscode.commands.executeCommand<string>('agentOrchestrator.startFresh');
    assert.ok(keptAt, 'Start Fresh did not say where the damaged file is kept');
    assert.equal(fs.readFileSync(keptAt, 'utf8'), garbage);
    assert.equal(api.session.mode, 'writer');
    assert.equal(api.session.orchestrator?.databasePath, damaged);
  });
});
