// Phase 1 of the host-crash test (test/runners/runHostCrash.ts): in a fresh workspace, import a
// plan of three long scripted tasks and start Run All through the real command. Once every task
// is running, its agent's pid recorded and the database ON DISK says so (what a crash leaves
// behind is the file, not this process's memory), write the marker for the runner, which then
// SIGKILLs this extension host. The agents run detached (src/core/process/processRunner.ts), so
// they outlive it: the orphans phase 2 must find and stop.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { OrchestratorStore } from '../../src/core/store';
import { testingApi, waitFor, workspaceRoot } from '../integration/helpers';
import { MARKER_FILE, isAgentOfRun, isRunning, sharedDir, writeJsonAtomically, type CrashMarker } from './protocol';

const PLAN_FILE = 'host-crash.plan.md';
const TASK_IDS = ['TASK-1-1', 'TASK-1-2', 'TASK-1-3'];

// Each task writes a file, then works far longer than the test: only the crash and the
// recovery stop it (10 minutes, so an agent leaked by a broken teardown still ends by itself).
const PLAN = `# Host crash plan

## SPEC-001: Long work

- [ ] TASK-1-1: First long task {files: one.txt}
  write one.txt: one
  sleep 10m
- [ ] TASK-1-2: Second long task {files: two.txt}
  write two.txt: two
  sleep 10m
- [ ] TASK-1-3: Third long task {files: three.txt}
  write three.txt: three
  sleep 10m
`;

describe('phase 1: a run in progress in the extension host that will be killed', function () {
  this.timeout(150_000);

  it('imports three long tasks, starts Run All and waits until their agents are at work', async () => {
    const api = await testingApi();
    const config = vscode.workspace.getConfiguration('agentOrchestrator');
    await config.update('defaultAgent', 'scripted', vscode.ConfigurationTarget.Workspace);
    await config.update('maxRetries', 0, vscode.ConfigurationTarget.Workspace);
    await config.update('maxParallel', 3, vscode.ConfigurationTarget.Workspace);
    const planPath = path.join(workspaceRoot(), PLAN_FILE);
    fs.writeFileSync(planPath, PLAN);
    const summary = await vscode.commands.executeCommand<{ tasks: number }>('agentOrchestrator.importPlan', vscode.Uri.file(planPath));
    assert.equal(summary?.tasks, TASK_IDS.length);

    // Never awaited: the run ends only with this process.
    void vscode.commands.executeCommand('agentOrchestrator.runAll');
    const orchestrator = await waitFor('the session to open', () => api.session.orchestrator);
    const agentPids = await waitFor(
      'every task to run with its agent started',
      () => {
        const pids = TASK_IDS.map((taskId) => (api.model.task(taskId)?.displayStatus === 'running' ? orchestrator.store.listAttempts(taskId).at(-1)?.pid : null));
        return pids.every((pid): pid is number => typeof pid === 'number' && isRunning(pid)) ? pids : undefined;
      },
      90_000,
      200,
    );
    const runId = orchestrator.latestRun()?.runId;
    assert.ok(runId, 'no run recorded');
    for (const pid of agentPids) assert.ok(isAgentOfRun(pid, runId), `agent ${pid} does not carry ORCH_RUN_ID=${runId}`);

    await waitForDisk(orchestrator.databasePath, runId, agentPids);
    const marker: CrashMarker = { extensionHostPid: process.pid, runId, workspace: workspaceRoot(), taskIds: TASK_IDS, agentPids };
    writeJsonAtomically(path.join(sharedDir(), MARKER_FILE), marker);
    console.log(`    run ${runId} is at work: agents ${agentPids.join(', ')} under extension host ${process.pid}`);
  });
});

/** Until the database file shows the run running and each agent's attempt open (the store flushes in batches). */
async function waitForDisk(dbPath: string, runId: string, agentPids: readonly number[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  let seen = 'nothing';
  for (;;) {
    const store = await OrchestratorStore.open(dbPath, { readOnly: true });
    try {
      const run = store.listRuns(1)[0];
      const attempts = TASK_IDS.map((taskId) => store.listAttempts(taskId).at(-1));
      seen = `run ${run?.runId} ${run?.status}, attempts ${attempts.map((a) => `${a?.pid}${a?.endedAt === null ? '' : ' (ended)'}`).join(', ')}`;
      if (run?.runId === runId && run.status === 'running' && attempts.every((a, i) => a?.pid === agentPids[i] && a.endedAt === null)) return;
    } finally {
      await store.close();
    }
    if (Date.now() > deadline) throw new Error(`the database file never showed the run at work (last seen: ${seen})`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
