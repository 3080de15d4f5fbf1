// The dashboard's state sent as a change to the last one (src/shared/statePatch.ts): applied to
// the state the webview holds, a patch must give exactly the state the host built, whatever
// happened between the two (tasks changed, added, removed or reordered; attempts added; the run's
// fields changed), and it must carry only what changed.
import * as assert from 'node:assert/strict';
import type { DashboardState, DashboardTaskView } from '../../../src/shared/protocol';
import { applyStatePatch, diffState, fingerprintState, StatePatchMismatch } from '../../../src/shared/statePatch';
import { dashboardAttempt, dashboardRun, dashboardState, RUN_START, taskView } from './dashboardFixtures';

/** A deterministic pseudo-random sequence. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

const STATUSES = ['pending', 'ready', 'running', 'completed', 'failed'] as const;

/** The next state after a random step of a run: a few tasks change, sometimes tasks come, go or move, attempts start and end. */
function evolve(state: DashboardState, random: () => number, step: number): DashboardState {
  let tasks: DashboardTaskView[] = state.tasks.map((task) => (random() < 0.1 ? { ...task, status: STATUSES[Math.floor(random() * STATUSES.length)]!, progress: random() < 0.5 ? { step, total: 9, message: `step ${step}` } : null } : task));
  if (random() < 0.2) tasks.push(taskView(`TASK-9-${step}`, { dependsOn: tasks.length > 0 ? [tasks[0]!.taskId] : [] }));
  if (random() < 0.1 && tasks.length > 2) tasks.splice(Math.floor(random() * tasks.length), 1);
  if (random() < 0.1) tasks = [...tasks].reverse();
  const timeline = [...state.timeline];
  if (random() < 0.4 && tasks.length > 0) timeline.push(dashboardAttempt(tasks[Math.floor(random() * tasks.length)]!.taskId, step % 4, RUN_START + step * 1000, null, { attempt: step }));
  const open = timeline.findIndex((a) => a.endedAt === null);
  if (open >= 0 && random() < 0.5) timeline[open] = { ...timeline[open]!, endedAt: RUN_START + step * 1000 + 500, outcome: 'completed' };
  return {
    ...state,
    generatedAt: state.generatedAt + 250,
    running: random() < 0.9,
    paused: random() < 0.1,
    tasks,
    timeline,
    run: random() < 0.3 ? dashboardRun({ status: 'running', endedAt: null, summaryMd: `after step ${step}` }) : state.run,
  };
}

const initial = () =>
  dashboardState({
    tasks: Array.from({ length: 30 }, (_, i) => taskView(`TASK-1-${i + 1}`, { dependsOn: i > 0 ? [`TASK-1-${i}`] : [] })),
    run: dashboardRun({ status: 'running', endedAt: null }),
    timeline: [dashboardAttempt('TASK-1-1', 0, RUN_START, null)],
  });

describe('dashboard state patches', () => {
  it('applied one after another, 300 random steps of a run give exactly the states the host built', () => {
    const random = lcg(7);
    let hostState = initial();
    let fingerprint = fingerprintState(hostState);
    let webviewState: DashboardState = structuredClone(hostState);
    for (let step = 1; step <= 300; step++) {
      hostState = evolve(hostState, random, step);
      const { patch, fingerprint: next } = diffState(fingerprint, hostState);
      // As VS Code delivers it: a copy, not the host's objects.
      webviewState = applyStatePatch(webviewState, structuredClone(patch));
      fingerprint = next;
      assert.deepEqual(webviewState, hostState, `step ${step}`);
    }
  });

  it('carries only what changed: one task\'s progress is one task, and the clock', () => {
    const before = initial();
    const after: DashboardState = { ...before, generatedAt: before.generatedAt + 250, tasks: before.tasks.map((t) => (t.taskId === 'TASK-1-7' ? { ...t, progress: { step: 2, total: 5, message: 'editing' } } : t)) };
    const { patch } = diffState(fingerprintState(before), after);
    assert.deepEqual(patch.fields, { generatedAt: after.generatedAt });
    assert.deepEqual(patch.tasks.upsert.map((t) => t.taskId), ['TASK-1-7']);
    assert.equal(patch.tasks.keys, undefined, 'the order did not change');
    assert.deepEqual(patch.timeline, { upsert: [] });
    assert.ok(JSON.stringify(patch).length < JSON.stringify(after).length / 10, 'a tenth of the whole state or less');
  });

  it('sends the order only when it is not the old one with new items after it', () => {
    const before = initial();
    const added = { ...before, tasks: [...before.tasks, taskView('TASK-2-1')], timeline: [...before.timeline, dashboardAttempt('TASK-1-2', 1, RUN_START, null)] };
    const appended = diffState(fingerprintState(before), added).patch;
    assert.equal(appended.tasks.keys, undefined);
    assert.equal(appended.timeline.keys, undefined);
    assert.deepEqual(appended.tasks.upsert.map((t) => t.taskId), ['TASK-2-1']);
    const removed = { ...before, tasks: before.tasks.slice(1) };
    assert.deepEqual(diffState(fingerprintState(before), removed).patch.tasks.keys, removed.tasks.map((t) => t.taskId));
    const moved = { ...before, tasks: [before.tasks[1]!, before.tasks[0]!, ...before.tasks.slice(2)] };
    const patch = diffState(fingerprintState(before), moved).patch;
    assert.equal(patch.tasks.upsert.length, 0, 'moving sends no rows');
    assert.deepEqual(applyStatePatch(before, patch).tasks, moved.tasks);
  });

  it('without a fingerprint (a new page) the patch holds the whole state', () => {
    const state = initial();
    const { patch } = diffState(undefined, state);
    assert.deepEqual(applyStatePatch(dashboardState(), patch), state);
  });

  it('a patch that does not fit the state it is applied to is refused, not half-applied', () => {
    const before = initial();
    const patch = diffState(fingerprintState(before), { ...before, tasks: before.tasks.slice(1) }).patch;
    const other = dashboardState({ tasks: [taskView('TASK-7-1')] });
    assert.throws(() => applyStatePatch(other, patch), StatePatchMismatch);
    assert.deepEqual(other.tasks.map((t) => t.taskId), ['TASK-7-1'], 'the state it was applied to is unchanged');
  });
});
