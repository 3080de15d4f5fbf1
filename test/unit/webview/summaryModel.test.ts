// The summary section: its metric cards (from the run's metrics once there are some, from the
// tasks before), the run line and the overall progress.
import * as assert from 'node:assert/strict';
import type { DashboardMetrics } from '../../../src/shared/protocol';
import { summaryModel, type SummaryModel } from '../../../webview-ui/src/summaryModel';
import { dashboardAttempt, dashboardRun, dashboardState, RUN_START, taskView } from './dashboardFixtures';

function card(model: SummaryModel, label: string): { value: string; tone?: string } {
  const found = model.cards.find((c) => c.label === label);
  assert.ok(found, `no card ${label}`);
  return { value: found.value, ...(found.tone ? { tone: found.tone } : {}) };
}

const METRICS: DashboardMetrics = {
  total_sub_tasks: 4,
  successful_agents: 2,
  failed_agents: 1,
  timed_out_agents: 0,
  cancelled_tasks: 0,
  blocked_tasks: 1,
  total_duration_seconds: 125,
  avg_agent_duration_seconds: 42,
  total_attempts: 5,
  cost_usd: 0.16,
  tokens_in: 1510,
  tokens_out: 305,
  max_concurrent_agents: 2,
  branches_created: ['orch/TASK-1-1/a1', 'orch/TASK-1-2/a1'],
  follow_up_tasks: ['TASK-1-3'],
};

describe('webview: summary model', () => {
  it('before any run: task counts, dashes for what only a run knows, no run line', () => {
    const model = summaryModel(dashboardState({ tasks: [taskView('TASK-1-1'), taskView('TASK-1-2')] }), RUN_START);
    assert.equal(model.runLine, null);
    assert.deepEqual(
      model.cards.map((c) => [c.label, c.value]),
      [
        ['Tasks', '2'],
        ['Completed', '0'],
        ['Running', '0'],
        ['Failed', '0'],
        ['Blocked / cancelled', '0 / 0'],
        ['Duration', '—'],
        ['Avg agent', '—'],
        ['Attempts', '0'],
        ['Peak parallel', '—'],
        ['Cost', '$0.00'],
        ['Tokens in / out', '0 / 0'],
      ],
    );
    assert.deepEqual(
      model.cards.filter((c) => c.testid).map((c) => c.testid),
      ['metric-tasks', 'metric-completed', 'metric-running', 'metric-failed', 'metric-cost'],
    );
    assert.deepEqual([model.total, model.completed, model.share, model.branches, model.summaryMd], [2, 0, 0, [], null]);
  });

  it('during a run: counts by status (time-outs as failures, no fan-out parent), cost and tokens summed over the tasks, time so far', () => {
    const tasks = [
      taskView('TASK-1-1', { status: 'completed', costUsd: 0.1, tokensIn: 1000, tokensOut: 200 }),
      taskView('TASK-1-2', { status: 'timed_out', costUsd: 0.05, tokensIn: 600 }),
      taskView('TASK-1-3', { status: 'running' }),
      taskView('TASK-1-4', { status: 'running', parentId: 'TASK-1-3' }),
      taskView('TASK-1-5', { status: 'blocked' }),
      taskView('TASK-1-6', { status: 'cancelled' }),
    ];
    const run = dashboardRun({ status: 'running', endedAt: null, maxParallel: 3 });
    const model = summaryModel(dashboardState({ tasks, run, running: true, timeline: [dashboardAttempt('TASK-1-1', 0, RUN_START, null)] }), RUN_START + 42_000);
    assert.deepEqual(card(model, 'Tasks'), { value: '5' });
    assert.deepEqual(card(model, 'Completed'), { value: '1', tone: 'ok' });
    assert.deepEqual(card(model, 'Running'), { value: '1', tone: 'info' });
    assert.deepEqual(card(model, 'Failed'), { value: '1', tone: 'bad' });
    assert.deepEqual(card(model, 'Blocked / cancelled'), { value: '1 / 1', tone: 'warn' });
    assert.deepEqual(card(model, 'Duration'), { value: '42s' });
    assert.deepEqual(card(model, 'Attempts'), { value: '1' });
    assert.deepEqual(card(model, 'Peak parallel'), { value: '— / 3' });
    assert.deepEqual(card(model, 'Cost'), { value: '$0.15' });
    assert.deepEqual(card(model, 'Tokens in / out'), { value: '1.6k / 200' });
    assert.deepEqual(model.runLine, { status: 'running', badge: 'running', details: [' Run orch-1', ' · wait_all', ' · max 3 parallel'] });
    assert.equal(model.share, 1 / 5);
  });

  it('a paused run says paused on its badge; a run without a strategy leaves it out', () => {
    const paused = summaryModel(dashboardState({ run: dashboardRun({ status: 'running', endedAt: null, strategy: null }), running: true, paused: true }), RUN_START);
    assert.deepEqual(paused.runLine, { status: 'running', badge: 'paused', details: [' Run orch-1', '', ' · max 4 parallel'] });
    const ended = summaryModel(dashboardState({ run: dashboardRun({ status: 'failed' }), paused: true }), RUN_START);
    assert.equal(ended.runLine?.badge, 'failed', 'once the run is over its own status shows');
  });

  it('after a run with metrics: the report’s numbers, not the tasks’, with its branches and summary.md', () => {
    const tasks = [taskView('TASK-1-1', { status: 'completed', costUsd: 9 }), taskView('TASK-1-2', { status: 'completed' })];
    const run = dashboardRun({ metrics: METRICS, summaryMd: '# Run orch-1', maxParallel: 2 });
    const model = summaryModel(dashboardState({ tasks, run }), RUN_START + 999_999);
    assert.deepEqual(card(model, 'Duration'), { value: '2:05' });
    assert.deepEqual(card(model, 'Avg agent'), { value: '42s' });
    assert.deepEqual(card(model, 'Attempts'), { value: '5' });
    assert.deepEqual(card(model, 'Peak parallel'), { value: '2 / 2' });
    assert.deepEqual(card(model, 'Cost'), { value: '$0.16' });
    assert.deepEqual(card(model, 'Tokens in / out'), { value: '1.5k / 305' });
    assert.deepEqual(card(model, 'Failed'), { value: '0' }, 'the cards count the tasks as they are now');
    assert.deepEqual([model.completed, model.total, model.share], [2, 2, 1]);
    assert.deepEqual(model.branches, ['orch/TASK-1-1/a1', 'orch/TASK-1-2/a1']);
    assert.equal(model.summaryMd, '# Run orch-1');
  });

  it('an ended run without metrics times the run itself', () => {
    const model = summaryModel(dashboardState({ run: dashboardRun({ endedAt: RUN_START + 65_000 }) }), RUN_START + 999_999);
    assert.deepEqual(card(model, 'Duration'), { value: '1:05' });
    assert.deepEqual(card(model, 'Avg agent'), { value: '—' });
  });
});
