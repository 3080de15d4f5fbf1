// orchestrator_review: one review state per task (docs/review.md) — merged (into which branch, at
// which commit, how) or discarded; a task without a row is unreviewed. Kept apart from
// orchestrator_task, whose columns are the contract's. Also the run's base commit, which the
// integration branch starts from: recorded in the run_started event by beginRun (runs.ts).
import type { Database } from 'sql.js';
import { isoNow } from '../model';
import { recordEvent } from './events';
import { execute, queryAll, queryOne } from './sqlite';

export type StoredReviewState = 'merged' | 'discarded';

/** One row of orchestrator_review; the type src/core/review/types.ts's ReviewRecord mirrors. */
export interface StoredReview {
  readonly taskId: string;
  readonly state: 'unreviewed' | StoredReviewState;
  readonly target: string | null;
  readonly commit: string | null;
  readonly strategy: 'merge' | 'squash' | 'rebase' | null;
  readonly updatedAt: string | null;
}

export interface ReviewWrite {
  readonly taskId: string;
  readonly state: StoredReviewState;
  readonly target?: string;
  readonly commit?: string;
  readonly strategy?: 'merge' | 'squash' | 'rebase';
  /** The run whose trace gets the review event. */
  readonly runId?: string;
}

interface ReviewRow {
  task_id: string;
  state: StoredReview['state'];
  target_branch: string | null;
  merge_commit: string | null;
  strategy: StoredReview['strategy'];
  updated_at: string;
}

function fromRow(row: ReviewRow): StoredReview {
  return { taskId: row.task_id, state: row.state, target: row.target_branch, commit: row.merge_commit, strategy: row.strategy, updatedAt: row.updated_at };
}

export function listReviews(db: Database): StoredReview[] {
  return queryAll<ReviewRow>(db, 'SELECT * FROM orchestrator_review ORDER BY task_id').map(fromRow);
}

export function getReview(db: Database, taskId: string): StoredReview | undefined {
  const row = queryOne<ReviewRow>(db, 'SELECT * FROM orchestrator_review WHERE task_id = ?', [taskId]);
  return row ? fromRow(row) : undefined;
}

/** Records a task's review state (replacing the previous one) and traces it as a `review` event. */
export function recordReview(db: Database, review: ReviewWrite, now: string = isoNow()): StoredReview {
  execute(
    db,
    `INSERT INTO orchestrator_review (task_id, state, target_branch, merge_commit, strategy, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (task_id) DO UPDATE SET state = excluded.state, target_branch = excluded.target_branch,
       merge_commit = excluded.merge_commit, strategy = excluded.strategy, updated_at = excluded.updated_at`,
    [review.taskId, review.state, review.target ?? null, review.commit ?? null, review.strategy ?? null, now],
  );
  recordEvent(db, { kind: 'review', runId: review.runId, taskId: review.taskId, toStatus: review.state, detail: { target: review.target ?? null, commit: review.commit ?? null, strategy: review.strategy ?? null } }, now);
  return getReview(db, review.taskId) as StoredReview;
}

/** The commit a run's worktrees started from, as beginRun recorded it; undefined for runs recorded before that. */
export function runBaseCommit(db: Database, runId: string): string | undefined {
  const row = queryOne<{ base: string | null }>(
    db,
    "SELECT json_extract(detail, '$.baseCommit') AS base FROM orchestrator_event WHERE run_id = ? AND kind = 'run_started' ORDER BY event_id LIMIT 1",
    [runId],
  );
  return row?.base ?? undefined;
}
