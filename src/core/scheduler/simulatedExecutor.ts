import { peakOverlap } from '../intervals';
import type { PlanTask } from '../model';
import type { Clock } from './clock';
import type { AttemptContext, AttemptResult, TaskExecutor } from './types';

/** What a simulated agent does on one attempt: how long it takes and how it ends. */
export interface SimulatedAttempt {
  readonly durationMs: number;
  readonly result?: AttemptResult;
}

export interface ExecutionRecord {
  readonly taskId: string;
  readonly attempt: number;
  readonly startedAt: number;
  endedAt: number | undefined;
  aborted: boolean;
}

/**
 * An executor whose agents take simulated time on a (usually simulated) clock: the benchmark and
 * the scheduler's unit tests use it to drive the real scheduling policy. It records every attempt,
 * so tests can check order, overlap and the concurrency cap from the timeline itself.
 */
export class SimulatedExecutor implements TaskExecutor {
  readonly records: ExecutionRecord[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly plan: (task: PlanTask, context: AttemptContext) => SimulatedAttempt,
  ) {}

  execute(task: PlanTask, context: AttemptContext): Promise<AttemptResult> {
    const { durationMs, result = { outcome: 'succeeded' } } = this.plan(task, context);
    const record: ExecutionRecord = { taskId: task.id, attempt: context.attempt, startedAt: this.clock.now(), endedAt: undefined, aborted: false };
    this.records.push(record);
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        record.endedAt = this.clock.now();
        resolve(result);
      }, durationMs);
      context.signal.addEventListener(
        'abort',
        () => {
          timer.cancel();
          record.endedAt = this.clock.now();
          record.aborted = true;
          resolve({ outcome: 'failed', error: 'aborted' });
        },
        { once: true },
      );
    });
  }

  /** The most attempts that were running at the same instant. */
  maxConcurrency(): number {
    return peakOverlap(this.records.map((r) => ({ start: r.startedAt, end: r.endedAt ?? Number.POSITIVE_INFINITY })));
  }
}
