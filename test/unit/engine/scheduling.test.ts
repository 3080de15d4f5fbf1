// The scheduler's promises, checked on real runs: real git worktrees, real agent processes, and the
// timestamps the store recorded for each attempt (never the test's own clock).
import * as assert from 'node:assert/strict';
import { git, intervals, manyTasks, onlyAttempt, overlaps, peak, statuses, useWorkspaces } from './engineFixture';

describe('engine end to end: scheduling', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('starts a dependent only after its dependencies completed, in a worktree with their committed work merged', async () => {
    const ws = workspace();
    const base = git(ws.repo, 'rev-parse', 'HEAD');
    const o = await ws.withPlan([
      { id: 'TASK-1-1', prompt: 'sleep 150ms; write a.txt: from A' },
      { id: 'TASK-1-2', prompt: 'write b.txt: from B' },
      { id: 'TASK-1-3', prompt: 'write c.txt: from C', dependsOn: ['TASK-1-1', 'TASK-1-2'] },
    ]);
    const result = await o.run();

    assert.equal(result.status, 'completed');
    assert.deepEqual(statuses(o.store), { 'TASK-1-1': 'completed', 'TASK-1-2': 'completed', 'TASK-1-3': 'completed' });
    const [a, b, c] = ['TASK-1-1', 'TASK-1-2', 'TASK-1-3'].map((id) => onlyAttempt(o.store, id));
    for (const dependency of [a, b]) assert.ok(Date.parse(c.startedAt) >= Date.parse(dependency.endedAt!), `${c.taskId} started before ${dependency.taskId} ended`);
    for (const id of ['TASK-1-1', 'TASK-1-2']) {
      const dependency = o.store.getTask(id)!;
      assert.ok(Date.parse(o.store.getTask('TASK-1-3')!.startedAt!) >= Date.parse(dependency.completedAt!));
    }

    // The dependent's branch holds both dependencies' files and their commits (merged from their
    // branches: the completed dependencies' worktrees were already removed, setting keepWorktrees).
    assert.equal(git(ws.repo, 'show', `${c.branch}:a.txt`), 'from A');
    assert.equal(git(ws.repo, 'show', `${c.branch}:b.txt`), 'from B');
    for (const dependency of [a, b]) git(ws.repo, 'merge-base', '--is-ancestor', dependency.branch!, c.branch!);
    assert.equal(git(ws.repo, 'show', `${c.branch}:c.txt`), 'from C');
    // Independent tasks never see each other's work, and the user's branch is left alone.
    assert.deepEqual(git(ws.repo, 'ls-tree', '--name-only', a.branch!).split('\n'), ['README.md', 'a.txt']);
    assert.deepEqual(git(ws.repo, 'ls-tree', '--name-only', b.branch!).split('\n'), ['README.md', 'b.txt']);
    assert.equal(git(ws.repo, 'rev-parse', 'HEAD'), base);
    assert.equal(git(ws.repo, 'ls-tree', '--name-only', 'HEAD'), 'README.md');
  });

  it('with one slot, starts high before medium before low priority (not plan order)', async () => {
    const ws = workspace();
    const o = await ws.withPlan(
      [
        { id: 'TASK-1-1', prompt: 'sleep 50ms', priority: 'low' },
        { id: 'TASK-1-2', prompt: 'sleep 50ms', priority: 'medium' },
        { id: 'TASK-1-3', prompt: 'sleep 50ms', priority: 'high' },
        { id: 'TASK-1-4', prompt: 'sleep 50ms', priority: 'medium' },
      ],
      { maxParallel: 1 },
    );
    assert.equal((await o.run()).status, 'completed');
    const order = ['TASK-1-1', 'TASK-1-2', 'TASK-1-3', 'TASK-1-4']
      .map((id) => onlyAttempt(o.store, id))
      .sort((x, y) => x.attemptId - y.attemptId)
      .map((attempt) => attempt.taskId);
    // Same priority: plan order.
    assert.deepEqual(order, ['TASK-1-3', 'TASK-1-2', 'TASK-1-4', 'TASK-1-1']);
    assert.equal(peak(o.store), 1);
  });

  it('never exceeds maxParallel, and fills every slot: 8 tasks of ~400 ms at 3 → peak exactly 3', async () => {
    const ws = workspace();
    const o = await ws.withPlan(manyTasks(8, (i) => `sleep 400ms; write t${i}.txt: ${i}`), { maxParallel: 3 });
    const result = await o.run();
    assert.equal(result.status, 'completed');
    assert.equal(intervals(o.store).length, 8);
    assert.equal(peak(o.store), 3);
    assert.equal(result.metrics.resource_usage.max_concurrent_agents, 3);
  });

  it('never runs two tasks with overlapping files at once, while an unrelated one runs alongside', async () => {
    const ws = workspace();
    const o = await ws.withPlan(
      [
        { id: 'TASK-1-1', prompt: 'sleep 400ms; write src/shared/a.ts: 1', files: ['src/shared/**'] },
        { id: 'TASK-1-2', prompt: 'sleep 400ms; write src/shared/config.ts: 2', files: ['src/shared/config.ts'] },
        { id: 'TASK-1-3', prompt: 'sleep 400ms; write docs/guide.md: 3', files: ['docs/**'] },
      ],
      { maxParallel: 3 },
    );
    assert.equal((await o.run()).status, 'completed');
    const [one, two, three] = intervals(o.store, ['TASK-1-1', 'TASK-1-2', 'TASK-1-3']);
    assert.equal(overlaps(one, two), false, 'tasks with overlapping files ran at the same time');
    const first = one.start <= two.start ? one : two;
    assert.equal(overlaps(first, three), true, 'the unrelated task did not run alongside');
  });

  it('starts 16 tasks at once (maxParallel 16) without git failures', async () => {
    const ws = workspace();
    const o = await ws.withPlan(manyTasks(16, (i) => `write out/f${i}.txt: file ${i}; sleep 300ms`), { maxParallel: 16 });
    const result = await o.run();
    assert.equal(result.status, 'completed', result.summaryMd);
    const attempts = Array.from({ length: 16 }, (_, k) => onlyAttempt(o.store, `TASK-1-${k + 1}`));
    assert.deepEqual(attempts.filter((a) => a.outcome !== 'completed' || a.error !== null), []);
    assert.equal(peak(o.store), 16);
    attempts.forEach((attempt, k) => assert.equal(git(ws.repo, 'show', `${attempt.branch}:out/f${k + 1}.txt`), `file ${k + 1}`));
    // 16 removals through the repository queue beside the adds, none failed: only the main
    // checkout is left (completed tasks' worktrees go, setting keepWorktrees), no stale record.
    assert.equal(git(ws.repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length, 1);
    assert.deepEqual(o.store.listEvents({ runId: result.runId }).filter((event) => event.kind === 'worktree_remove_failed'), []);
  });
});
