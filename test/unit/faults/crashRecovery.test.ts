// kill -9 of the CLI in the two windows that used to lose track of work: just after an agent's
// spawn (its pid not yet on disk) and between the task's commit and the database flush. A
// fault-injection hook (src/core/run/faultInjection.ts) lands the kill exactly there.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../../../src/core/process/processTree';
import { ENV_FAULT_INJECTION } from '../../../src/core/run/faultInjection';
import { git, statuses, useWorkspaces, waitUntil } from '../engine/engineFixture';
import { agentsOf, assertSound, committedBranches, STORE_MODES, useStoreMode, withStore } from './faultFixture';

const RUN = ['run', '--agent', 'scripted', '--retries', '0'];

for (const mode of STORE_MODES) {
  describe(`faults: kill -9 of the CLI at named points (${mode.name})`, function () {
    this.timeout(60_000);
    const workspace = useWorkspaces();
    useStoreMode(mode);

    it('just after an agent spawned: opening the workspace stops the orphaned agent, before any run', async () => {
      const ws = workspace();
      ws.writePlan([{ id: 'TASK-1-1', prompt: 'sleep 20s; write late.txt: written by an orphan' }]);
      assert.equal((await ws.cli(['import', 'engine.plan.json'])).code, 0);
      const killed = await ws.cli(RUN, { ...process.env, [ENV_FAULT_INJECTION]: 'agent-spawned' });
      assert.equal(killed.code, null, `the CLI was to kill itself:\n${killed.stdout}\n${killed.stderr}`);
      const orphans = await waitUntil('the orphaned agent to be seen', () => (agentsOf(ws).length > 0 ? agentsOf(ws) : undefined));

      // Opening the workspace as its writer (the extension does this when a window opens) recovers.
      const opened = await ws.open();
      const report = opened.lastRecovery;
      await opened.close();
      for (const pid of orphans) assert.equal(isAlive(pid), false, `orphan ${pid} still runs after the workspace was opened`);
      assert.deepEqual(agentsOf(ws), []);
      assert.ok(report, 'lastRecovery');
      assert.equal(report.orphansStopped.length, 1, `one agent stopped: ${JSON.stringify(report)}`);
      assert.ok(orphans.includes(report.orphansStopped[0]));
      assert.match(report.runId ?? '', /^orch-/);
      await withStore(ws, (store) => {
        // The task's row may not have reached the disk before the kill: then it simply never ran.
        assert.ok([undefined, 'interrupted'].includes(store.getTask('TASK-1-1')?.status), store.getTask('TASK-1-1')?.status);
        assert.deepEqual(store.listRuns().map((r) => r.status), ['interrupted']);
        assert.ok(store.listEvents({ taskId: 'TASK-1-1' }).some((e) => e.kind === 'orphaned_agent_stopped'), JSON.stringify(store.listEvents()));
      });
      await assertSound(ws, ['TASK-1-1']);
    });

    it('between the commit and the flush: the task is completed from its branch and does not run again', async () => {
      const ws = workspace();
      ws.writePlan([
        { id: 'TASK-1-1', prompt: 'write a.txt: a' },
        { id: 'TASK-1-2', prompt: 'write b.txt: b', dependsOn: ['TASK-1-1'] },
      ]);
      assert.equal((await ws.cli(['import', 'engine.plan.json'])).code, 0);
      const killed = await ws.cli(RUN, { ...process.env, [ENV_FAULT_INJECTION]: 'work-committed' });
      assert.equal(killed.code, null, `the CLI was to kill itself:\n${killed.stdout}\n${killed.stderr}`);
      assert.deepEqual(committedBranches(ws).get('TASK-1-1'), ['orch/TASK-1-1/a1']);
      // Killed before its worktree could go; recovery removes it as the run would have (keepWorktrees).
      const worktree = join(ws.dir, '.repo-worktrees', 'TASK-1-1-a1');
      assert.equal(existsSync(worktree), true);

      const again = await ws.cli([...RUN, '--json']);
      assert.equal(existsSync(worktree), false, 'the recovered task\'s worktree is still there');
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(Object.fromEntries(committedBranches(ws)), { 'TASK-1-1': ['orch/TASK-1-1/a1'], 'TASK-1-2': ['orch/TASK-1-2/a1'] });
      await withStore(ws, (store) => {
        assert.deepEqual(statuses(store), { 'TASK-1-1': 'completed', 'TASK-1-2': 'completed' });
        assert.deepEqual(store.listAttempts('TASK-1-1').map((a) => [a.attemptNumber, a.outcome, a.branch]), [[1, 'completed', 'orch/TASK-1-1/a1']]);
        assert.deepEqual(store.listRuns().map((r) => r.status), ['completed', 'interrupted']);
        // Whether the run's own row reached the disk before the kill depends on timing.
        assert.match(String(store.listRuns()[1].metrics?.error), /^Interrupted: the process that ran it (?:\(pid \d+ on .+\) died|died before the run was recorded)$/);
      });
      // The dependent built on the recovered branch.
      assert.equal(git(ws.repo, 'show', 'orch/TASK-1-2/a1:a.txt'), 'a');
      await assertSound(ws, ['TASK-1-1', 'TASK-1-2']);
      assert.match(again.stderr, /^Recovered run orch-\S+ after its process died: 0 interrupted \(requeued\), 1 completed from its branch, 0 orphaned agents stopped\.\n/);
    });

    it('a task whose row never reached the disk before the kill is completed from its committed branch', async () => {
      // An agent that finishes within the first batched flush: the dead run left its folder (made
      // before its row), the executor's commit on the attempt's branch, and nothing in the database.
      const ws = workspace();
      const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
      await o.close();
      const runId = 'orch-20261205-120000-dead';
      mkdirSync(join(ws.repo, '.agent-orchestrator', 'runs', runId), { recursive: true });
      const worktree = join(mkdtempSync(join(ws.dir, 'wt-')), 'TASK-1-1-a1');
      git(ws.repo, 'worktree', 'add', '-q', '-b', 'orch/TASK-1-1/a1', worktree, 'HEAD');
      writeFileSync(join(worktree, 'a.txt'), 'a\n');
      git(worktree, 'add', '-A');
      git(worktree, 'commit', '-q', '-m', `TASK-1-1: write a.txt: a\n\nAgent: scripted, attempt 1, run ${runId}`);
      git(ws.repo, 'worktree', 'remove', '--force', worktree);

      const reopened = await ws.open();
      try {
        assert.deepEqual(reopened.lastRecovery?.completed, ['TASK-1-1'], JSON.stringify(reopened.lastRecovery));
        assert.equal(reopened.store.getTask('TASK-1-1')?.status, 'completed');
        assert.deepEqual(reopened.store.listAttempts('TASK-1-1').map((a) => [a.attemptNumber, a.outcome, a.branch]), [[1, 'completed', 'orch/TASK-1-1/a1']]);
      } finally {
        await reopened.close();
      }
      const again = await ws.cli([...RUN, '--json']);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(Object.fromEntries(committedBranches(ws)), { 'TASK-1-1': ['orch/TASK-1-1/a1'] }, 'the task ran again');
    });

    it('never stops a process that merely reuses a recorded pid, or belongs to another run', async () => {
      const ws = workspace();
      const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
      const runId = 'orch-20260101-000000-dead';
      // A process unrelated to the dead run (no ORCH_* of its own, working elsewhere), whose pid the
      // dead run's attempt recorded; and one that belongs to a different, live run.
      const unrelated = spawn('sleep', ['30'], { cwd: ws.dir, stdio: 'ignore' });
      const otherRun = spawn('sleep', ['30'], { cwd: ws.dir, stdio: 'ignore', env: { ...process.env, ORCH_RUN_ID: 'orch-20260101-000001-live' } });
      try {
        o.store.beginRun({ runId });
        o.store.markSpecTasksReady(['TASK-1-1'], runId);
        assert.equal(o.store.createParallelTasks([{ task_id: 'TASK-1-1', spec_id: 'SPEC-001', priority: 'medium', estimated_hours: 1 }], runId).success, true);
        o.store.transition('TASK-1-1', 'running', { runId });
        o.store.startAttempt({ taskId: 'TASK-1-1', runId, pid: unrelated.pid, worktree: `${ws.dir}/.repo-worktrees/TASK-1-1-a1` });
        await o.close(); // the run is left "running", as a dead process leaves it

        const reopened = await ws.open();
        assert.deepEqual(reopened.lastRecovery, { runId, interrupted: ['TASK-1-1'], completed: [], orphansStopped: [] });
        assert.equal(isAlive(unrelated.pid!), true, 'the process that reused the pid was stopped');
        assert.equal(isAlive(otherRun.pid!), true, 'a process of another run was stopped');
        assert.equal(reopened.store.getRun(runId)?.status, 'interrupted');
      } finally {
        unrelated.kill('SIGKILL');
        otherRun.kill('SIGKILL');
      }
    });
  });
}
