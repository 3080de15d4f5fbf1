// How full the slots of a run were, from its attempts' start and end times: busy slot-time ÷
// (maxParallel × window). Two windows: the whole run (first start → last end), and the part
// while work was still queued (first start → last start). The second is the orchestrator's
// figure: after the last start too few tasks are left to fill the slots whatever it does, so
// the drain at the end says how the plan ends, not how fast a freed slot is refilled.

export interface AttemptWindow {
  readonly start: number;
  readonly end: number;
}

export interface BusyFractions {
  readonly whileQueued: number;
  readonly wholeRun: number;
}

/** Busy slot-time inside [from, to]: each attempt's overlap with the window. */
function busyWithin(windows: readonly AttemptWindow[], from: number, to: number): number {
  let busy = 0;
  for (const w of windows) busy += Math.max(0, Math.min(w.end, to) - Math.max(w.start, from));
  return busy;
}

export function busyFractions(windows: readonly AttemptWindow[], maxParallel: number): BusyFractions {
  if (windows.length === 0) throw new Error('busyFractions: no finished attempts');
  if (!(maxParallel >= 1)) throw new Error(`busyFractions: maxParallel must be at least 1, not ${maxParallel}`);
  const firstStart = Math.min(...windows.map((w) => w.start));
  const lastStart = Math.max(...windows.map((w) => w.start));
  const lastEnd = Math.max(...windows.map((w) => w.end));
  const fraction = (to: number) => (to > firstStart ? round3(busyWithin(windows, firstStart, to) / (maxParallel * (to - firstStart))) : 1);
  return { whileQueued: fraction(lastStart), wholeRun: fraction(lastEnd) };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
