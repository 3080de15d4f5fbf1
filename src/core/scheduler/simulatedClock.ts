import type { Clock, TimerHandle } from './clock';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * A discrete-event clock: time stands still until `advance()` jumps to the next timer. Between
 * jumps it lets every pending promise settle, so code written against real time (await an agent,
 * then start the next) runs unchanged and deterministically.
 */
export class SimulatedClock implements Clock {
  private time = 0;
  private seq = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, callback, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Resolves once `done` settles, advancing time whenever nothing else can happen. */
  async runUntil<T>(done: Promise<T>): Promise<T> {
    let settled = false;
    const result = done.finally(() => {
      settled = true;
    });
    for (;;) {
      await settle();
      if (settled) return result;
      if (!this.fireNext()) {
        await settle();
        if (settled) return result;
        throw new Error(`SimulatedClock: deadlock at t=${this.time} ms: nothing is scheduled and the awaited work never settles`);
      }
    }
  }

  private fireNext(): boolean {
    this.timers = this.timers.filter((timer) => !timer.cancelled);
    if (this.timers.length === 0) return false;
    let next = this.timers[0];
    for (const timer of this.timers) {
      if (timer.at < next.at || (timer.at === next.at && timer.seq < next.seq)) next = timer;
    }
    this.timers.splice(this.timers.indexOf(next), 1);
    this.time = next.at;
    next.callback();
    return true;
  }
}

/** Lets every queued promise reaction run (several macrotask turns cover chained awaits). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
