// Time as a port: production uses the system clock; tests and the benchmark drive the same
// scheduling policy with a simulated clock, so hours of agent work take microseconds.

export type TimerHandle = { readonly cancel: () => void };

export interface Clock {
  /** Milliseconds since an arbitrary origin. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    // Not unref()'d: a pending retry or rate-limit pause is work the run still owes, and while it
    // waits it may be the only thing left on the event loop (no agent runs). An unref()'d timer let
    // the CLI exit 0 in the middle of a run. The scheduler cancels its timers when the run ends
    // (attempt time-outs when the attempt settles, the rate-limit pause at the finish; a run never
    // finishes with a retry pending), so none outlives the run.
    const timer = setTimeout(callback, ms);
    return { cancel: () => clearTimeout(timer) };
  },
};
