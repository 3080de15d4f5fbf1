// The store's façade: what the scheduler, the extension and the CLI call. Writes apply to the
// in-memory database synchronously and reach the disk in batches; terminal states, plan
// imports and run ends are flushed at once (in a burst, within 100 ms); `close()` flushes the rest.
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { ACTIVE_STATUSES, type Plan, type PlanSpec, type PlanTask, type TaskStatus } from '../model';
import { DEFAULT_SETTINGS } from '../settings';
import { attemptBranchOutcomes, closeOpenAttempts, finishAttempt, listAttempts, listRunAttempts, startAttempt, updateAttempt, type AttemptEnd, type AttemptProgress, type AttemptRecord, type AttemptStart } from './attempts';
import {
  createParallelTasks,
  DEFAULT_MAX_PARALLEL,
  type CreateParallelTasksOptions,
  type CreateParallelTasksResult,
  type ParallelTaskInput,
} from './createParallelTasks';
import { StoreDatabase, type StoreChange, type StoreOptions } from './database';
import type { StoreFileError } from './errors';
import { listEvents, recordEvent, type EventFilter, type EventRecord, type NewEvent } from './events';
import type { FlushStats } from './flushSchedule';
import { listPlanTasks, listSpecs, savePlan, type SavePlanResult } from './planImport';
import { listTasks, progressCounts, type ProgressCounts, type TaskFilter, type TaskView } from './queries';
import { beginRun, endRun, getRun, listRunningRuns, listRuns, type RunEnd, type RunRecord, type RunStart } from './runs';
import { getOrchestratorTask, listOrchestratorTasks, markSpecTasksReady, transitionTask, type OrchestratorTaskRecord, type TransitionOptions, type TransitionResult } from './taskRepository';
import { completeFromBranch, knownRunIds, recordAbandonedRun, type CommittedAttempt } from './recovery';
import { getReview, listReviews, recordReview, runBaseCommit, type ReviewWrite, type StoredReview } from './reviews';
import { queryOne } from './sqlite';
import { addFollowUp, followUpOfAttempt, listFollowUps, pendingFollowUp, takeFollowUp, type FollowUpRecord, type NewFollowUp } from './followUps';
import { listOverlaps, upsertOverlap, type OverlapRecord, type OverlapSighting, type OverlapUpdate } from './overlaps';
import type { LockOwner } from './lockOwner';
import { RunRetention } from './retention';

export * from './errors';
export type { AttemptEnd, AttemptProgress, AttemptRecord, AttemptStart } from './attempts';
export type { CreateParallelTasksFailure, CreateParallelTasksOptions, CreateParallelTasksResult, CreateParallelTasksSuccess, CreatedTask, ParallelTaskInput } from './createParallelTasks';
export { DEFAULT_MAX_PARALLEL } from './createParallelTasks';
export type { StoreChange, StoreOptions } from './database';
export type { FlushStats } from './flushSchedule';
export type { EventFilter, EventRecord, NewEvent, StoreEventKind } from './events';
export type { SavePlanResult } from './planImport';
export type { CommittedAttempt } from './recovery';
export type { DisplayStatus } from '../model';
export type { ProgressCounts, TaskFilter, TaskView } from './queries';
export type { RunEnd, RunRecord, RunStart, RunStatus } from './runs';
export type { ReviewWrite, StoredReview, StoredReviewState } from './reviews';
export { SCHEMA_VERSION } from './schema';
export type { OrchestratorTaskRecord, TransitionOptions, TransitionResult } from './taskRepository';
export type { LockOwner } from './lockOwner';
export type { FollowUpKindValue, FollowUpRecord, NewFollowUp } from './followUps';
export type { OverlapRecord, OverlapSighting, OverlapUpdate } from './overlaps';
export { checkKeepRuns, RetentionError, type PruneOptions, type PrunedRuns, type RunRetention } from './retention';

export interface RecoveryResult {
  readonly tasks: string[];
  readonly runs: string[];
  readonly attempts: number;
}

/** Whether a previous writer left anything marked as running: a task, an attempt or a run. */
function hasUnfinishedWork(db: Database): boolean {
  const row = queryOne<{ unfinished: number }>(
    db,
    `SELECT EXISTS (SELECT 1 FROM orchestrator_task WHERE status = 'running')
         OR EXISTS (SELECT 1 FROM orchestrator_attempt WHERE ended_at IS NULL)
         OR EXISTS (SELECT 1 FROM orchestrator_run WHERE status = 'running') AS unfinished`,
  );
  return row?.unfinished === 1;
}

/**
 * A task the run no longer holds (final, or interrupted by a host that died): its row must be on
 * disk before anyone relies on it.
 */
function isUrgent(status: TaskStatus): boolean {
  return !ACTIVE_STATUSES.has(status);
}

export class OrchestratorStore {
  private constructor(private readonly database: StoreDatabase) {}

  /** One database per workspace, in a folder of its own: the databasePath setting's default. */
  static defaultPath(workspaceRoot: string): string {
    return join(workspaceRoot, DEFAULT_SETTINGS.databasePath);
  }

  /**
   * Opens the database as its writer, or read-only if another live process holds the lock
   * (check `readOnly`). A file that is not a usable database throws StoreFileError and is left
   * untouched, unless `recover` lets the writer move it aside (then it is reported in `notice`).
   */
  static async open(path: string, options: StoreOptions = {}): Promise<OrchestratorStore> {
    return new OrchestratorStore(await StoreDatabase.open(path, options));
  }

  get path(): string {
    return this.database.path;
  }

  get readOnly(): boolean {
    return this.database.readOnly;
  }

  /** The file that was moved aside while opening, if any; show it to the user. */
  get notice(): StoreFileError | undefined {
    return this.database.notice;
  }

  lockOwner(): LockOwner | undefined {
    return this.database.lockOwner();
  }

  // ---- plan ----

  /**
   * Stores a plan; it reaches the disk at once unless `flushNow` is false (a run that follows at
   * once writes it with its own first states).
   */
  savePlan(plan: Plan, options: { readonly flushNow?: boolean } = {}): SavePlanResult {
    return this.database.write((db) => savePlan(db, plan), { urgent: options.flushNow ?? true });
  }

  listPlanTasks(specId?: string): PlanTask[] {
    return this.database.read((db) => listPlanTasks(db, specId));
  }

  listSpecs(): PlanSpec[] {
    return this.database.read((db) => listSpecs(db));
  }

  /** specs_task pending → ready; returns the ids that moved. */
  markSpecTasksReady(taskIds: readonly string[], runId?: string): string[] {
    return this.database.write((db) => markSpecTasksReady(db, taskIds, runId));
  }

  // ---- orchestration ----

  /** The orchestrator_task contract (docs/database.md): returns its success or error JSON; a failure changes nothing. */
  createParallelTasks(
    tasks: readonly ParallelTaskInput[],
    instanceId: string,
    maxParallel: number = DEFAULT_MAX_PARALLEL,
    options: CreateParallelTasksOptions = {},
  ): CreateParallelTasksResult {
    return createParallelTasks(this.database, tasks, instanceId, maxParallel, options);
  }

  /** The only way a task changes status; throws IllegalTransitionError for a move model.ts forbids. */
  transition(taskId: string, to: TaskStatus, options: TransitionOptions = {}): TransitionResult {
    return this.database.write((db) => transitionTask(db, taskId, to, options), { urgent: isUrgent(to) });
  }

  getTask(taskId: string): OrchestratorTaskRecord | undefined {
    return this.database.read((db) => getOrchestratorTask(db, taskId));
  }

  listOrchestratorTasks(filter: { readonly runId?: string; readonly status?: TaskStatus } = {}): OrchestratorTaskRecord[] {
    return this.database.read((db) => listOrchestratorTasks(db, filter));
  }

  beginRun(start: RunStart): RunRecord {
    return this.database.write((db) => beginRun(db, start));
  }

  endRun(runId: string, end: RunEnd): RunRecord {
    return this.database.write((db) => endRun(db, runId, end), { urgent: true });
  }

  getRun(runId: string): RunRecord | undefined {
    return this.database.read((db) => getRun(db, runId));
  }

  /** Run history, newest first. */
  listRuns(limit?: number): RunRecord[] {
    return this.database.read((db) => listRuns(db, limit));
  }

  startAttempt(start: AttemptStart): AttemptRecord {
    return this.database.write((db) => startAttempt(db, start));
  }

  updateAttempt(attemptId: number, progress: AttemptProgress): AttemptRecord {
    return this.database.write((db) => updateAttempt(db, attemptId, progress));
  }

  finishAttempt(attemptId: number, end: AttemptEnd): AttemptRecord {
    return this.database.write((db) => finishAttempt(db, attemptId, end));
  }

  listAttempts(taskId: string): AttemptRecord[] {
    return this.database.read((db) => listAttempts(db, taskId));
  }

  /** Every attempt of a run, in start order. */
  listRunAttempts(runId: string): AttemptRecord[] {
    return this.database.read((db) => listRunAttempts(db, runId));
  }

  /** Every branch an attempt made, with that attempt's outcome: what `clean` may delete. */
  attemptBranchOutcomes(): Map<string, TaskStatus | null> {
    return this.database.read((db) => attemptBranchOutcomes(db));
  }

  /** Traces a decision (routing, readiness, blocking...) that is not itself a status change. */
  recordEvent(event: NewEvent): number {
    return this.database.write((db) => recordEvent(db, event));
  }

  /** Whether a previous writer left a task, an attempt or a run marked as running. */
  hasUnfinishedWork(): boolean {
    return this.database.read((db) => hasUnfinishedWork(db));
  }

  /** Runs still marked running: for the writer, runs whose process died. */
  runningRunIds(): string[] {
    return this.database.read((db) => listRunningRuns(db));
  }

  /** Every run id the database knows (a run folder without one is a run that died unrecorded). */
  knownRunIds(): Set<string> {
    return this.database.read((db) => knownRunIds(db));
  }

  /** Records a run that died before its own row reached the disk, ended as interrupted. */
  recordAbandonedRun(runId: string, reason: string): void {
    this.database.write((db) => recordAbandonedRun(db, runId, reason));
  }

  /**
   * Completes a task whose work a dead run committed (src/core/run/recovery.ts found the commit):
   * task completed, attempt completed with its branch. The task's row may never have reached the
   * disk (an agent that finished within the first batched flush): then it is created first, as
   * its dispatch would have created it. False when the plan has no such task, or it is final.
   */
  completeFromBranch(found: CommittedAttempt, reason: string): boolean {
    if (!this.getTask(found.taskId)) {
      const planned = this.listPlanTasks().find((task) => task.id === found.taskId);
      if (!planned) return false;
      this.markSpecTasksReady([planned.id], found.runId);
      const created = this.createParallelTasks(
        [{ task_id: planned.id, spec_id: planned.specId, priority: planned.priority, estimated_hours: planned.estimatedHours }],
        found.runId,
        Number.MAX_SAFE_INTEGER,
      );
      if (!created.success) return false;
    }
    return this.database.write((db) => completeFromBranch(db, found, reason));
  }

  /**
   * After opening as the writer: whatever a previous writer left running cannot be running any
   * more (the lock proves it is gone). Marks those tasks interrupted (resumable), their open
   * attempts ended, and their runs interrupted (with `reason`, the first one's own if given).
   */
  recoverInterrupted(reason = 'the orchestrator that ran it stopped', runReason: (runId: string) => string = () => reason): RecoveryResult {
    // The usual case, a clean start, writes nothing (an urgent write would flush at once).
    if (!this.hasUnfinishedWork()) return { tasks: [], runs: [], attempts: 0 };
    return this.database.write(
      (db) => {
        const tasks = listOrchestratorTasks(db, { status: 'running' }).map((task) => {
          transitionTask(db, task.taskId, 'interrupted', { reason, errorMessage: `Interrupted: ${reason}` });
          return task.taskId;
        });
        const attempts = closeOpenAttempts(db, 'interrupted', `Interrupted: ${reason}`);
        const runs = listRunningRuns(db);
        for (const runId of runs) endRun(db, runId, { status: 'interrupted', metrics: { error: `Interrupted: ${runReason(runId)}` } });
        return { tasks, runs, attempts };
      },
      { urgent: true },
    );
  }

  // ---- review (docs/review.md) ----

  /** Every recorded review state (tasks without one are unreviewed). */
  listReviews(): StoredReview[] {
    return this.database.read((db) => listReviews(db));
  }

  getReview(taskId: string): StoredReview | undefined {
    return this.database.read((db) => getReview(db, taskId));
  }

  /** Records merged or discarded; on disk at once (a merge moved a branch the database must remember). */
  recordReview(review: ReviewWrite): StoredReview {
    return this.database.write((db) => recordReview(db, review), { urgent: true });
  }

  /** The commit a run's worktrees started from; undefined for runs recorded before it was kept. */
  runBaseCommit(runId: string): string | undefined {
    return this.database.read((db) => runBaseCommit(db, runId));
  }

  // ---- review: the conflict radar's pairs and follow-ups (docs/review.md) ----

  /** Records a radar sighting (the radar calls it only for a pair whose files or verdict changed). */
  recordOverlap(sighting: OverlapSighting): OverlapUpdate {
    return this.database.write((db) => upsertOverlap(db, sighting));
  }

  listOverlaps(runId: string): OverlapRecord[] {
    return this.database.read((db) => listOverlaps(db, runId));
  }

  addFollowUp(followUp: NewFollowUp): FollowUpRecord {
    return this.database.write((db) => addFollowUp(db, followUp), { urgent: true });
  }

  /** The follow-up the task's next attempt carries out, if any (followUps.ts says which). */
  pendingFollowUp(taskId: string): FollowUpRecord | undefined {
    return this.database.read((db) => pendingFollowUp(db, taskId));
  }

  takeFollowUp(followUpId: number, attemptId: number): void {
    this.database.write((db) => takeFollowUp(db, followUpId, attemptId));
  }

  listFollowUps(taskId: string): FollowUpRecord[] {
    return this.database.read((db) => listFollowUps(db, taskId));
  }

  followUpOfAttempt(attemptId: number): FollowUpRecord | undefined {
    return this.database.read((db) => followUpOfAttempt(db, attemptId));
  }

  // ---- views ----

  listTasks(filter: TaskFilter = {}): TaskView[] {
    return this.database.read((db) => listTasks(db, filter));
  }

  progressCounts(filter: Omit<TaskFilter, 'status'> = {}): ProgressCounts {
    return this.database.read((db) => progressCounts(db, filter));
  }

  listEvents(filter: EventFilter = {}): EventRecord[] {
    return this.database.read((db) => listEvents(db, filter));
  }

  /** Pruning old runs and compacting the file (retention.ts; docs/database.md, "Retention"). */
  retention(): RunRetention {
    return new RunRetention(this.database);
  }

  // ---- lifecycle ----

  onDidChange(listener: (change: StoreChange) => void): () => void {
    return this.database.onDidChange(listener);
  }

  stats(): FlushStats {
    return this.database.stats();
  }

  flush(): Promise<void> {
    return this.database.flush();
  }

  /** Read-only: reload if the writer changed the file; true if it did. */
  refresh(): Promise<boolean> {
    return this.database.refresh();
  }

  /** Read-only: become the writer if the lock is free or stale now. */
  tryBecomeWriter(): Promise<boolean> {
    return this.database.tryBecomeWriter();
  }

  close(): Promise<void> {
    return this.database.close();
  }
}
