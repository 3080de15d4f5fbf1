// The process running the plan dies mid-run (a killed CLI here; a killed window looks the same in
// the database: a `running` run whose lock owner is gone). The window must not go on showing it
// as running: whichever way it becomes the writer — taking the lock over from read-only, or
// opening afresh — it recovers the run and offers to resume it.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../src/core/orchestrator';
import { OrchestratorStore } from '../../src/core/store';
import { CONTEXT } from '../../src/vscode/contextKeys';
import { report, testingApi, waitFor, workspaceRoot, type TestingApi } from './helpers';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('a run whose process was killed', function () {
  this.timeout(120_000);
  let api: TestingApi;
  let cli: ChildProcess | undefined;
  const agentPids: number[] = [];
  const dbPath = () => path.join(workspaceRoot(), '.agent-orchestrator', 'orchestrator.db');
  const status = (taskId: string) => api.model.task(taskId)?.displayStatus;
  const cliArgs = (...args: string[]) => [CLI, ...args, '--workspace', workspaceRoot(), '--agent', 'scripted', '--retries', '0'];
  const cliEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };

  const recoveries: string[] = [];
  let listening: vscode.Disposable | undefined;

  before(async () => {
    api = await testingApi();
    listening = api.session.onDidRecover((recovery) => recoveries.push(JSON.stringify(recovery)));
  });

  after(() => {
    listening?.dispose();
    for (const recovery of recoveries) report('recovery', recovery);
    if (cli && cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
    for (const pid of agentPids) killQuietly(pid);
  });

  /** Requeues TASK-2-1 (it hangs until cancelled) and starts `cli run` on it; resolves once its agent runs. */
  async function startCliRunAndWaitForTheAgent(): Promise<{ runId: string; agentPid: number }> {
    const orchestrator = await api.session.open();
    assert.equal(api.session.mode, 'writer');
    await orchestrator.retry(['TASK-2-1']);
    // The file watcher reopens a closed session when the database file is written: let the event
    // of the write above arrive while the session is still open, so the CLI gets the lock.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await api.session.release();
    cli = spawn(process.execPath, cliArgs('run', 'TASK-2-1'), { env: cliEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    // Kept for the failure message: a CLI that exits early says why on stderr.
    let stderr = '';
    cli.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    const pid = cli.pid!;
    // The file as the CLI flushes it: TASK-2-1's attempt running with the agent's pid recorded.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = await runningAttempt(dbPath(), pid);
      if (found) {
        agentPids.push(found.agentPid);
        return found;
      }
      if (cli.exitCode !== null) throw new Error(`cli run exited with ${cli.exitCode} before TASK-2-1 ran; its stderr:\n${stderr}`);
      if (Date.now() > deadline) throw new Error('timed out waiting for the CLI to run TASK-2-1');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  async function killTheCli(): Promise<void> {
    const child = cli!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async function assertRecovered(runId: string, agentPid: number): Promise<void> {
    // The tree shows the tasks interrupted as soon as they are, in memory; the report comes once
    // the whole recovery (leftover worktrees, the flush) is done.
    const report = await waitFor('the recovery report', () => api.session.lastRecovery, 20_000).catch(() => undefined);
    if (!report) {
      // Say what the database shows, so a failure here can be told apart from a slow takeover.
      const store = api.session.orchestrator?.store;
      const events = store?.listEvents({ limit: 8 }).map((e) => `${e.kind}${e.taskId ? ` ${e.taskId}` : ''}`).join(', ');
      assert.fail(`the window recovered nothing (mode ${api.session.mode}, run ${api.session.orchestrator?.latestRun()?.status}, last events: ${events})`);
    }
    assert.equal(report.runId, runId);
    assert.deepEqual(report.orphansStopped, [agentPid], 'the dead run\'s agent was not stopped');
    await waitFor(`the orphaned agent ${agentPid} to be gone`, () => !isRunning(agentPid), 10_000);
    assert.ok(report.interrupted.includes('TASK-2-1'), `TASK-2-1 was not interrupted: ${JSON.stringify(report)}`);
    assert.equal(status('TASK-2-1'), 'interrupted');
    assert.deepEqual(api.model.tasks().filter((row) => row.displayStatus === 'running').map((row) => row.taskId), [], 'a task of the dead run still shows as running');
    assert.equal(api.session.activeRun(), undefined);
    assert.equal(api.session.orchestrator?.latestRun()?.status, 'interrupted');
    assert.equal(api.contextKeys.value(CONTEXT.running), false, 'Cancel All / Pause are offered for a dead run');
    assert.equal(api.contextKeys.value(CONTEXT.resumable), true, 'Resume Run is not offered');
    assert.doesNotMatch(api.statusBar.text, /running|sync~spin/);
  }

  it('a read-only window takes over from the killed CLI, recovers the run and offers Resume Run', async () => {
    const { runId, agentPid } = await startCliRunAndWaitForTheAgent();
    await api.session.open();
    assert.equal(api.session.mode, 'readOnly');
    await waitFor('the read-only tree to show TASK-2-1 running', () => status('TASK-2-1') === 'running', 20_000);
    assert.ok(api.session.activeRun(), 'a live CLI run is not shown as in progress');

    await killTheCli();
    await waitFor('this window to take the lock over', () => api.session.mode === 'writer', 30_000, 200);
    await waitFor('the recovery to reach the tree', () => status('TASK-2-1') === 'interrupted', 10_000);
    await assertRecovered(runId, agentPid);
    // Nothing runs: Cancel All must not claim a run (it used to send a request to the dead process).
    assert.equal(await vscode.commands.executeCommand('agentOrchestrator.cancelAll'), undefined);

    await vscode.commands.executeCommand('agentOrchestrator.openDashboard');
    // A state built before the recovery reached the session may still say running: wait for the
    // one that does not (it must come), then check what it says of the dead run.
    const state = await waitFor('the dashboard state after recovery', () => (api.dashboard.isReady && api.dashboard.lastState?.run?.runId === runId && !api.dashboard.lastState.running ? api.dashboard.lastState : undefined), 30_000).catch((error: Error) => {
      throw new Error(`${error.message} (ready: ${api.dashboard.isReady}, its run: ${api.dashboard.lastState?.run?.runId}, running: ${api.dashboard.lastState?.running}, latest run: ${api.session.orchestrator?.latestRun()?.runId}, expected ${runId})`);
    });
    assert.equal(state.run?.status, 'interrupted');
    assert.notEqual(state.run?.endedAt, null, 'the dead run\'s clock is still counting');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Resume Run runs the interrupted task again', async () => {
    const attemptsBefore = api.model.task('TASK-2-1')?.latestAttempt?.attemptNumber ?? 0;
    const run = vscode.commands.executeCommand<RunResult>('agentOrchestrator.resumeRun');
    await waitFor('TASK-2-1 to run again', () => status('TASK-2-1') === 'running' && (api.model.task('TASK-2-1')?.latestAttempt?.attemptNumber ?? 0) > attemptsBefore, 30_000);
    assert.equal(api.contextKeys.value(CONTEXT.resumable), false);
    assert.equal(await vscode.commands.executeCommand('agentOrchestrator.cancelAll'), 'applied');
    const result = await run;
    assert.equal(result?.status, 'cancelled');
  });

  it('a window that opens after the CLI was killed recovers on opening', async () => {
    const { runId, agentPid } = await startCliRunAndWaitForTheAgent();
    // As if this window opened only after the CLI died: closed while it runs (a file event of its
    // flushes may have reopened it read-only: close that too once it is dead).
    await api.session.release();
    await killTheCli();
    await api.session.release();
    await api.session.open();
    assert.equal(api.session.mode, 'writer');
    await waitFor('the recovery to reach the tree', () => status('TASK-2-1') === 'interrupted', 10_000);
    await assertRecovered(runId, agentPid);
  });
});

/** TASK-2-1's open attempt in the database file, once the CLI with `cliPid` holds the lock and recorded its agent. */
async function runningAttempt(dbPath: string, cliPid: number): Promise<{ runId: string; agentPid: number } | undefined> {
  let owner: { pid?: number } | undefined;
  try {
    owner = JSON.parse(fs.readFileSync(`${dbPath}.lock/owner.json`, 'utf8')) as { pid?: number };
  } catch {
    return undefined;
  }
  if (owner.pid !== cliPid) return undefined;
  const store = await OrchestratorStore.open(dbPath, { readOnly: true });
  try {
    const run = store.listRuns(1)[0];
    const attempt = store.listAttempts('TASK-2-1').at(-1);
    if (run?.status !== 'running' || !attempt || attempt.endedAt !== null || attempt.pid === null) return undefined;
    return { runId: run.runId, agentPid: attempt.pid };
  } finally {
    await store.close();
  }
}

/** Alive and not a zombie: the killed CLI's orphans are reaped by whoever adopted them, maybe later. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
