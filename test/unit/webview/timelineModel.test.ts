// The timeline: the axis over the run, a row per parallel slot, a bar per attempt placed by time.
import * as assert from 'node:assert/strict';
import { TIMELINE_AXIS_HEIGHT, TIMELINE_ROW_HEIGHT, TIMELINE_SPACE_PER_ATTEMPT, TIMELINE_WIDTH, timelineModel, type TimelineModel } from '../../../webview-ui/src/timelineModel';
import { dashboardAttempt, dashboardRun, RUN_START } from './dashboardFixtures';

type Chart = Extract<TimelineModel, { kind: 'chart' }>;

function chart(model: TimelineModel): Chart {
  assert.equal(model.kind, 'chart');
  return model as Chart;
}

const S = 1000;

describe('webview: timeline model', () => {
  it('says why there is nothing to draw', () => {
    assert.deepEqual(timelineModel(null, [], RUN_START), { kind: 'empty', message: 'No run yet.' });
    assert.deepEqual(timelineModel(dashboardRun(), [], RUN_START), { kind: 'empty', message: 'No agent has started in this run yet.' });
  });

  it('places bars left to right by time, one row per slot, later attempts further right', () => {
    const run = dashboardRun({ startedAt: RUN_START, endedAt: RUN_START + 10 * S });
    const model = chart(
      timelineModel(
        run,
        [
          dashboardAttempt('TASK-1-1', 0, RUN_START, RUN_START + 5 * S),
          dashboardAttempt('TASK-1-2', 1, RUN_START + 1 * S, RUN_START + 3 * S, { outcome: 'failed' }),
          dashboardAttempt('TASK-1-3', 0, RUN_START + 5 * S, RUN_START + 10 * S),
        ],
        RUN_START + 60 * S,
      ),
    );
    assert.equal(model.slots, 2);
    assert.equal(model.height, TIMELINE_AXIS_HEIGHT + 2 * TIMELINE_ROW_HEIGHT);
    const [first, second, third] = model.bars;
    assert.equal(first.y, third.y, 'same slot, same row');
    assert.equal(second.y, first.y + TIMELINE_ROW_HEIGHT);
    assert.ok(first.x < second.x && second.x < third.x);
    assert.ok(Math.abs(first.x + first.width - third.x) < 1e-9, 'the next attempt in a slot starts where the last one ended');
    assert.ok(Math.abs(first.width - third.width) < 1e-9, 'equal durations, equal widths');
    assert.deepEqual(
      model.bars.map((b) => b.status),
      ['completed', 'failed', 'completed'],
    );
    assert.equal(model.ariaLabel, '3 attempts in 2 slots over 10s');
  });

  it('labels the axis in seconds on a short run and in minutes on a longer one', () => {
    const short = chart(timelineModel(dashboardRun({ endedAt: RUN_START + 10 * S }), [dashboardAttempt('TASK-1-1', 0, RUN_START, RUN_START + 10 * S)], RUN_START));
    assert.deepEqual(
      short.ticks.map((t) => [t.label, t.anchor]),
      [
        ['+0.0s', 'start'],
        ['+2.5s', 'middle'],
        ['+5.0s', 'middle'],
        ['+7.5s', 'middle'],
        ['+10.0s', 'end'],
      ],
    );
    const long = chart(timelineModel(dashboardRun({ endedAt: RUN_START + 240 * S }), [dashboardAttempt('TASK-1-1', 0, RUN_START, RUN_START + 240 * S)], RUN_START));
    assert.deepEqual(long.ticks.map((t) => t.label), ['+0s', '+1:00', '+2:00', '+3:00', '+4:00']);
  });

  it('grows a running attempt (and a running run) up to now', () => {
    const run = dashboardRun({ status: 'running', endedAt: null });
    const earlier = chart(timelineModel(run, [dashboardAttempt('TASK-1-1', 0, RUN_START, null)], RUN_START + 10 * S));
    const later = chart(timelineModel(run, [dashboardAttempt('TASK-1-1', 0, RUN_START, null)], RUN_START + 20 * S));
    assert.equal(earlier.bars[0].status, 'running');
    assert.equal(earlier.bars[0].title, 'TASK-1-1 · running · 10s · scripted');
    assert.equal(later.bars[0].title, 'TASK-1-1 · running · 20s · scripted');
    assert.equal(earlier.ticks.at(-1)?.label, '+10.0s');
    assert.equal(later.ticks.at(-1)?.label, '+20s', 'from 20 s on, the axis counts in whole seconds and minutes');
  });

  it('names retries, and draws a label only where it fits the bar', () => {
    const model = chart(
      timelineModel(
        dashboardRun({ endedAt: RUN_START + 100 * S }),
        [
          dashboardAttempt('TASK-1-1', 0, RUN_START, RUN_START + 90 * S, { attempt: 2, outcome: 'timed_out', agent: null }),
          dashboardAttempt('TASK-1-2', 1, RUN_START, RUN_START + 100),
        ],
        RUN_START,
      ),
    );
    const [retry, blip] = model.bars;
    assert.deepEqual([retry.label, retry.labelFits, retry.title], ['TASK-1-1 #2', true, 'TASK-1-1 #2 · timed out · 1:30']);
    assert.deepEqual([blip.label, blip.labelFits], ['TASK-1-2', false]);
    assert.ok(blip.width >= 2, 'even a blip stays visible');
  });

  it('keeps a short run panel-wide, and makes a long run wider (to scroll) instead of squeezing its bars', () => {
    const short = timelineModel(dashboardRun(), [dashboardAttempt('TASK-1-1', 0, RUN_START, RUN_START + 5_000)], RUN_START + 65_000);
    assert.ok(short.kind === 'chart');
    assert.equal(short.width, TIMELINE_WIDTH);
    // 1,000 attempts in 8 slots, back to back.
    const attempts = Array.from({ length: 1000 }, (_, i) => dashboardAttempt(`TASK-1-${i + 1}`, i % 8, RUN_START + Math.floor(i / 8) * 60_000, RUN_START + (Math.floor(i / 8) + 1) * 60_000));
    const long = timelineModel(dashboardRun({ endedAt: RUN_START + 125 * 60_000 }), attempts, RUN_START + 125 * 60_000);
    assert.ok(long.kind === 'chart');
    assert.ok(long.width >= 125 * TIMELINE_SPACE_PER_ATTEMPT, `width ${long.width}`);
    assert.equal(long.height, TIMELINE_AXIS_HEIGHT + 8 * TIMELINE_ROW_HEIGHT, 'rows keep their height');
    const widths = long.bars.map((b) => b.width);
    assert.ok(Math.min(...widths) >= TIMELINE_SPACE_PER_ATTEMPT * 0.9, `narrowest bar ${Math.min(...widths)}`);
    assert.ok(long.bars.every((b) => b.labelFits), 'every bar has room for its label');
    assert.ok(Math.max(...long.bars.map((b) => b.x + b.width)) <= long.width);
    assert.ok(long.ticks.length > 5, 'more ticks on a longer axis');
  });
});
