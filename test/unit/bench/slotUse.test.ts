// bench/slotUse.ts: the slots_busy figure of scale.run_500 (docs/benchmarks.md), from attempt windows.
import * as assert from 'node:assert/strict';
import { busyFractions } from '../../../bench/slotUse';

describe('busyFractions (bench/slotUse.ts)', () => {
  it('is 1 when every slot is refilled the moment it frees', () => {
    // Two slots, three back-to-back attempts each.
    const windows = [0, 1, 2].flatMap((k) => [{ start: k * 100, end: (k + 1) * 100 }, { start: k * 100, end: (k + 1) * 100 }]);
    assert.deepEqual(busyFractions(windows, 2), { whileQueued: 1, wholeRun: 1 });
  });

  it('counts a refill gap against the slots while work is queued', () => {
    // Slot A: 0–100, 150–250 (a 50 ms gap); slot B: 0–250. Queued window 0–150: busy 100 + 150 of 300.
    const windows = [
      { start: 0, end: 100 },
      { start: 150, end: 250 },
      { start: 0, end: 250 },
    ];
    assert.deepEqual(busyFractions(windows, 2), { whileQueued: 0.833, wholeRun: 0.9 });
  });

  it('leaves the drain after the last start out of the queued figure only', () => {
    // Four slots; the last attempt starts at 100 alone and runs to 200: three slots idle then.
    const windows = [0, 1, 2, 3].map(() => ({ start: 0, end: 100 })).concat([{ start: 100, end: 200 }]);
    assert.deepEqual(busyFractions(windows, 4), { whileQueued: 1, wholeRun: 0.625 });
  });

  it('refuses no attempts and a maxParallel below 1, saying which', () => {
    assert.throws(() => busyFractions([], 4), /no finished attempts/);
    assert.throws(() => busyFractions([{ start: 0, end: 1 }], 0), /maxParallel must be at least 1, not 0/);
  });
});
