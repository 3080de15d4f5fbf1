// Phase 2 of the host-crash test (test/runners/runHostCrash.ts): a new code-server on the SAME
// workspace, after phase 1's extension host was SIGKILLed mid-run with three agents at work. The
// database still says the run is running and the writer lock (`orchestrator.db.lock`) names the
// dead host. On activation the extension must become the writer and recover the run
// (src/core/run/recovery.ts via OrchestratorSession): the orphaned agents stopped, the tasks
// interrupted, the run ended — and offer Resume Run and Run All, which must work.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunResult } from '../../src/core/orchestrator';
import { CONTEXT } from '../../src/vscode/contextKeys';
import { testingApi, waitFor, workspaceRoot, type TestingApi } from '../integration/helpers';
import { isRunning, readMarker, type CrashMarker } from './protocol';

describe('phase 2: the workspace reopened after its extension host was killed mid-run', function () {
  this.timeout(120_000);
  let api: TestingApi;
  let marker: CrashMarker;
  const sorted = (values: readonly number[] | readonly string[]) => [...values].map(String).sort();

  before(async () => {
    marker = readMarker();
    assert.equal(workspaceRoot(), marker.workspace, 'phase 2 opened another folder');
    api = await testingApi();
  });

  it('recovers the crashed run on activation, as the writer', async () => {
    // No command is run: activation opens the existing database in the background.
    const report = await waitFor('the recovery on activation', () => api.session.lastRecovery, 60_000, 100).catch((error: Error) => {
      throw new Error(`${error.message} (session: ${api.session.mode}, latest run: ${api.session.orchestrator?.latestRun()?.status})`);
    });
    assert.equal(api.session.mode, 'writer');
    assert.equal(report.runId, marker.runId);
    assert.deepEqual(sorted(report.interrupted), sorted(marker.taskIds));
    assert.deepEqual(sorted(report.orphansStopped), sorted(marker.agentPids), 'not every orphaned agent was stopped');
    const owner = JSON.parse(fs.readFileSync(`${api.session.databasePath()}.lock/owner.json`, 'utf8')) as { pid: number };
    assert.equal(owner.pid, process.pid, 'the lock was not taken over from the dead host');
  });

  it('leaves nothing running: no task, no run, no agent of the crashed run', async () => {
    await waitFor('the orphaned agents to be gone', () => marker.agentPids.every((pid) => !isRunning(pid)), 15_000, 100).catch(() => {
      throw new Error(`still running: ${marker.agentPids.filter(isRunning).join(', ')}`);
    });
    await waitFor('the tree to show the recovery', () => marker.taskIds.every((id) => api.model.task(id)?.displayStatus === 'interrupted'), 15_000).catch((error: Error) => {
      throw new Error(`${error.message}: ${marker.taskIds.map((id) => `${id} ${api.model.task(id)?.displayStatus}`).join(', ')}`);
    });
    assert.deepEqual(api.model.tasks().filter((row) => row.displayStatus === 'running').map((row) => row.taskId), []);
    const run = api.session.orchestrator?.latestRun();
    assert.equal(run?.runId, marker.runId);
    assert.equal(run?.status, 'interrupted');
    assert.notEqual(run?.endedAt, null, 'the dead run was not ended');
    assert.equal(api.session.activeRun(), undefined);
    assert.doesNotMatch(api.statusBar.text, /running|sync~spin/);
  });

  it('offers Resume Run and Run All (the context keys of their menus and palette entries)', () => {
    assert.equal(api.contextKeys.value(CONTEXT.resumable), true, 'Resume Run is not offered');
    // Run All's `when`: hasPlan && !running && !readOnly (package.json).
    assert.equal(api.contextKeys.value(CONTEXT.hasPlan), true);
    assert.equal(api.contextKeys.value(CONTEXT.running), false, 'the dead run still counts as running');
    assert.equal(api.contextKeys.value(CONTEXT.readOnly), false, 'this window did not become the writer');
  });

  it('Resume Run runs the interrupted tasks again, with new agents', async () => {
    const before = new Map(marker.taskIds.map((id) => [id, api.model.task(id)?.latestAttempt?.attemptNumber ?? 0]));
    const run = vscode.commands.executeCommand<RunResult>('agentOrchestrator.resumeRun');
    const orchestrator = api.session.orchestrator!;
    const agents = await waitFor(
      'every task to run again with a new agent',
      () => {
        const pids = marker.taskIds.map((id) => {
          const attempt = orchestrator.store.listAttempts(id).at(-1);
          const again = api.model.task(id)?.displayStatus === 'running' && attempt !== undefined && attempt.attemptNumber > (before.get(id) ?? 0);
          return again ? attempt.pid : null;
        });
        return pids.every((pid): pid is number => typeof pid === 'number' && isRunning(pid)) ? pids : undefined;
      },
      90_000,
      200,
    );
    assert.notEqual(orchestrator.latestRun()?.runId, marker.runId);
    assert.equal(api.contextKeys.value(CONTEXT.resumable), false);
    assert.equal(api.contextKeys.value(CONTEXT.running), true);
    // The tasks would take ten minutes: stop them, as a user would.
    assert.equal(await vscode.commands.executeCommand('agentOrchestrator.cancelAll'), 'applied');
    const result = await run;
    assert.equal(result?.status, 'cancelled');
    await waitFor('the resumed agents to stop', () => agents.every((pid) => !isRunning(pid)), 15_000, 100);
  });
});
