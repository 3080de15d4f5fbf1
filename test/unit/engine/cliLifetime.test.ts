// How long the CLI process lives: a run's pending retry or rate-limit pause keeps it alive until
// the run ends, a failed run exits non-zero, and SIGTERM / SIGHUP cancel the run cleanly (agents
// stopped, statuses and the run's end recorded) before the process exits with 128 + the signal.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../../src/cli/exitCodes';
import { isAlive, listDescendants } from '../../../src/core/process/processTree';
import { processesUnder, readStore, sleep, statuses, useWorkspaces, waitUntil } from './engineFixture';

describe('engine end to end: the CLI process lifetime', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('a pending retry keeps `run` alive: every attempt runs, the run ends failed, exit 1', async () => {
    const ws = workspace();
    ws.writePlan([{ id: 'TASK-1-1', prompt: 'fail with boom' }]);
    const started = Date.now();
    // 2 s before the retry: longer than anything else the process waits for (a batched flush).
    const run = await ws.cli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted', '--retries', '1', '--retry-delay', '2']);
    assert.match(run.stdout, /retry 1 of 1 in 2000 ms/);
    assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
    assert.ok(Date.now() - started >= 2000, 'the process waited for the retry');
    await readStore(ws, (store) => {
      assert.deepEqual(store.listAttempts('TASK-1-1').map((a) => a.outcome), ['failed', 'failed']);
      assert.equal(store.getTask('TASK-1-1')?.status, 'failed');
      assert.equal(store.listRuns(1)[0].status, 'failed');
    });
  });

  it('a run whose dependencies\' branches conflict exits 4', async () => {
    const ws = workspace();
    ws.writePlan([
      { id: 'TASK-1-1', prompt: 'write shared.txt: one' },
      { id: 'TASK-1-2', prompt: 'write shared.txt: two' },
      { id: 'TASK-1-3', prompt: 'write c.txt: c', dependsOn: ['TASK-1-1', 'TASK-1-2'] },
    ]);
    const run = await ws.cli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted', '--retries', '0']);
    assert.equal(run.code, EXIT.conflicts, `${run.stdout}\n${run.stderr}`);
    await readStore(ws, (store) => assert.equal(store.getTask('TASK-1-3')?.status, 'blocked'));
  });

  it('a rate-limit pause keeps `run` alive until the run is cancelled', async () => {
    const ws = workspace();
    ws.writePlan([{ id: 'TASK-1-1', prompt: 'rate-limit 3s' }]);
    const run = ws.spawnCli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted', '--retries', '0']);
    await run.waitFor(/paused for 3000 ms/);
    await sleep(1500);
    assert.equal(run.child.exitCode, null, `the CLI exited during the pause:\n${run.stdout}\n${run.stderr}`);
    assert.equal((await ws.cli(['cancel', '--all'])).code, 0);
    const ended = await run.exited;
    assert.equal(ended.code, 1, `${ended.stdout}\n${ended.stderr}`);
    await readStore(ws, (store) => {
      assert.equal(store.listRuns(1)[0].status, 'cancelled');
      assert.equal(store.getTask('TASK-1-1')?.status, 'cancelled');
    });
  });

  it('SIGHUP after the terminal is gone (writes fail with EPIPE) still cancels the run: exit 129, no agent left', async () => {
    const ws = workspace();
    ws.writePlan([{ id: 'TASK-1-1', prompt: 'progress 1/1 working; sleep 30s' }]);
    const run = ws.spawnCli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted', '--retries', '0']);
    await run.waitFor(/TASK-1-1 +progress/);
    const tree = (await listDescendants(run.child.pid!)).map((d) => d.pid);
    assert.ok(tree.length >= 1, 'the agent runs below the CLI');
    // The terminal closes: nobody reads the CLI's output any more.
    run.child.stdout!.destroy();
    run.child.kill('SIGHUP');
    const ended = await run.exited;
    assert.equal(ended.code, 129, ended.stderr);
    await waitUntil('the agent to be gone', () => tree.every((pid) => !isAlive(pid)), 2000).catch(() => {
      assert.deepEqual(tree.filter(isAlive), [], 'processes of the run are still alive');
    });
    await readStore(ws, (store) => {
      assert.equal(store.getTask('TASK-1-1')?.status, 'cancelled');
      assert.equal(store.listRuns(1)[0].status, 'cancelled');
    });
  });

  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal} cancels the run: no agent left alive, nothing recorded running, the run ended, exit ${code}`, async () => {
      const ws = workspace();
      ws.writePlan([
        { id: 'TASK-1-1', prompt: 'progress 1/1 working; spawn-child-and-hang detached' },
        { id: 'TASK-1-2', prompt: 'progress 1/1 working; sleep 30s' },
        { id: 'TASK-1-3', prompt: 'write c.txt: c', dependsOn: ['TASK-1-2'] },
      ]);
      const run = ws.spawnCli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted', '--retries', '0']);
      await run.waitFor(/TASK-1-1 +progress/);
      await run.waitFor(/TASK-1-2 +progress/);
      // The run's processes: two agents and the child one of them started in a session of its own.
      const tree = await waitUntil('the agents and the child below the CLI', async () => {
        const pids = (await listDescendants(run.child.pid!)).map((d) => d.pid);
        return pids.length >= 3 ? pids : undefined;
      });
      run.child.kill(signal);
      const ended = await run.exited;
      assert.equal(ended.code, code, `${ended.stdout}\n${ended.stderr}`);
      // A process killed last may take a moment to be reaped; one left running stays alive.
      await waitUntil('every process of the run to be gone', () => tree.every((pid) => !isAlive(pid)), 2000).catch(() => {
        assert.deepEqual(tree.filter(isAlive), [], 'processes of the run are still alive');
      });
      assert.deepEqual(processesUnder(ws.dir), []);
      await readStore(ws, (store) => {
        assert.deepEqual(statuses(store), { 'TASK-1-1': 'cancelled', 'TASK-1-2': 'cancelled', 'TASK-1-3': 'cancelled' });
        const [last] = store.listRuns(1);
        assert.equal(last.status, 'cancelled');
        assert.notEqual(last.endedAt, null);
        assert.ok(existsSync(join(ws.repo, '.agent-orchestrator', 'runs', last.runId, 'summary.md')), 'the summary was written');
      });
    });
  }
});
