// When flushes start (src/core/store/flushSchedule.ts), with a target that records each write's
// start and takes as long as a database of a given size would: the schedule's contract is with
// its FlushTarget, and a real multi-MiB database would only make the timings slower and noisier.
import * as assert from 'node:assert/strict';
import { DEFAULT_URGENT_FLUSH_INTERVAL_MS, FLUSH_COST_SPACING, FlushSchedule, type FlushTarget, type FlushTiming } from '../../../src/core/store/flushSchedule';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A target whose every write takes `writeMs`; records when each one started. */
function timedTarget(writeMs: number): FlushTarget & { starts: number[] } {
  const starts: number[] = [];
  return {
    starts,
    canWrite: () => true,
    verify: () => undefined,
    async write() {
      starts.push(performance.now());
      await sleep(writeMs);
      return 1;
    },
    report: (error) => assert.fail(error),
  };
}

/** Urgent changes every `everyMs` for `forMs`; then waits until nothing is pending. */
async function urgentBurst(schedule: FlushSchedule, everyMs: number, forMs: number): Promise<void> {
  const end = performance.now() + forMs;
  while (performance.now() < end) {
    schedule.changed(true);
    await sleep(everyMs);
  }
  const deadline = performance.now() + 10_000;
  while (schedule.stats().pendingChanges > 0 && performance.now() < deadline) await sleep(10);
}

const gaps = (starts: readonly number[]) => starts.slice(1).map((at, i) => at - starts[i]!);

describe('flush schedule: spacing by cost', () => {
  const open: FlushSchedule[] = [];
  const make = (target: FlushTarget, timing: FlushTiming = {}) => {
    const schedule = new FlushSchedule({ flushDelayMs: 250, flushEveryChanges: 50, ...timing }, target);
    open.push(schedule);
    return schedule;
  };
  afterEach(() => open.splice(0).forEach((schedule) => schedule.cancel()));

  it('a cheap flush keeps the urgent interval: a burst is written about every 100 ms', async () => {
    const target = timedTarget(2);
    const schedule = make(target);
    await urgentBurst(schedule, 10, 600);
    assert.equal(schedule.stats().pendingChanges, 0, 'every change reached the disk');
    assert.ok(target.starts.length >= 4, `a 600 ms burst of cheap flushes is written several times (${target.starts.length})`);
    for (const gap of gaps(target.starts)) assert.ok(gap >= DEFAULT_URGENT_FLUSH_INTERVAL_MS - 5, `flushes at least the urgent interval apart (${gap.toFixed(0)} ms)`);
  });

  it('a costly flush is spaced by its own cost, so writing takes about a tenth of the time', async () => {
    const writeMs = 60;
    const target = timedTarget(writeMs);
    const schedule = make(target);
    await urgentBurst(schedule, 10, 1_500);
    assert.equal(schedule.stats().pendingChanges, 0, 'the burst\'s last change still reached the disk');
    const spacing = writeMs * FLUSH_COST_SPACING;
    for (const gap of gaps(target.starts)) assert.ok(gap >= spacing - 15, `flushes ${spacing} ms apart, not ${DEFAULT_URGENT_FLUSH_INTERVAL_MS} (${gap.toFixed(0)} ms)`);
    // Without the spacing a 1.5 s burst would start a flush every ~100 ms: 10 or more.
    assert.ok(target.starts.length <= 4, `${target.starts.length} flushes for a 1.5 s burst`);
  });

  it('the spacing has a ceiling: a very costly flush still starts at least every maxFlushIntervalMs', async () => {
    const target = timedTarget(150);
    const schedule = make(target, { maxFlushIntervalMs: 400 });
    await urgentBurst(schedule, 10, 1_300);
    assert.equal(schedule.stats().pendingChanges, 0);
    for (const gap of gaps(target.starts)) assert.ok(gap >= 385 && gap < 400 + 250, `flushes every ~400 ms, not 1,500 (${gap.toFixed(0)} ms)`);
  });

  it('a batch of ordinary changes after a costly flush waits for the spacing too', async () => {
    const target = timedTarget(50);
    const schedule = make(target, { flushDelayMs: 20 });
    schedule.changed(false);
    await sleep(100); // the first flush: 20 ms, then 50 ms of writing
    assert.equal(target.starts.length, 1);
    schedule.changed(false);
    await sleep(200);
    assert.equal(target.starts.length, 1, 'not 20 ms later: 500 ms after the last flush started');
    await sleep(400);
    assert.equal(target.starts.length, 2, 'written once the spacing passed');
    assert.ok(gaps(target.starts)[0]! >= 50 * FLUSH_COST_SPACING - 15);
  });
});
