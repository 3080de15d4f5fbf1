import type { PlanTask, Strategy, TaskStatus } from '../model';
import type { Clock } from './clock';

/** What the scheduler hands the executor for one attempt of one task. */
export interface AttemptContext {
  /** 1 for the first run, 2 for the first retry, … */
  readonly attempt: number;
  /** Aborted on time-out, cancel or a race/fail-fast stop: the executor must kill the agent's process tree. */
  readonly signal: AbortSignal;
  /** The tail of the previous attempt's failure, so a retry prompt can say what went wrong. */
  readonly previousFailure: string | undefined;
}

export type AttemptResult =
  | { readonly outcome: 'succeeded' }
  | { readonly outcome: 'failed'; readonly error: string; readonly tail?: string }
  /** The task cannot run as planned (its dependencies' work conflicts): no retry, dependents blocked. */
  | { readonly outcome: 'blocked'; readonly error: string }
  /** The agent's service refused for a rate or usage limit: pause starts, requeue, do not count a retry. */
  | { readonly outcome: 'rate_limited'; readonly message: string; readonly retryAfterMs?: number }
  /**
   * The agent is not logged in: no retry will fix that, so the task fails at once and no other
   * task of the same agent profile starts in this run (they become blocked, and `retry` can
   * requeue them once the user has logged in).
   */
  | { readonly outcome: 'auth_failed'; readonly agent: string; readonly error: string; readonly tail?: string };

/** The port through which the scheduler runs work: real agent processes, or a simulation. */
export interface TaskExecutor {
  execute(task: PlanTask, context: AttemptContext): Promise<AttemptResult>;
}

/** `waiting`: planned, not handed to an agent yet (no orchestrator_task row exists). */
export type SchedulerState = 'waiting' | TaskStatus;

export interface TransitionNotice {
  readonly taskId: string;
  readonly from: SchedulerState;
  readonly to: TaskStatus;
  readonly reason: string;
  readonly attempt: number;
  readonly error?: string;
}

export interface SchedulerDecision {
  readonly kind: 'paused' | 'resumed' | 'rate_limited' | 'auth_failed' | 'stopping' | 'retry_scheduled' | 'finished';
  readonly message: string;
  readonly taskId?: string;
}

/**
 * Receives every state change, in order, synchronously: the store records each one (its event trace)
 * before the scheduler moves on, so a crash never loses a transition that had consequences.
 */
export interface SchedulerObserver {
  onTransition(notice: TransitionNotice): void;
  onDecision?(decision: SchedulerDecision): void;
}

export interface SchedulerOptions {
  /** How many agents run at once (defaults: src/core/settings.ts). */
  readonly maxParallel?: number;
  /** How long one attempt may run (defaults: src/core/settings.ts). */
  readonly timeoutMs?: number;
  /** Retries after a failure or time-out (not after a cancel or a rate limit). */
  readonly maxRetries?: number;
  /** First retry waits this long; each further one twice as long, capped at 5 minutes. */
  readonly retryBaseDelayMs?: number;
  /** How long starts pause after a rate limit when the agent does not say. */
  readonly rateLimitPauseMs?: number;
  /** Requeues after rate limits per task and run; one more rate limit fails the task. Default 3. */
  readonly maxRateLimitRequeues?: number;
  /** The agent profile a task runs with: an authentication failure stops that profile's other tasks. */
  readonly agentOf?: (task: PlanTask) => string;
  readonly strategy?: Strategy;
  readonly threshold?: number;
  readonly clock?: Clock;
  /** Whether two tasks' declared `files` may touch a common file; such tasks never run together. */
  readonly filesOverlap?: (a: readonly string[], b: readonly string[]) => boolean;
  /**
   * Run only these tasks and what they need: their unfinished prerequisites, and whole fan-out
   * groups. Tasks outside stay as they are. All tasks run when absent.
   */
  readonly only?: readonly string[];
  /** Where a resumed run starts from: statuses and retry counts recorded by an earlier run. */
  readonly initialStatuses?: ReadonlyMap<string, TaskStatus>;
  readonly initialRetryCounts?: ReadonlyMap<string, number>;
}

export interface RunOutcome {
  /** `completed` when the run's strategy judges it a success. */
  readonly status: TaskStatus;
  readonly statuses: ReadonlyMap<string, TaskStatus>;
  readonly counts: Readonly<Record<TaskStatus, number>>;
}
