// The conflict radar on real runs: real repositories, the scripted agent as real child processes
// held mid-run by a marker file the test creates (`wait-for`), the radar polling their worktrees.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrchestratorEvent } from '../../../src/core/orchestrator';
import { progressLine } from '../../../src/core/report/progressLine';
import { summaryMarkdown } from '../../../src/core/report/runReport';
import { overlappingPairs } from '../../../src/core/review/overlapPairs';
import { radarTasks } from '../../../src/core/run/runRadar';
import { git, useWorkspaces } from '../engine/engineFixture';

type OverlapEvent = Extract<OrchestratorEvent, { type: 'overlap' }>;

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

describe('review: the conflict radar', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('flags the overlapping pair while both still run, not a dependent pair, and judges finished pairs', async () => {
    const ws = workspace();
    const go = join(ws.dir, 'go');
    const orchestrator = await ws.withPlan(
      [
        // 1 and 2 write the same file differently: a conflict once both are final.
        { id: 'TASK-1-1', prompt: `write shared.txt: one\nwrite base.txt: from one\nwait-for ${go}` },
        { id: 'TASK-1-2', prompt: `write shared.txt: two\nwait-for ${go}` },
        // 3 builds on 1 and changes 1's file: not a pair.
        { id: 'TASK-1-3', prompt: 'append base.txt: and three', dependsOn: ['TASK-1-1'] },
        // 4 and 5 write the same file alike: touched by both, merges cleanly.
        { id: 'TASK-1-4', prompt: `write same.txt: identical\nwait-for ${go}` },
        { id: 'TASK-1-5', prompt: `write same.txt: identical\nwait-for ${go}` },
      ],
      { maxParallel: 4, conflictRadarIntervalMs: 100 },
    );
    const events: OverlapEvent[] = [];
    orchestrator.onEvent((event) => {
      if (event.type === 'overlap') events.push(event);
    });
    let finished = false;
    const running = orchestrator.run().finally(() => (finished = true));

    await until(() => events.some((e) => e.first && e.pair.taskA === 'TASK-1-1' && e.pair.taskB === 'TASK-1-2'), 'the radar to flag TASK-1-1 and TASK-1-2');
    assert.equal(finished, false, 'flagged while the run is still going');
    const first = events.find((e) => e.pair.taskA === 'TASK-1-1' && e.pair.taskB === 'TASK-1-2')!;
    assert.deepEqual(first.pair.files, ['shared.txt']);
    assert.equal(first.pair.conflict, null, 'unknown while both run');
    assert.deepEqual(orchestrator.overlaps().map((p) => `${p.taskA}+${p.taskB}`).includes('TASK-1-1+TASK-1-2'), true, 'stored while running');

    writeFileSync(go, '');
    const result = await running;
    assert.equal(result.status, 'completed');

    const pairs = orchestrator.overlaps(result.runId);
    const summary = pairs.map((p) => `${p.taskA}+${p.taskB}:${p.files.join(',')}:${p.conflict}`).sort();
    assert.deepEqual(summary, ['TASK-1-1+TASK-1-2:shared.txt:true', 'TASK-1-4+TASK-1-5:same.txt:false']);
    // Exactly one `first` event per pair, and the verdicts reached the listeners.
    assert.equal(events.filter((e) => e.first).length, 2);
    assert.ok(events.some((e) => !e.first && e.pair.taskA === 'TASK-1-1' && e.pair.conflict === true));
    // The trace and the summary say it too.
    const traced = orchestrator.store.listEvents({ runId: result.runId }).filter((e) => e.kind === 'overlap_detected');
    assert.equal(traced.length, 2);
    assert.match(result.summaryMd, /### Conflict radar\n2 pairs of tasks touched the same files; 1 conflict when merged\./);
    assert.match(result.summaryMd, /\| TASK-1-1 ↔ TASK-1-2 \| `shared\.txt` \| yes \|/);
    assert.match(result.summaryMd, /\| TASK-1-4 ↔ TASK-1-5 \| `same\.txt` \| no \|/);
    // The branches really are as judged.
    assert.equal(git(ws.repo, 'cat-file', '-p', 'orch/TASK-1-3/a1:base.txt'), 'from one\nand three');
  });

  it('stays quiet when tasks touch disjoint files, and is off when the setting says so', async () => {
    const ws = workspace();
    const orchestrator = await ws.withPlan(
      [
        { id: 'TASK-1-1', prompt: 'write a.txt: a\nsleep 300ms' },
        { id: 'TASK-1-2', prompt: 'write b.txt: b\nsleep 300ms' },
      ],
      { conflictRadarIntervalMs: 50 },
    );
    const result = await orchestrator.run();
    assert.deepEqual(orchestrator.overlaps(result.runId), []);
    assert.doesNotMatch(result.summaryMd, /Conflict radar/);

    const off = workspace();
    const quiet = await off.withPlan(
      [
        { id: 'TASK-1-1', prompt: 'write x.txt: 1\nsleep 200ms' },
        { id: 'TASK-1-2', prompt: 'write x.txt: 2\nsleep 200ms' },
      ],
      { conflictRadar: false, conflictRadarIntervalMs: 50 },
    );
    const ran = await quiet.run();
    assert.deepEqual(quiet.overlaps(ran.runId), [], 'no radar, no pairs');
  });

  it('counts committed work too: a task whose agent committed is compared from its start commit', async () => {
    const ws = workspace();
    const go = join(ws.dir, 'go');
    const orchestrator = await ws.withPlan(
      [
        { id: 'TASK-1-1', prompt: `write c.txt: one\nwait-for ${go}` },
        { id: 'TASK-1-2', prompt: `write d.txt: two\nwait-for ${go}` },
      ],
      { conflictRadarIntervalMs: 60 },
    );
    const events: OverlapEvent[] = [];
    orchestrator.onEvent((event) => event.type === 'overlap' && events.push(event));
    const running = orchestrator.run();
    // Commit in TASK-1-2's worktree behind the agent's back, a file TASK-1-1 also has (uncommitted).
    let worktree: string | null = null;
    await until(() => (worktree = orchestrator.runAttempts(orchestrator.activeRunId ?? '').find((a) => a.taskId === 'TASK-1-2')?.worktree ?? null) !== null, 'TASK-1-2 to get its worktree');
    writeFileSync(join(worktree!, 'c.txt'), 'committed\n');
    git(worktree!, 'add', 'c.txt');
    git(worktree!, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'by hand');
    await until(() => events.some((e) => e.first), 'the radar to see the committed file');
    assert.deepEqual(events[0].pair.files, ['c.txt']);
    writeFileSync(go, '');
    await running;
  });
});

describe('review: the pair rule and the radar inputs', () => {
  it('pairs every two tasks sharing a file, once, with the shared files sorted; skips ancestors', () => {
    const prerequisites = (id: string): string[] => ({ C: ['B'], B: ['A'] })[id] ?? [];
    const pairs = overlappingPairs(
      [
        { taskId: 'B', files: new Set(['x', 'y']) },
        { taskId: 'A', files: new Set(['y', 'x', 'z']) },
        { taskId: 'C', files: new Set(['z']) },
        { taskId: 'D', files: new Set(['z', 'y']) },
      ],
      prerequisites,
    );
    // A–B: B depends on A; A–C: C depends on A through B. Both skipped.
    assert.deepEqual(pairs, [
      { taskA: 'A', taskB: 'D', files: ['y', 'z'] },
      { taskA: 'B', taskB: 'D', files: ['y'] },
      { taskA: 'C', taskB: 'D', files: ['z'] },
    ]);
  });

  it('takes each task’s latest attempt: running ones, completed ones, never a failed one', () => {
    const attempt = (taskId: string, attemptNumber: number, endedAt: string | null, outcome: 'completed' | 'failed' | null) =>
      ({ taskId, attemptNumber, endedAt, outcome, worktree: `/w/${taskId}-${attemptNumber}`, branch: `b/${taskId}/${attemptNumber}`, startCommit: 'c0' }) as Parameters<typeof radarTasks>[0][number];
    const tasks = radarTasks([attempt('T1', 1, 'x', 'failed'), attempt('T1', 2, null, null), attempt('T2', 1, 'x', 'completed'), attempt('T3', 1, 'x', 'failed')]);
    assert.deepEqual(
      tasks.map((t) => [t.taskId, t.running, t.worktree]),
      [
        ['T1', true, '/w/T1-2'],
        ['T2', false, '/w/T2-1'],
      ],
    );
  });

  it('prints a progress line for a new pair and for a verdict, not for a pair whose files grew', () => {
    const at = new Date('2026-01-01T10:00:00Z');
    const pair = { runId: 'r', taskA: 'TASK-1-1', taskB: 'TASK-1-2', files: ['a.txt'], conflict: null, firstSeenAt: 'x' };
    assert.equal(progressLine({ type: 'overlap', runId: 'r', pair, first: true }, at), '[10:00:00] conflict radar: TASK-1-1 and TASK-1-2 both touch a.txt');
    assert.equal(progressLine({ type: 'overlap', runId: 'r', pair: { ...pair, files: ['a.txt', 'b.txt'] }, first: false }, at), undefined);
    assert.equal(progressLine({ type: 'overlap', runId: 'r', pair: { ...pair, conflict: true }, first: false }, at), '[10:00:00] conflict radar: TASK-1-1 and TASK-1-2 conflict when merged');
    assert.equal(progressLine({ type: 'overlap', runId: 'r', pair: { ...pair, conflict: false }, first: true }, at), '[10:00:00] conflict radar: TASK-1-1 and TASK-1-2 both touch a.txt; they merge cleanly');
  });

  it('summary.md has no radar section without pairs, and says "unknown" for an unjudged pair', () => {
    const facts = { runId: 'r', planSource: undefined, status: 'completed' as const, strategy: 'wait_all', maxParallel: 1, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:01.000Z', tasks: [], attempts: [] };
    assert.doesNotMatch(summaryMarkdown(facts), /Conflict radar/);
    const md = summaryMarkdown({ ...facts, overlaps: [{ taskA: 'TASK-1-1', taskB: 'TASK-1-2', files: ['a|b.txt'], conflict: null }] });
    assert.match(md, /1 pair of tasks touched the same files\.\n/);
    assert.match(md, /\| TASK-1-1 ↔ TASK-1-2 \| `a\\\|b\.txt` \| unknown \|/);
  });
});
