// Follow-ups and "Resolve with Agent" on real repositories with the scripted agent as a real child
// process: the follow-up attempt starts from the task's branch and sees the earlier work, resumes
// the agent's session when it reported one, and a resolve ends with the target holding both
// tasks' work.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, useWorkspaces, type Workspace } from '../engine/engineFixture';
import type { Orchestrator } from '../../../src/core/orchestrator';

function promptFile(o: Orchestrator, runId: string, name: string): string {
  return readFileSync(join(o.orchestratorDir, 'runs', runId, 'prompts', `${name}.md`), 'utf8');
}

function snapshot(o: Orchestrator) {
  return { tasks: o.dispatchedTasks().map((t) => [t.taskId, t.status]), followUps: o.store.listFollowUps('TASK-1-1').length };
}

describe('review: follow-ups', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('starts a new attempt from the task’s branch: it sees the earlier work, and only that task runs again', async () => {
    const ws = workspace();
    const o = await ws.withPlan([
      { id: 'TASK-1-1', title: 'Greeting', prompt: 'write a.txt: one' },
      { id: 'TASK-1-2', prompt: 'write b.txt: b' },
    ]);
    const first = await o.run();
    assert.equal(first.status, 'completed');

    await o.followUp('TASK-1-1', 'append a.txt: two');
    assert.equal(o.store.getTask('TASK-1-1')?.status, 'spawned', 'completed → spawned');
    const second = await o.run();
    assert.equal(second.status, 'completed');

    const attempts = o.store.listAttempts('TASK-1-1');
    assert.equal(attempts.length, 2);
    assert.equal(o.store.listAttempts('TASK-1-2').length, 1, 'the other task did not run again');
    // The follow-up's branch holds the first attempt's line and the follow-up's.
    assert.equal(git(ws.repo, 'show', `${attempts[1].branch}:a.txt`), 'one\ntwo');
    assert.equal(attempts[1].startCommit, git(ws.repo, 'rev-parse', attempts[0].branch!), 'it started at the earlier branch tip');
    // The prompt: the follow-up first, then the original task and what the last attempt reported.
    const prompt = promptFile(o, second.runId, 'TASK-1-1-a2');
    assert.match(prompt, /^append a\.txt: two\n/);
    assert.match(prompt, /follow-up to task TASK-1-1 \(Greeting\)/);
    assert.match(prompt, /The original task:\n> write a\.txt: one\n/);
    assert.match(prompt, /> Attempt 1 \(scripted\) ended completed on branch orch\/TASK-1-1\/a1\.\n> Its final message: 1 instructions done, 1 file changes/);
    // Marked as taken by the attempt.
    assert.deepEqual(o.store.listFollowUps('TASK-1-1').map((f) => f.attemptId), [attempts[1].attemptId]);
    assert.equal(o.store.pendingFollowUp('TASK-1-1'), undefined);
  });

  it('resumes the agent’s own session when the last attempt reported one: the prompt is the follow-up alone', async () => {
    const ws = workspace();
    const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'session sess-42\nwrite a.txt: one' }]);
    await o.run();
    assert.equal(o.store.listAttempts('TASK-1-1')[0].sessionId, 'sess-42');

    await o.followUp('TASK-1-1', 'append a.txt: two');
    const second = await o.run();
    const attempt = o.store.listAttempts('TASK-1-1')[1];
    assert.equal(attempt.outcome, 'completed');
    assert.match(readFileSync(attempt.logPath!, 'utf8'), /"resumed session sess-42"/, 'the agent got --resume sess-42');
    assert.equal(promptFile(o, second.runId, 'TASK-1-1-a2'), 'append a.txt: two');
    assert.equal(git(ws.repo, 'show', `${attempt.branch}:a.txt`), 'one\ntwo');
  });

  it('a failed follow-up attempt is retried as the same follow-up, from the same branch', async () => {
    const ws = workspace();
    const marker = join(ws.dir, 'failed-once');
    const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: one' }], { maxRetries: 1, retryDelaySeconds: 0 });
    await o.run();
    await o.followUp('TASK-1-1', `fail-once ${marker}\nappend a.txt: two`);
    await o.run();
    const attempts = o.store.listAttempts('TASK-1-1');
    assert.deepEqual(attempts.map((a) => a.outcome), ['completed', 'failed', 'completed']);
    assert.equal(git(ws.repo, 'show', `${attempts[2].branch}:a.txt`), 'one\ntwo');
    assert.equal(o.store.listFollowUps('TASK-1-1')[0].attemptId, attempts[2].attemptId);
  });

  it('refuses what it cannot carry out, naming the task, and changes nothing', async () => {
    const ws = workspace();
    const o = await ws.withPlan([
      { id: 'TASK-1-1', prompt: 'write a.txt: one' },
      { id: 'TASK-1-2', prompt: 'write b.txt: b', dependsOn: ['TASK-1-1'] },
    ]);
    await assert.rejects(o.followUp('TASK-1-1', 'append a.txt: two'), /TASK-1-1 has not run yet: run it first/);
    await o.run({ only: ['TASK-1-1'] });
    const before = snapshot(o);
    await assert.rejects(o.followUp('TASK-1-1', '  '), /The follow-up for TASK-1-1 is empty/);
    await assert.rejects(o.followUp('TASK-9-9', 'x'), /Unknown task TASK-9-9/);
    await assert.rejects(o.followUp('TASK-1-1', 'x', { kind: 'resolve', into: 'no-such-branch' }), /Cannot resolve TASK-1-1 into no-such-branch: there is no such branch/);
    // Its worktree went when its work was committed (setting keepWorktrees); now the branch goes too.
    assert.equal(existsSync(o.store.listAttempts('TASK-1-1')[0].worktree!), false);
    git(ws.repo, 'branch', '-D', 'orch/TASK-1-1/a1');
    await assert.rejects(o.followUp('TASK-1-1', 'x'), /The branch orch\/TASK-1-1\/a1 of TASK-1-1 no longer exists/);
    assert.deepEqual(snapshot(o), before);
  });
});

describe('review: resolve with agent', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  /** Two tasks that write the same file differently, and an integration branch holding the first. */
  async function conflicted(ws: Workspace): Promise<Orchestrator> {
    const o = await ws.withPlan([
      { id: 'TASK-1-1', title: 'One', prompt: 'write shared.txt: one\nwrite one.txt: 1' },
      { id: 'TASK-1-2', title: 'Two', prompt: 'write shared.txt: two\nwrite two.txt: 2' },
    ]);
    assert.equal((await o.run()).status, 'completed');
    git(ws.repo, 'branch', 'integrate', 'HEAD');
    git(ws.repo, 'worktree', 'add', '-q', join(ws.dir, 'integration'), 'integrate');
    git(join(ws.dir, 'integration'), 'merge', '--no-ff', '-q', '-m', 'TASK-1-1: One (merged)', 'orch/TASK-1-1/a1');
    git(ws.repo, 'worktree', 'remove', join(ws.dir, 'integration'));
    return o;
  }

  it('starts on the target with the conflict left in the files, and merges the resolution into the target', async () => {
    const ws = workspace();
    const o = await conflicted(ws);
    const before = git(ws.repo, 'rev-parse', 'integrate');

    await o.followUp('TASK-1-2', 'write shared.txt: one and two', { kind: 'resolve', into: 'integrate' });
    const run = await o.run();
    assert.equal(run.status, 'completed');

    // The target holds both tasks' work, file by file, and the resolution.
    assert.equal(git(ws.repo, 'show', 'integrate:one.txt'), '1');
    assert.equal(git(ws.repo, 'show', 'integrate:two.txt'), '2');
    assert.equal(git(ws.repo, 'show', 'integrate:shared.txt'), 'one and two');
    // Fast-forwarded: the old target and the task's first branch are both in its history.
    git(ws.repo, 'merge-base', '--is-ancestor', before, 'integrate');
    git(ws.repo, 'merge-base', '--is-ancestor', 'orch/TASK-1-2/a1', 'integrate');
    const attempt = o.store.listAttempts('TASK-1-2')[1];
    assert.equal(git(ws.repo, 'rev-parse', 'integrate'), git(ws.repo, 'rev-parse', attempt.branch!));
    // The prompt named the file and the other task; the review state is recorded.
    const prompt = readFileSync(join(o.orchestratorDir, 'runs', run.runId, 'prompts', 'TASK-1-2-a2.md'), 'utf8');
    assert.match(prompt, /these files hold conflict markers:\n- shared\.txt\n/);
    assert.match(prompt, /They conflict with the work of TASK-1-1, already on integrate\./);
    const review = o.store.getReview('TASK-1-2');
    assert.equal(review?.state, 'merged');
    assert.equal(review?.target, 'integrate');
    assert.equal(review?.commit, git(ws.repo, 'rev-parse', 'integrate'));
  });

  it('fails, leaving the target where it was, when the agent leaves conflict markers', async () => {
    const ws = workspace();
    const o = await conflicted(ws);
    const before = git(ws.repo, 'rev-parse', 'integrate');
    await o.followUp('TASK-1-2', 'echo I will not touch it', { kind: 'resolve', into: 'integrate' });
    await o.run();
    const attempt = o.store.listAttempts('TASK-1-2')[1];
    assert.equal(attempt.outcome, 'failed');
    assert.match(attempt.error ?? '', /conflict markers are still in shared\.txt/);
    assert.equal(git(ws.repo, 'rev-parse', 'integrate'), before);
    assert.equal(existsSync(join(ws.repo, 'shared.txt')), false, 'the main checkout was not touched');
  });
});
