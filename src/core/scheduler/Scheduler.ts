import PQueue from 'p-queue';
import { buildTaskGraph, prerequisitesOf } from '../graph';
import {
  DEFAULT_SUCCESS_THRESHOLD,
  FINAL_STATUSES,
  PRIORITY_RANK,
  TASK_STATUSES,
  isLegalTransition,
  type PlanTask,
  type TaskStatus,
} from '../model';
import { aggregateParentStatus } from '../strategy';
import { systemClock, type Clock, type TimerHandle } from './clock';
import type {
  AttemptResult,
  RunOutcome,
  SchedulerDecision,
  SchedulerObserver,
  SchedulerOptions,
  SchedulerState,
  TaskExecutor,
} from './types';

const DEFAULTS = {
  maxParallel: 4,
  timeoutMs: 30 * 60_000,
  maxRetries: 1,
  retryBaseDelayMs: 5_000,
  rateLimitPauseMs: 60_000,
  maxRateLimitRequeues: 3,
} as const;
const MAX_RETRY_DELAY_MS = 5 * 60_000;
const USER_STOP = 'cancelled by the user';

interface Slot {
  readonly controller: AbortController;
  /** Why the scheduler aborted the attempt, if it did: decides the final status whatever the agent says. */
  why: 'timeout' | 'cancel' | 'stop' | undefined;
  timer: TimerHandle | undefined;
}

const UNSUCCESSFUL: ReadonlySet<SchedulerState> = new Set(['failed', 'timed_out', 'cancelled', 'blocked']);

/**
 * The DAG scheduler. It keeps every slot busy while a ready task exists (work-conserving), starts
 * ready tasks by priority class, then longest remaining critical path, then plan order (age), never
 * runs two tasks whose declared files overlap, and applies time-outs, retries with backoff, rate-limit
 * pauses, the run strategy and fan-out parents' strategies. p-queue enforces the concurrency cap;
 * which task takes a free slot is this class's decision, made only when a slot is free, so a task
 * never waits in p-queue behind one that a later completion would have outranked.
 *
 * Every state change goes to the observer synchronously and in order (the store records it).
 */
export class Scheduler {
  private readonly tasks: ReadonlyMap<string, PlanTask>;
  private readonly position = new Map<string, number>();
  private readonly criticalPath: ReadonlyMap<string, number>;
  private readonly childrenOf = new Map<string, string[]>();
  /** A task's own dependencies plus, for a fan-out child, its parent's. */
  private readonly prerequisites = new Map<string, readonly string[]>();
  private readonly dependents = new Map<string, string[]>();
  private readonly state = new Map<string, SchedulerState>();
  /** The tasks this run may start or change (see SchedulerOptions.only). */
  private readonly included: ReadonlySet<string>;
  private readonly retries = new Map<string, number>();
  /** Rate limits met per task in this run. */
  private readonly rateLimits = new Map<string, number>();
  /** Agent profiles that failed to authenticate in this run, and the task that found out. */
  private readonly loggedOut = new Map<string, string>();
  private readonly lastFailure = new Map<string, string>();
  private readonly running = new Map<string, Slot>();
  private readonly retryTimers = new Map<string, TimerHandle>();
  private readonly queue: PQueue;
  private readonly clock: Clock;
  private readonly options: Required<Pick<SchedulerOptions, keyof typeof DEFAULTS>> & SchedulerOptions;
  private userPaused = false;
  private rateLimitTimer: TimerHandle | undefined;
  private rateLimitedUntil = 0;
  private stopReason: string | undefined;
  private finished = false;
  private settleRun: { resolve: (outcome: RunOutcome) => void; reject: (error: unknown) => void } | undefined;

  constructor(
    tasks: readonly PlanTask[],
    private readonly executor: TaskExecutor,
    private readonly observer: SchedulerObserver,
    options: SchedulerOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...withoutUndefined(options) };
    if (!Number.isInteger(this.options.maxParallel) || this.options.maxParallel < 1) {
      throw new Error(`maxParallel must be a whole number of at least 1 (got ${this.options.maxParallel})`);
    }
    this.clock = options.clock ?? systemClock;
    this.queue = new PQueue({ concurrency: this.options.maxParallel });
    this.tasks = new Map(tasks.map((task) => [task.id, task]));
    this.criticalPath = buildTaskGraph(tasks).criticalPathHours;
    tasks.forEach((task, at) => {
      this.position.set(task.id, at);
      this.dependents.set(task.id, []);
      if (task.parentId !== undefined) {
        const siblings = this.childrenOf.get(task.parentId) ?? [];
        siblings.push(task.id);
        this.childrenOf.set(task.parentId, siblings);
      }
    });
    for (const task of tasks) {
      const prerequisites = prerequisitesOf(task, this.tasks);
      this.prerequisites.set(task.id, prerequisites);
      for (const dependency of prerequisites) this.dependents.get(dependency)!.push(task.id);
    }
    for (const task of tasks) {
      const recorded = options.initialStatuses?.get(task.id);
      if (recorded === 'running') {
        throw new Error(`${task.id} is recorded as running: recover the run (mark it interrupted) before scheduling it again`);
      }
      this.state.set(task.id, recorded ?? 'waiting');
      this.retries.set(task.id, options.initialRetryCounts?.get(task.id) ?? 0);
    }
    this.included = options.only ? this.closureOf(options.only) : new Set(this.tasks.keys());
  }

  private closureOf(selected: readonly string[]): Set<string> {
    const included = new Set<string>();
    const stack = [...selected];
    for (const id of stack) if (!this.tasks.has(id)) throw new Error(`Unknown task ${id}`);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (included.has(id)) continue;
      included.add(id);
      const parentId = this.tasks.get(id)!.parentId;
      if (parentId !== undefined) stack.push(parentId);
      stack.push(...(this.childrenOf.get(id) ?? []));
      stack.push(...this.prerequisites.get(id)!.filter((dependency) => this.state.get(dependency) !== 'completed'));
    }
    return included;
  }

  /** The statuses of the tasks this run is about. */
  private *includedStates(): Iterable<[string, SchedulerState]> {
    for (const id of this.included) yield [id, this.state.get(id)!];
  }

  /** Runs until every task is final; resolves with the run's outcome under its strategy. */
  run(): Promise<RunOutcome> {
    if (this.settleRun) throw new Error('Scheduler.run() was already called');
    const outcome = new Promise<RunOutcome>((resolve, reject) => {
      this.settleRun = { resolve, reject };
    });
    this.guard(() => {
      for (const [id, status] of this.includedStates()) {
        if (status === 'interrupted' && !this.childrenOf.has(id)) this.move(id, 'spawned', 'requeued: the previous host stopped while it ran');
      }
      for (const [id, status] of this.includedStates()) {
        if (UNSUCCESSFUL.has(status)) this.blockDependents(id);
      }
      for (const parent of this.childrenOf.keys()) if (this.included.has(parent)) this.updateParent(parent);
      this.pump();
    });
    return outcome;
  }

  statusOf(taskId: string): SchedulerState | undefined {
    return this.state.get(taskId);
  }

  /** No new starts; running agents go on. */
  pause(): void {
    if (this.userPaused) return;
    this.userPaused = true;
    this.decide({ kind: 'paused', message: 'paused by the user: running agents go on, none start' });
  }

  resume(): void {
    if (!this.userPaused) return;
    this.userPaused = false;
    this.decide({ kind: 'resumed', message: 'resumed by the user' });
    this.guard(() => this.pump());
  }

  /** Cancels one task (a parent: all its unfinished children); its dependents become blocked. */
  cancel(taskId: string): void {
    if (!this.included.has(taskId)) throw new Error(`${taskId} is not part of this run`);
    this.guard(() => {
      const children = this.childrenOf.get(taskId);
      if (children) for (const child of children) this.cancelOne(child, `parent ${taskId} cancelled by the user`, 'cancel');
      else this.cancelOne(taskId, 'cancelled by the user', 'cancel');
      this.pump();
    });
  }

  /** Stops the run: nothing new starts, running agents are killed, every unfinished task is cancelled. */
  cancelAll(): void {
    this.guard(() => this.stop(USER_STOP));
  }

  private pump(): void {
    if (!this.stopReason && !this.userPaused && this.rateLimitTimer === undefined) {
      for (const task of this.readyTasks()) {
        if (this.running.size >= this.options.maxParallel || this.stopReason) break;
        // A retry that came due after its profile failed to authenticate.
        const agent = this.loggedOut.size > 0 ? this.options.agentOf?.(task) : undefined;
        if (agent !== undefined && this.loggedOut.has(agent)) {
          this.blockLoggedOut(task.id, agent);
          continue;
        }
        if (this.conflictsWithRunning(task)) continue;
        this.start(task);
      }
    }
    this.finishIfDone();
  }

  private readyTasks(): PlanTask[] {
    const ready: PlanTask[] = [];
    for (const [id, status] of this.includedStates()) {
      if (status !== 'waiting' && status !== 'spawned') continue;
      if (this.childrenOf.has(id) || this.retryTimers.has(id)) continue;
      if (this.prerequisites.get(id)!.every((dependency) => this.state.get(dependency) === 'completed')) ready.push(this.tasks.get(id)!);
    }
    return ready.sort((a, b) =>
      PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
      this.criticalPath.get(b.id)! - this.criticalPath.get(a.id)! ||
      this.position.get(a.id)! - this.position.get(b.id)!,
    );
  }

  private conflictsWithRunning(task: PlanTask): boolean {
    const overlap = this.options.filesOverlap;
    if (!overlap || task.files.length === 0) return false;
    for (const id of this.running.keys()) {
      const other = this.tasks.get(id)!;
      if (other.files.length > 0 && overlap(task.files, other.files)) return true;
    }
    return false;
  }

  private start(task: PlanTask): void {
    if (this.state.get(task.id) === 'waiting') this.move(task.id, 'spawned', 'ready: its dependencies completed');
    const attempt = this.retries.get(task.id)! + 1;
    const slot: Slot = { controller: new AbortController(), why: undefined, timer: undefined };
    this.running.set(task.id, slot);
    this.move(task.id, 'running', `attempt ${attempt} started`, undefined, attempt);
    slot.timer = this.clock.setTimeout(() => this.abort(slot, 'timeout'), this.options.timeoutMs);
    this.queue.add(() => this.runAttempt(task, attempt, slot)).catch((error: unknown) => this.settleRun?.reject(error));
  }

  private async runAttempt(task: PlanTask, attempt: number, slot: Slot): Promise<void> {
    let result: AttemptResult;
    try {
      result = await this.executor.execute(task, {
        attempt,
        signal: slot.controller.signal,
        previousFailure: this.lastFailure.get(task.id),
      });
    } catch (error) {
      result = { outcome: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
    slot.timer?.cancel();
    this.running.delete(task.id);
    this.guard(() => {
      this.settleAttempt(task, attempt, slot, result);
      this.pump();
    });
  }

  private settleAttempt(task: PlanTask, attempt: number, slot: Slot, result: AttemptResult): void {
    const id = task.id;
    if (slot.why === 'timeout') {
      const minutes = this.options.timeoutMs / 60_000;
      this.fail(id, 'timed_out', `timed out after ${Number.isInteger(minutes) ? `${minutes} min` : `${this.options.timeoutMs} ms`}`, attempt);
    } else if (slot.why === 'cancel' || slot.why === 'stop') {
      this.move(id, 'cancelled', slot.why === 'cancel' ? 'cancelled by the user' : `stopped: ${this.stopReason}`, undefined, attempt);
      this.afterFinal(id);
    } else if (result.outcome === 'succeeded') {
      this.move(id, 'completed', `attempt ${attempt} succeeded`, undefined, attempt);
      this.afterFinal(id);
    } else if (result.outcome === 'blocked') {
      this.move(id, 'blocked', `attempt ${attempt} blocked`, result.error, attempt);
      this.afterFinal(id);
    } else if (result.outcome === 'rate_limited') {
      this.rateLimited(id, attempt, result.message, result.retryAfterMs);
    } else if (result.outcome === 'auth_failed') {
      // No retry: the next attempt would meet the same closed door.
      this.move(id, 'failed', `attempt ${attempt} failed: not logged in`, result.error, attempt);
      this.afterFinal(id);
      this.stopProfile(result.agent, id);
    } else {
      this.fail(id, 'failed', result.error, attempt, result.tail);
    }
  }

  private fail(id: string, status: 'failed' | 'timed_out', error: string, attempt: number, tail?: string): void {
    this.lastFailure.set(id, tail ? `${error}\n${tail}` : error);
    const used = this.retries.get(id)!;
    const retry = used < this.options.maxRetries && !this.stopReason;
    if (retry) {
      // The timer exists before the move, so a fan-out parent sees a child that will retry as unfinished.
      const delay = Math.min(this.options.retryBaseDelayMs * 2 ** used, MAX_RETRY_DELAY_MS);
      this.retryTimers.set(
        id,
        this.clock.setTimeout(() => {
          this.retryTimers.delete(id);
          this.guard(() => {
            if (this.stopReason) return this.finishIfDone();
            this.retries.set(id, used + 1);
            this.move(id, 'spawned', `retry ${used + 1} of ${this.options.maxRetries}`, undefined, used + 2);
            this.pump();
          });
        }, delay),
      );
      this.move(id, status, `attempt ${attempt} ${status === 'failed' ? 'failed' : 'timed out'}`, error, attempt);
      this.decide({ kind: 'retry_scheduled', taskId: id, message: `retry ${used + 1} of ${this.options.maxRetries} in ${delay} ms` });
      return;
    }
    this.move(id, status, `attempt ${attempt} ${status === 'failed' ? 'failed' : 'timed out'}`, error, attempt);
    this.afterFinal(id);
  }

  /** Consequences of a task reaching a final status: blocked dependents, the run's strategy. */
  private afterFinal(id: string): void {
    const status = this.state.get(id)!;
    if (UNSUCCESSFUL.has(status)) this.blockDependents(id);
    if (this.tasks.get(id)!.parentId !== undefined) return; // judged by its parent's strategy
    const strategy = this.options.strategy ?? 'wait_all';
    if (strategy === 'fail_fast' && (status === 'failed' || status === 'timed_out')) this.stop(`fail_fast: ${id} ${status}`);
    if (strategy === 'race' && status === 'completed') this.stop(`race: ${id} completed first`);
  }

  private blockDependents(id: string): void {
    const status = this.state.get(id);
    for (const dependent of this.dependents.get(id)!) {
      if (!this.included.has(dependent)) continue;
      const current = this.state.get(dependent);
      if (current !== 'waiting' && current !== 'spawned') continue;
      this.retryTimers.get(dependent)?.cancel();
      this.retryTimers.delete(dependent);
      this.move(dependent, 'blocked', `dependency ${id} ${status}`, `blocked: dependency ${id} ${status}`);
      this.afterFinal(dependent);
    }
  }

  private updateParent(parentId: string): void {
    const parent = this.tasks.get(parentId)!;
    const children = this.childrenOf.get(parentId)!;
    const statuses = children.map((child): TaskStatus => {
      const status = this.state.get(child)!;
      return status === 'waiting' || this.retryTimers.has(child) ? 'spawned' : status;
    });
    const target = aggregateParentStatus(parent.strategy ?? 'wait_all', parent.threshold, statuses);
    if (!this.moveParent(parentId, target, statuses)) return;
    if (FINAL_STATUSES.has(target)) {
      // race and fail_fast decide before every child finished: the rest are no longer needed.
      for (const child of children) this.cancelOne(child, `parent ${parentId} ${target}`, 'stop');
      this.afterFinal(parentId);
    }
  }

  /** Walks a parent along legal transitions to its aggregated status; false when nothing changed. */
  private moveParent(id: string, target: TaskStatus, childStatuses: readonly TaskStatus[]): boolean {
    let current = this.state.get(id)!;
    if (current === target || (current !== 'waiting' && FINAL_STATUSES.has(current))) return false;
    const done = childStatuses.filter((status) => status === 'completed').length;
    const reason = `sub-tasks: ${done} of ${childStatuses.length} completed`;
    // A group is dispatched when its first child starts, and a group under way never goes back.
    if (target === 'spawned') return false;
    if (target === 'blocked' || target === 'cancelled') {
      this.move(id, current === 'waiting' || isLegalTransition(current, target) ? target : 'cancelled', reason);
      return true;
    }
    if (current === 'waiting' || current === 'interrupted') {
      this.move(id, 'spawned', reason);
      current = 'spawned';
    }
    if (current === 'spawned') this.move(id, 'running', reason);
    if (target !== 'running') {
      const error = target === 'completed' ? undefined : `${childStatuses.length - done} of ${childStatuses.length} sub-tasks did not complete`;
      this.move(id, target, reason, error);
    }
    return true;
  }

  private cancelOne(id: string, reason: string, why: 'cancel' | 'stop'): void {
    const status = this.state.get(id)!;
    const slot = this.running.get(id);
    if (slot) {
      this.abort(slot, why);
    } else if (status === 'waiting' || status === 'spawned') {
      this.move(id, 'cancelled', reason);
      this.afterFinal(id);
    } else if (this.retryTimers.has(id)) {
      // A failure waiting for its retry: the retry is dropped and the failure becomes final.
      this.retryTimers.get(id)!.cancel();
      this.retryTimers.delete(id);
      this.afterFinal(id);
    }
  }

  private stop(reason: string): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    this.decide({ kind: 'stopping', message: reason });
    for (const id of this.included) if (!this.childrenOf.has(id)) this.cancelOne(id, `stopped: ${reason}`, 'stop');
    this.finishIfDone();
  }

  private abort(slot: Slot, why: 'timeout' | 'cancel' | 'stop'): void {
    slot.why ??= why;
    slot.controller.abort(new Error(why));
  }

  /**
   * A rate limit: requeue without using a retry and pause starts — but only so often, since a
   * limit that does not lift would otherwise discard the agent's work forever.
   */
  private rateLimited(id: string, attempt: number, message: string, retryAfterMs: number | undefined): void {
    const count = (this.rateLimits.get(id) ?? 0) + 1;
    this.rateLimits.set(id, count);
    const cap = this.options.maxRateLimitRequeues;
    if (count > cap) {
      this.move(id, 'failed', `attempt ${attempt} rate limited`, `rate limited ${count} times: ${message}`, attempt);
      this.afterFinal(id);
      return;
    }
    this.move(id, 'spawned', `requeued: rate limited (requeue ${count} of ${cap})`, undefined, attempt);
    this.pauseForRateLimit(retryAfterMs ?? this.options.rateLimitPauseMs, message, id, `${id} rate limited (requeue ${count} of ${cap})`);
  }

  /** No more starts of `agent` in this run: its waiting tasks become blocked, saying why. */
  private stopProfile(agent: string, foundBy: string): void {
    if (this.loggedOut.has(agent)) return;
    this.loggedOut.set(agent, foundBy);
    this.decide({ kind: 'auth_failed', taskId: foundBy, message: `the "${agent}" agent is not logged in: none of its tasks start in this run` });
    const agentOf = this.options.agentOf;
    if (!agentOf) return;
    for (const [id, status] of this.includedStates()) {
      if (this.childrenOf.has(id) || agentOf(this.tasks.get(id)!) !== agent) continue;
      const timer = this.retryTimers.get(id);
      if (timer) {
        // A failure waiting for its retry: the retry is dropped and the failure becomes final.
        timer.cancel();
        this.retryTimers.delete(id);
        this.afterFinal(id);
      } else if (status === 'waiting' || status === 'spawned') {
        this.blockLoggedOut(id, agent);
      }
    }
  }

  private blockLoggedOut(id: string, agent: string): void {
    const why = `blocked: the "${agent}" agent is not logged in (see ${this.loggedOut.get(agent)})`;
    this.move(id, 'blocked', why, why);
    this.afterFinal(id);
  }

  private pauseForRateLimit(ms: number, message: string, taskId: string, what: string): void {
    const until = this.clock.now() + ms;
    if (until <= this.rateLimitedUntil) {
      this.decide({ kind: 'rate_limited', taskId, message: `${what}; starts already paused: ${message}` });
      return;
    }
    this.rateLimitedUntil = until;
    this.rateLimitTimer?.cancel();
    this.decide({ kind: 'rate_limited', taskId, message: `${what}; starts paused for ${ms} ms: ${message}` });
    this.rateLimitTimer = this.clock.setTimeout(() => {
      this.rateLimitTimer = undefined;
      this.decide({ kind: 'resumed', message: 'rate-limit pause over' });
      this.guard(() => this.pump());
    }, ms);
  }

  private move(id: string, to: TaskStatus, reason: string, error?: string, attempt?: number): void {
    const from = this.state.get(id)!;
    const legal = from === 'waiting' ? to === 'spawned' || to === 'cancelled' || to === 'blocked' : isLegalTransition(from, to);
    if (!legal) throw new Error(`Scheduler bug: illegal transition of ${id} from ${from} to ${to} (${reason})`);
    this.state.set(id, to);
    this.observer.onTransition({ taskId: id, from, to, reason, error, attempt: attempt ?? this.retries.get(id)! + 1 });
    const parentId = this.tasks.get(id)!.parentId;
    if (parentId !== undefined) this.updateParent(parentId);
  }

  private decide(decision: SchedulerDecision): void {
    this.observer.onDecision?.(decision);
  }

  private finishIfDone(): void {
    if (!this.settleRun || this.finished || this.running.size > 0 || this.retryTimers.size > 0) return;
    for (const [, status] of this.includedStates()) if (!FINAL_STATUSES.has(status as TaskStatus)) return;
    this.rateLimitTimer?.cancel();
    const members = [...this.included].map((id) => this.tasks.get(id)!).filter((task) => task.parentId === undefined);
    const statuses = new Map([...this.includedStates()].map(([id, status]) => [id, status as TaskStatus]));
    const counts = Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as Record<TaskStatus, number>;
    for (const status of statuses.values()) counts[status] += 1;
    const status = this.stopReason === USER_STOP
      ? 'cancelled'
      : aggregateParentStatus(
          this.options.strategy ?? 'wait_all',
          this.options.threshold ?? DEFAULT_SUCCESS_THRESHOLD,
          members.map((task) => statuses.get(task.id)!),
        );
    this.finished = true;
    this.decide({ kind: 'finished', message: `run ${status}` });
    this.settleRun.resolve({ status, statuses, counts });
  }

  /** Runs a state change; an exception here is a bug or an observer failure and ends the run with it. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.settleRun?.reject(error);
    }
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
