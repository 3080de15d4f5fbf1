// One running attempt as the Scheduler holds it: the signal that stops the agent, why the Scheduler
// stopped it (that reason decides the final status, whatever the agent then reports), and the
// timer of its time-out.
import type { TimerHandle } from './clock';

export type AbortReason = 'timeout' | 'cancel' | 'stop';

export class AttemptSlot {
  readonly controller = new AbortController();
  /** Why the scheduler aborted the attempt, if it did: decides the final status whatever the agent says. */
  why: AbortReason | undefined;
  timer: TimerHandle | undefined;

  /** Stops the attempt; the first reason given is the one that counts. */
  abort(why: AbortReason): void {
    this.why ??= why;
    this.controller.abort(new Error(why));
  }
}

/** The error of an attempt that ran out of time: in minutes when they are whole, else in ms. */
export function timedOutError(timeoutMs: number): string {
  const minutes = timeoutMs / 60_000;
  return `timed out after ${Number.isInteger(minutes) ? `${minutes} min` : `${timeoutMs} ms`}`;
}
