// After a rate limit no task starts until the limit should have lifted: one pause for the whole
// run, lengthened (never shortened) by later limits. Running agents go on meanwhile.
import type { Clock, TimerHandle } from './clock';
import type { SchedulerDecision } from './types';

export class RateLimitPause {
  private timer: TimerHandle | undefined;
  private until = 0;

  constructor(
    private readonly clock: Clock,
    private readonly decide: (decision: SchedulerDecision) => void,
    /** Called when the pause is over: starts may resume. */
    private readonly onOver: () => void,
  ) {}

  /** Whether starts are paused now. */
  get active(): boolean {
    return this.timer !== undefined;
  }

  /** Pauses starts for `ms` from now, unless they are already paused at least that long. */
  pause(ms: number, message: string, taskId: string, what: string): void {
    const until = this.clock.now() + ms;
    if (until <= this.until) {
      this.decide({ kind: 'rate_limited', taskId, message: `${what}; starts already paused: ${message}` });
      return;
    }
    this.until = until;
    this.timer?.cancel();
    this.decide({ kind: 'rate_limited', taskId, message: `${what}; starts paused for ${ms} ms: ${message}` });
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.decide({ kind: 'resumed', message: 'rate-limit pause over' });
      this.onOver();
    }, ms);
  }

  /** The run is over: no timer may outlive it. */
  cancel(): void {
    this.timer?.cancel();
  }
}
