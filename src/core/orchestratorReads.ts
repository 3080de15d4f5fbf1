// What the editor and the CLI read from a workspace's database: tasks, specs, runs, attempts,
// the writer lock and the conflict radar's pairs. The façade (orchestrator.ts) extends this class
// so that it keeps to what changes things; the store itself stays inside the engine.
import type { PlanSpec, PlanTask } from './model';
import type { OverlapPair } from './review/types';
import type { AttemptRecord, LockOwner, OrchestratorStore, OrchestratorTaskRecord, ProgressCounts, RunRecord, StoreChange, StoreFileError, TaskView } from './store';

export abstract class OrchestratorReads {
  protected constructor(
    /**
     * @internal The engine's own way into the database, and the tests'. The editor and the CLI
     * use the reads below (eslint.config.mjs keeps src/vscode and src/cli off it).
     */
    readonly store: OrchestratorStore,
  ) {}

  /** Another process holds the writer lock: this one reads, follows its flushes and sends control requests. */
  get readOnly(): boolean {
    return this.store.readOnly;
  }

  /** Who holds the writer lock (this process, when it is the writer). */
  lockOwner(): LockOwner | undefined {
    return this.store.lockOwner();
  }

  /** The damaged database file opening moved aside, if any: tell the user where it is kept. */
  get storeNotice(): StoreFileError | undefined {
    return this.store.notice;
  }

  /** The database changed: a write here, or (read-only) a reload of the writer's flush. */
  onDataChange(listener: (change: StoreChange) => void): () => void {
    return this.store.onDidChange(listener);
  }

  /** Read-only: reload if the writer changed the file; true if it did. */
  refresh(): Promise<boolean> {
    return this.store.refresh();
  }

  /** Read-only: become the writer if the lock is free or stale now (then call recoverAbandoned()). */
  tryBecomeWriter(): Promise<boolean> {
    return this.store.tryBecomeWriter();
  }

  /** Every task of the plan with its status and latest attempt, as the views list them. */
  taskViews(): TaskView[] {
    return this.store.listTasks();
  }

  planTasks(): PlanTask[] {
    return this.store.listPlanTasks();
  }

  specs(): PlanSpec[] {
    return this.store.listSpecs();
  }

  /** The tasks a run has dispatched (they have an orchestrator_task row), with their status. */
  dispatchedTasks(): OrchestratorTaskRecord[] {
    return this.store.listOrchestratorTasks();
  }

  progressCounts(): ProgressCounts {
    return this.store.progressCounts();
  }

  /** Run history, newest first. */
  runs(limit?: number): RunRecord[] {
    return this.store.listRuns(limit);
  }

  getRun(runId: string): RunRecord | undefined {
    return this.store.getRun(runId);
  }

  /** Every attempt of a run, in start order. */
  runAttempts(runId: string): AttemptRecord[] {
    return this.store.listRunAttempts(runId);
  }

  latestRun(): RunRecord | undefined {
    return this.store.listRuns(1)[0];
  }

  /** The conflict radar's pairs of a run (default: the latest), from the store (docs/review.md). */
  overlaps(runId?: string): OverlapPair[] {
    return this.store.listOverlaps(runId ?? this.latestRun()?.runId ?? '');
  }
}
