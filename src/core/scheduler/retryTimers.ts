// Failures waiting for their retry: one timer per task. The wait doubles with each retry used, up
// to MAX_RETRY_DELAY_MS (src/core/settings.ts). While its timer runs a task is neither ready nor
// finished: its fan-out parent counts it as unfinished, and the run does not end.
import { MAX_RETRY_DELAY_MS } from '../settings';
import type { Clock, TimerHandle } from './clock';

/** The wait before the retry that follows `used` earlier retries. */
export function retryDelayMs(baseMs: number, used: number): number {
  return Math.min(baseMs * 2 ** used, MAX_RETRY_DELAY_MS);
}

export class RetryTimers {
  private readonly timers = new Map<string, TimerHandle>();

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.timers.size;
  }

  has(id: string): boolean {
    return this.timers.has(id);
  }

  /** Calls `onDue` after `delayMs`, once the timer is gone (`has(id)` is false again by then). */
  schedule(id: string, delayMs: number, onDue: () => void): void {
    this.timers.set(
      id,
      this.clock.setTimeout(() => {
        this.timers.delete(id);
        onDue();
      }, delayMs),
    );
  }

  /** Drops `id`'s pending retry; true if there was one. */
  drop(id: string): boolean {
    const timer = this.timers.get(id);
    timer?.cancel();
    return this.timers.delete(id);
  }
}
