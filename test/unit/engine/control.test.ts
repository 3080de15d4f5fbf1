// Steering a run: pause, resume, cancel one, cancel all — in the process that runs the plan
// (Orchestrator.control) and from another process through the CLI (control requests).
import * as assert from 'node:assert/strict';
import { isAlive } from '../../../src/core/process/processTree';
import { OrchestratorStore } from '../../../src/core/store';
import { onlyAttempt, processesUnder, sleep, statuses, useWorkspaces, waitUntil, whenStatus } from './engineFixture';

describe('engine end to end: pause, resume and cancel', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  describe('in the running process', () => {
    it('pause starts nothing new while the running agent finishes; resume starts the rest', async () => {
      const ws = workspace();
      const o = await ws.withPlan(
        [
          { id: 'TASK-1-1', prompt: 'sleep 400ms; write a.txt: a' },
          { id: 'TASK-1-2', prompt: 'write b.txt: b' },
          { id: 'TASK-1-3', prompt: 'write c.txt: c' },
        ],
        { maxParallel: 1 },
      );
      const running = whenStatus(o, 'TASK-1-1', 'running');
      const run = o.run();
      await running;
      assert.equal(await o.control({ command: 'pause' }), 'applied');
      await waitUntil('TASK-1-1 to complete', () => o.store.getTask('TASK-1-1')?.status === 'completed');
      // Paused: a free slot and two ready tasks, yet nothing starts.
      await sleep(400);
      assert.deepEqual(statuses(o.store), { 'TASK-1-1': 'completed', 'TASK-1-2': null, 'TASK-1-3': null });
      const resumedAt = Date.now();
      await o.control({ command: 'resume' });
      const result = await run;

      assert.equal(result.status, 'completed');
      for (const id of ['TASK-1-2', 'TASK-1-3']) assert.ok(Date.parse(onlyAttempt(o.store, id).startedAt) >= resumedAt, `${id} started before resume`);
      const decisions = o.store.listEvents({ runId: result.runId }).filter((e) => e.kind.startsWith('decision_')).map((e) => e.kind);
      assert.deepEqual(decisions.slice(0, 2), ['decision_paused', 'decision_resumed']);
    });

    it('cancel one: kills its agent, blocks its dependents, lets the others finish', async () => {
      const ws = workspace();
      const o = await ws.withPlan(
        [
          { id: 'TASK-1-1', prompt: 'hang' },
          { id: 'TASK-1-2', prompt: 'sleep 300ms; write b.txt: b' },
          { id: 'TASK-1-3', prompt: 'write c.txt: c', dependsOn: ['TASK-1-1'] },
        ],
        { maxParallel: 2, timeoutMinutes: 0.5 },
      );
      const running = whenStatus(o, 'TASK-1-1', 'running');
      const run = o.run();
      await running;
      await waitUntil('the agent of TASK-1-1 to start', () => o.store.listAttempts('TASK-1-1')[0]?.pid);
      await o.control({ command: 'cancel', taskId: 'TASK-1-1' });
      await run;

      assert.deepEqual(statuses(o.store), { 'TASK-1-1': 'cancelled', 'TASK-1-2': 'completed', 'TASK-1-3': 'blocked' });
      assert.equal(o.store.getTask('TASK-1-3')!.errorMessage, 'blocked: dependency TASK-1-1 cancelled');
      const cancelled = onlyAttempt(o.store, 'TASK-1-1');
      assert.equal(cancelled.outcome, 'cancelled');
      assert.equal(isAlive(cancelled.pid!), false);
    });

    it('cancel all: kills every agent, cancels the waiting tasks, and the run ends cancelled', async () => {
      const ws = workspace();
      const o = await ws.withPlan(
        [
          { id: 'TASK-1-1', prompt: 'hang' },
          { id: 'TASK-1-2', prompt: 'hang' },
          { id: 'TASK-1-3', prompt: 'write c.txt: c' },
        ],
        { maxParallel: 2, timeoutMinutes: 0.5 },
      );
      const run = o.run();
      await waitUntil('both agents to start', () => ['TASK-1-1', 'TASK-1-2'].every((id) => o.store.listAttempts(id)[0]?.pid));
      await o.control({ command: 'cancelAll' });
      const result = await run;

      assert.equal(result.status, 'cancelled');
      assert.equal(o.store.getRun(result.runId)!.status, 'cancelled');
      assert.deepEqual(statuses(o.store), { 'TASK-1-1': 'cancelled', 'TASK-1-2': 'cancelled', 'TASK-1-3': 'cancelled' });
      assert.equal(o.store.listAttempts('TASK-1-3').length, 0);
      assert.deepEqual(processesUnder(ws.dir), []);
    });
  });

  describe('from another process, through the CLI', () => {
    it('pause, cancel one, resume, cancel --all reach `run` in a child process; a bad request does not stop it', async () => {
      const ws = workspace();
      ws.writePlan([
        { id: 'TASK-1-1', prompt: 'hang' },
        { id: 'TASK-1-2', prompt: 'hang' },
        { id: 'TASK-1-3', prompt: 'sleep 100ms; write c.txt: c' },
        { id: 'TASK-1-4', prompt: 'sleep 100ms; write d.txt: d' },
      ]);
      assert.equal((await ws.cli(['import', 'engine.plan.json'])).code, 0);
      const run = ws.spawnCli(['run', '--agent', 'scripted', '--max-parallel', '2', '--retries', '0', '--timeout', '1']);
      await run.waitFor(/TASK-1-1 +running/);
      await run.waitFor(/TASK-1-2 +running/);

      // A typo'd task id from another terminal is reported and ignored, not fatal to the run.
      const typo = await ws.cli(['cancel', 'TASK-9-9']);
      assert.equal(typo.code, 0);
      const pause = await ws.cli(['pause']);
      assert.deepEqual([pause.code, pause.stdout.trim()], [0, 'Sent "pause" to the running orchestrator.']);
      await run.waitFor(/paused by the user/);
      assert.equal((await ws.cli(['cancel', 'TASK-1-1'])).code, 0);
      await run.waitFor(/TASK-1-1 +cancelled/);
      // Paused: TASK-1-1's slot stays empty.
      await sleep(800);
      assert.doesNotMatch(run.stdout, /TASK-1-3 +running/);

      assert.equal((await ws.cli(['resume'])).code, 0);
      await run.waitFor(/TASK-1-4 +completed/);
      await run.waitFor(/TASK-1-3 +completed/);
      assert.equal((await ws.cli(['cancel', '--all'])).code, 0);
      const ended = await run.exited;
      assert.equal(ended.code, 1, ended.stderr);

      const store = await OrchestratorStore.open(OrchestratorStore.defaultPath(ws.repo));
      try {
        assert.deepEqual(statuses(store), { 'TASK-1-1': 'cancelled', 'TASK-1-2': 'cancelled', 'TASK-1-3': 'completed', 'TASK-1-4': 'completed' });
        const run = store.listRuns(1)[0];
        assert.equal(run.status, 'cancelled');
        const events = store.listEvents({ runId: run.runId });
        const ignored = events.filter((e) => e.kind === 'control_request_ignored').map((e) => e.detail?.problem);
        assert.deepEqual(ignored, ['TASK-9-9 is not part of this run']);
        const kinds = events.map((e) => e.kind);
        assert.ok(kinds.indexOf('decision_paused') < kinds.indexOf('decision_resumed'));
        // Nothing started between the pause and the resume.
        const pausedAt = events.find((e) => e.kind === 'decision_paused')!.at;
        const resumedAt = events.find((e) => e.kind === 'decision_resumed')!.at;
        const startedWhilePaused = ['TASK-1-3', 'TASK-1-4'].filter((id) => {
          const started = store.listAttempts(id)[0].startedAt;
          return started >= pausedAt && started < resumedAt;
        });
        assert.deepEqual(startedWhilePaused, []);
        assert.deepEqual(
          ['TASK-1-1', 'TASK-1-2'].map((id) => store.listAttempts(id)[0].outcome),
          ['cancelled', 'cancelled'],
        );
      } finally {
        await store.close();
      }
      assert.deepEqual(processesUnder(ws.dir), []);
    });
  });
});
