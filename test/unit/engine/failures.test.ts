// Failure handling on real runs: time-outs that kill whole process trees, retries, blocked
// dependents, and each run strategy deciding the outcome.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../../../src/core/process/processTree';
import { childPids, git, onlyAttempt, processesUnder, statuses, useWorkspaces } from './engineFixture';

describe('engine end to end: failures and strategies', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('times out (fractional minutes) and kills the agent and its grandchildren, in its group or not', async () => {
    const ws = workspace();
    const o = await ws.withPlan(
      [
        { id: 'TASK-1-1', prompt: 'spawn-child-and-hang' },
        { id: 'TASK-1-2', prompt: 'spawn-child-and-hang detached' },
      ],
      // 2.4 s: time for the worktree, the agent and its child to start even on a loaded machine.
      { timeoutMinutes: 0.04 },
    );
    let output = '';
    o.onEvent((event) => {
      if (event.type === 'output') output += `${event.line}\n`;
    });
    const result = await o.run();

    assert.equal(result.status, 'failed');
    assert.deepEqual([result.metrics.failed_agents, result.metrics.timed_out_agents], [2, 2]);
    for (const id of ['TASK-1-1', 'TASK-1-2']) {
      const task = o.store.getTask(id)!;
      assert.equal(task.status, 'timed_out');
      assert.equal(task.errorMessage, 'timed out after 2400 ms');
      const attempt = onlyAttempt(o.store, id);
      assert.equal(attempt.outcome, 'timed_out');
      assert.equal(isAlive(attempt.pid!), false, `the agent of ${id} survived`);
      // The agent prints its child's pid as {"event":"child","pid":N}; the log keeps it too.
      assert.equal(childPids(readFileSync(attempt.logPath!, 'utf8')).length, 1);
    }
    const grandchildren = childPids(output);
    assert.equal(grandchildren.length, 2);
    for (const pid of grandchildren) assert.equal(isAlive(pid), false, `grandchild ${pid} survived the time-out`);
    assert.deepEqual(processesUnder(ws.dir), []);
  });

  it('retries a failed attempt in a fresh worktree, with the failure in the prompt, and completes', async () => {
    const ws = workspace();
    const marker = join(ws.dir, 'markers', 'TASK-1-1');
    const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: `fail-once ${marker}; write r.txt: second attempt` }], { maxRetries: 1 });
    const result = await o.run();

    assert.equal(result.status, 'completed');
    const task = o.store.getTask('TASK-1-1')!;
    assert.equal(task.status, 'completed');
    assert.equal(task.retryCount, 1);
    const attempts = o.store.listAttempts('TASK-1-1');
    assert.deepEqual(
      attempts.map((a) => [a.attemptNumber, a.outcome, a.branch]),
      [
        [1, 'failed', 'orch/TASK-1-1/a1'],
        [2, 'completed', 'orch/TASK-1-1/a2'],
      ],
    );
    assert.equal(attempts[0].error, `agent exited with code 1: failed once as instructed (created ${marker})`);
    assert.notEqual(attempts[0].worktree, attempts[1].worktree);
    assert.equal(git(ws.repo, 'show', 'orch/TASK-1-1/a2:r.txt'), 'second attempt');
    // The retry's prompt carried the failure: the scripted agent (prompt in its arguments) notes
    // every line it has no instruction for, and its log shows them in order.
    const notes = readFileSync(attempts[1].logPath!, 'utf8')
      .split('\n')
      .flatMap((line) => (line.includes('"event":"message"') ? [(JSON.parse(line) as { text: string }).text] : []));
    assert.deepEqual(notes.slice(0, 3), ['note: ---', 'note: Attempt 2. The previous attempt failed:', `note: agent exited with code 1: failed once as instructed (created ${marker})`]);
    const transitions = o.store.listEvents({ taskId: 'TASK-1-1' }).filter((e) => e.kind === 'status_changed').map((e) => e.toStatus);
    assert.deepEqual(transitions, ['running', 'failed', 'spawned', 'running', 'completed']);
    assert.equal(result.metrics.total_attempts, 2);
  });

  it('wait_all: blocks the dependents of a failed task (naming the dependency) and runs everything else', async () => {
    const ws = workspace();
    const o = await ws.withPlan(
      [
        { id: 'TASK-1-1', prompt: 'fail with the build is broken' },
        { id: 'TASK-1-2', prompt: 'write b.txt: b', dependsOn: ['TASK-1-1'] },
        { id: 'TASK-1-3', prompt: 'write c.txt: c', dependsOn: ['TASK-1-2'] },
        { id: 'TASK-1-4', prompt: 'sleep 300ms; write d.txt: d' },
      ],
      { strategy: 'wait_all' },
    );
    const result = await o.run();

    assert.equal(result.status, 'failed');
    assert.deepEqual(statuses(o.store), { 'TASK-1-1': 'failed', 'TASK-1-2': 'blocked', 'TASK-1-3': 'blocked', 'TASK-1-4': 'completed' });
    assert.equal(o.store.getTask('TASK-1-1')!.errorMessage, 'agent exited with code 1: the build is broken');
    assert.equal(o.store.getTask('TASK-1-2')!.errorMessage, 'blocked: dependency TASK-1-1 failed');
    assert.equal(o.store.getTask('TASK-1-3')!.errorMessage, 'blocked: dependency TASK-1-2 blocked');
    assert.equal(o.store.listAttempts('TASK-1-2').length + o.store.listAttempts('TASK-1-3').length, 0);
    assert.deepEqual([result.metrics.blocked_tasks, result.metrics.failed_agents, result.metrics.successful_agents], [2, 1, 1]);
  });

  it('fail_fast: the first failure cancels running and waiting tasks and fails the run', async () => {
    const ws = workspace();
    const o = await ws.withPlan(
      [
        { id: 'TASK-1-1', prompt: 'sleep 200ms; fail with early failure' },
        { id: 'TASK-1-2', prompt: 'hang' },
        { id: 'TASK-1-3', prompt: 'hang' },
        { id: 'TASK-1-4', prompt: 'write d.txt: d' },
      ],
      // The time-out only bounds the test if fail_fast did nothing: the hangs would end timed_out.
      { strategy: 'fail_fast', maxParallel: 3, timeoutMinutes: 0.5 },
    );
    const result = await o.run();

    assert.equal(result.status, 'failed');
    assert.deepEqual(statuses(o.store), { 'TASK-1-1': 'failed', 'TASK-1-2': 'cancelled', 'TASK-1-3': 'cancelled', 'TASK-1-4': 'cancelled' });
    assert.equal(o.store.listAttempts('TASK-1-4').length, 0);
    for (const id of ['TASK-1-2', 'TASK-1-3']) {
      const attempt = onlyAttempt(o.store, id);
      assert.equal(attempt.outcome, 'cancelled');
      assert.equal(isAlive(attempt.pid!), false);
    }
    const reasons = o.store.listEvents({ taskId: 'TASK-1-2' }).filter((e) => e.toStatus === 'cancelled').map((e) => e.detail?.reason);
    assert.deepEqual(reasons, ['stopped: fail_fast: TASK-1-1 failed']);
  });

  it('best_effort: the run succeeds when at least the threshold of tasks succeed', async () => {
    const ws = workspace();
    const o = await ws.withPlan(
      [...[1, 2, 3, 4].map((i) => ({ id: `TASK-1-${i}`, prompt: `write t${i}.txt: ${i}` })), { id: 'TASK-1-5', prompt: 'fail with one of five' }],
      { strategy: 'best_effort', threshold: 0.8 },
    );
    const result = await o.run();

    assert.equal(result.status, 'completed');
    assert.equal(o.store.getTask('TASK-1-5')!.status, 'failed');
    assert.equal(result.metrics.successful_agents, 4);
    assert.match(result.summaryMd, /\*\*Outcome\*\*: succeeded under the best_effort strategy/);
    assert.equal(o.store.getRun(result.runId)!.status, 'completed');
  });

  it('race: the first task to complete wins and the others are cancelled', async () => {
    const ws = workspace();
    const o = await ws.withPlan(
      [
        { id: 'TASK-1-1', prompt: 'hang' },
        { id: 'TASK-1-2', prompt: 'sleep 200ms; write win.txt: fastest' },
        { id: 'TASK-1-3', prompt: 'hang' },
      ],
      { strategy: 'race', maxParallel: 3, timeoutMinutes: 0.5 },
    );
    const result = await o.run();

    assert.equal(result.status, 'completed');
    assert.deepEqual(statuses(o.store), { 'TASK-1-1': 'cancelled', 'TASK-1-2': 'completed', 'TASK-1-3': 'cancelled' });
    assert.equal(git(ws.repo, 'show', 'orch/TASK-1-2/a1:win.txt'), 'fastest');
    assert.deepEqual(result.metrics.branches_created, ['orch/TASK-1-2/a1']);
    assert.deepEqual(processesUnder(ws.dir), []);
  });
});
