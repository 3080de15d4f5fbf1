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
    const timer = setTimeout(callback, ms);
    // A pending retry or time-out must not keep a finished CLI process alive.
    timer.unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
};
