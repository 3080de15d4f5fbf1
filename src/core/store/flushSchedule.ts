// When the in-memory database goes to disk. Every flush writes the whole file, so writes are
// batched: a batch is flushed a while after its first change, or sooner once it holds many
// transactions; an urgent change (a terminal state, a plan import, a run's end) is flushed at once,
// but a burst of them shares one write. Flushes never overlap, and a failed background flush is
// tried again later, each time waiting twice as long. A big database's flushes are also spaced by
// their own cost (FLUSH_COST_SPACING), so that writing it never takes more than about a tenth of the
// time, however often tasks finish.
export interface FlushTiming {
  /** A batch of writes is flushed this long after its first change. */
  readonly flushDelayMs?: number;
  /** ...or as soon as it holds this many committed transactions. */
  readonly flushEveryChanges?: number;
  /** Urgent flushes start at most this often; a burst of them shares one write. */
  readonly urgentFlushIntervalMs?: number;
  /** The cost spacing's ceiling (FLUSH_COST_SPACING): a flush starts at least this often while changes wait. */
  readonly maxFlushIntervalMs?: number;
}

export interface FlushStats {
  readonly flushes: number;
  readonly lastFlushMs: number | undefined;
  readonly lastFlushBytes: number | undefined;
  /** Committed changes not yet on disk. */
  readonly pendingChanges: number;
}

/** The store's side of a flush (database.ts). */
export interface FlushTarget {
  /** Open and holding the writer lock: nothing is written otherwise. */
  canWrite(): boolean;
  /** Throws (LockLostError) unless the writer lock is still ours. */
  verify(): void;
  /** Writes the whole database atomically and returns its size in bytes. `first`: no flush succeeded before. */
  write(first: boolean): Promise<number>;
  /** Failures nobody awaits: background flushes. */
  report(error: Error): void;
}

export const DEFAULT_FLUSH_DELAY_MS = 250;
export const DEFAULT_FLUSH_EVERY_CHANGES = 50;
/**
 * When agents finish in a burst (short tasks, or many at once), each completion would write the
 * whole database again: at most one flush starts per this interval, so a terminal state reaches
 * the disk within it. Rare completions (the normal case) are still written at once.
 */
export const DEFAULT_URGENT_FLUSH_INTERVAL_MS = 100;
const MAX_RETRY_DELAY_MS = 30_000;
/**
 * Each flush exports and writes the whole file: 22 MiB took ~165 ms of a core in the host bench
 * (docs/benchmarks.md), and with tasks finishing every few hundred milliseconds the store's worker
 * was busy a third of the run (331 flushes, 54.7 s), CPU the agents and the editor then lacked.
 * So the next flush starts no sooner than this many times the last one's duration after it: a
 * small database (a few ms per flush) keeps the 100 ms interval, a big one is written about every
 * 1.6 s, at most DEFAULT_MAX_FLUSH_INTERVAL_MS. Crash safety is unchanged in kind: whatever was
 * not yet written is what recovery already handles after a kill between two flushes.
 */
export const FLUSH_COST_SPACING = 10;
export const DEFAULT_MAX_FLUSH_INTERVAL_MS = 2_000;

export class FlushSchedule {
  private generation = 0;
  private flushedGeneration = 0;
  private flushing: Promise<void> = Promise.resolve();
  /** A flush's write is under way. */
  private writing = false;
  /** Cancels the pending flush timer, if there is one. */
  private timer: (() => void) | undefined;
  /** When the pending timer fires (performance.now() time). */
  private timerDueAt = 0;
  private lastFlushStartedAt = Number.NEGATIVE_INFINITY;
  private consecutiveFailures = 0;
  private flushes = 0;
  private lastFlushMs: number | undefined;
  private lastFlushBytes: number | undefined;

  constructor(
    private readonly timing: FlushTiming,
    private readonly target: FlushTarget,
  ) {}

  /** A transaction committed: schedules its flush (`urgent`: as soon as the interval allows). */
  changed(urgent: boolean): void {
    this.generation++;
    const pending = this.generation - this.flushedGeneration;
    const now = performance.now();
    if (urgent || pending >= (this.timing.flushEveryChanges ?? DEFAULT_FLUSH_EVERY_CHANGES)) {
      const dueAt = this.earliestNextStart();
      if (!this.timer || this.timerDueAt > dueAt) this.schedule(Math.max(0, dueAt - now));
    } else if (!this.timer) {
      this.schedule(Math.max(this.timing.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS, this.earliestNextStart() - now));
    }
  }

  /**
   * When the next flush may start (performance.now() time): the last one's start plus the urgent
   * interval, or plus its cost spacing if that is longer.
   */
  private earliestNextStart(): number {
    const urgentInterval = this.timing.urgentFlushIntervalMs ?? DEFAULT_URGENT_FLUSH_INTERVAL_MS;
    const bySize = Math.min((this.lastFlushMs ?? 0) * FLUSH_COST_SPACING, this.timing.maxFlushIntervalMs ?? DEFAULT_MAX_FLUSH_INTERVAL_MS);
    return this.lastFlushStartedAt + Math.max(urgentInterval, bySize);
  }

  /** Memory changed outside a transaction (a migration): the next flush writes it, none is scheduled. */
  changedUnscheduled(): void {
    this.generation++;
  }

  /** The content was replaced from disk: nothing in memory is pending any more. */
  reset(): void {
    this.generation = 0;
    this.flushedGeneration = 0;
  }

  stats(): FlushStats {
    return {
      flushes: this.flushes,
      lastFlushMs: this.lastFlushMs,
      lastFlushBytes: this.lastFlushBytes,
      pendingChanges: this.generation - this.flushedGeneration,
    };
  }

  /** Writes all committed changes to disk now; resolves when they are durable. */
  flush(): Promise<void> {
    this.cancel();
    const next = this.flushing.catch(() => undefined).then(() => this.writeToDisk());
    this.flushing = next;
    return next;
  }

  /** Drops the pending flush timer, if any (closing, or the lock was lost). */
  cancel(): void {
    this.timer?.();
    this.timer = undefined;
  }

  private async writeToDisk(): Promise<void> {
    if (!this.target.canWrite() || this.generation === this.flushedGeneration) return;
    this.target.verify();
    const generation = this.generation;
    const started = performance.now();
    this.lastFlushStartedAt = started;
    this.writing = true;
    let bytes: number;
    try {
      bytes = await this.target.write(this.flushes === 0);
    } finally {
      this.writing = false;
    }
    this.flushedGeneration = generation;
    this.consecutiveFailures = 0;
    this.flushes++;
    this.lastFlushMs = performance.now() - started;
    this.lastFlushBytes = bytes;
  }

  private schedule(delayMs: number): void {
    this.cancel();
    this.timerDueAt = performance.now() + delayMs;
    const fire = (): void => {
      this.timer = undefined;
      // A flush that ended after this one was scheduled may have shown the database to be costly
      // to write (the first flush after opening, say): then this one waits for the spacing too.
      // One still writing is waited for first, since its duration sets the spacing.
      if (this.writing) {
        void this.flushing.catch(() => undefined).then(() => {
          if (this.target.canWrite() && !this.timer) this.schedule(0);
        });
        return;
      }
      const wait = this.earliestNextStart() - performance.now();
      if (wait > 1) this.schedule(wait);
      else void this.backgroundFlush();
    };
    // A flush due now still waits for the end of this turn of the event loop, so that the writes
    // of one turn share it: the last task's final state and the run's end are one flush, not two.
    if (delayMs <= 0) {
      const immediate = setImmediate(fire);
      this.timer = () => clearImmediate(immediate);
    } else {
      const timeout = setTimeout(fire, delayMs);
      this.timer = () => clearTimeout(timeout);
    }
  }

  private async backgroundFlush(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      this.target.report(error as Error);
      // Every flush writes the whole database, so one later success repairs all earlier failures.
      if (this.target.canWrite() && !this.timer) {
        this.consecutiveFailures++;
        const base = this.timing.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS;
        this.schedule(Math.min(base * 2 ** this.consecutiveFailures, MAX_RETRY_DELAY_MS));
      }
    }
  }
}
