// The store reads the task tree and the dashboard both make, memoized until invalidate(): during
// a run the store changes many times a second, and each view used to read every row itself on
// its own timer (a full task query, routing, attempts, overlaps), several times a second each.
// With one snapshot per refresh (sharedReads.ts decides when) they read the database once
// between them, and a dashboard update for live progress alone reads nothing. Free of `vscode`
// so the unit tests can run it over a real orchestrator.
import type { AttemptRecord, OverlapPair, PlanSpec, ReviewRecord, RunRecord, TaskView } from '../../core';
import type { Orchestrator } from '../../core';
import { taskRows } from './taskRows';

/** What the views read from an orchestrator; ViewReads gives the same, memoized. */
export type ReadSource = Pick<Orchestrator, 'readOnly' | 'taskViews' | 'routes' | 'specs' | 'runs' | 'runAttempts' | 'reviewStates' | 'overlaps'>;

/** Callers must not change what these return: it is shared until the next invalidate(). */
export class ViewReads {
  private memo = new Map<string, unknown>();
  /** How many reads reached the orchestrator (the tests count them). */
  misses = 0;

  constructor(readonly source: ReadSource) {}

  get readOnly(): boolean {
    return this.source.readOnly;
  }

  invalidate(): void {
    this.memo.clear();
  }

  /** Every task row, with the agent routing would pick for tasks that have not run yet (taskRows.ts). */
  rows(): TaskView[] {
    return this.once('rows', () => taskRows(this.source));
  }

  specs(): PlanSpec[] {
    return this.once('specs', () => this.source.specs());
  }

  latestRun(): RunRecord | undefined {
    return this.once('latestRun', () => this.source.runs(1)[0]);
  }

  runAttempts(runId: string): AttemptRecord[] {
    return this.once(`runAttempts:${runId}`, () => this.source.runAttempts(runId));
  }

  reviewStates(): Map<string, ReviewRecord> {
    return this.once('reviewStates', () => this.source.reviewStates());
  }

  overlaps(runId?: string): OverlapPair[] {
    return this.once(`overlaps:${runId ?? ''}`, () => this.source.overlaps(runId));
  }

  private once<T>(key: string, read: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = read();
    this.misses++;
    this.memo.set(key, value);
    return value;
  }
}
