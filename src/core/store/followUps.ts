// Follow-ups (orchestrator_followup): an instruction for a task's next attempt, recorded by
// Orchestrator.followUp and taken on by the next run's executor (src/core/run/followUpAttempt.ts).
// Kind 'followup' continues the task's own branch; 'resolve' starts on another branch (`merge_into`)
// with the task's branch merged in and its conflicts left for the agent (docs/review.md).
import type { Database } from 'sql.js';
import { isoNow } from '../model';
import { UnknownTaskError } from './errors';
import { recordEvent } from './events';
import { execute, queryAll, queryOne } from './sqlite';

export type FollowUpKindValue = 'followup' | 'resolve';

export interface NewFollowUp {
  readonly taskId: string;
  readonly kind: FollowUpKindValue;
  readonly prompt: string;
  /** The task's branch when the follow-up was sent: the work to continue ('followup') or to merge ('resolve'). */
  readonly baseRef: string | null;
  /** 'resolve': the branch the attempt starts on and whose conflicts it resolves; fast-forwarded to its result. */
  readonly mergeInto: string | null;
}

export interface FollowUpRecord extends NewFollowUp {
  readonly followUpId: number;
  readonly createdAt: string;
  /** The attempt that took it on; null while it waits for a run. */
  readonly attemptId: number | null;
}

interface FollowUpRow {
  followup_id: number;
  task_id: string;
  kind: FollowUpKindValue;
  prompt: string;
  base_ref: string | null;
  merge_into: string | null;
  created_at: string;
  attempt_id: number | null;
}

function fromRow(row: FollowUpRow): FollowUpRecord {
  return {
    followUpId: row.followup_id,
    taskId: row.task_id,
    kind: row.kind,
    prompt: row.prompt,
    baseRef: row.base_ref,
    mergeInto: row.merge_into,
    createdAt: row.created_at,
    attemptId: row.attempt_id,
  };
}

export function addFollowUp(db: Database, followUp: NewFollowUp, now: string = isoNow()): FollowUpRecord {
  const task = queryOne<{ run_id: string }>(db, 'SELECT run_id FROM orchestrator_task WHERE task_id = ?', [followUp.taskId]);
  if (!task) throw new UnknownTaskError(followUp.taskId);
  const row = queryOne<FollowUpRow>(
    db,
    `INSERT INTO orchestrator_followup (task_id, kind, prompt, base_ref, merge_into, created_at)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
    [followUp.taskId, followUp.kind, followUp.prompt, followUp.baseRef, followUp.mergeInto, now],
  ) as FollowUpRow;
  recordEvent(db, { kind: 'followup_recorded', runId: task.run_id, taskId: followUp.taskId, detail: { followUpId: row.followup_id, kind: followUp.kind, baseRef: followUp.baseRef, mergeInto: followUp.mergeInto } }, now);
  return fromRow(row);
}

/**
 * The follow-up the task's next attempt carries out: its newest one, unless an attempt already
 * completed it. An attempt of it that failed, timed out or was cancelled leaves it in effect, so a
 * retry repeats the follow-up instead of starting the task over.
 */
export function pendingFollowUp(db: Database, taskId: string): FollowUpRecord | undefined {
  const row = queryOne<FollowUpRow>(
    db,
    `SELECT f.* FROM orchestrator_followup f
     LEFT JOIN orchestrator_attempt a ON a.attempt_id = f.attempt_id
     WHERE f.task_id = ? AND f.followup_id = (SELECT MAX(followup_id) FROM orchestrator_followup WHERE task_id = ?)
       AND (f.attempt_id IS NULL OR a.outcome IS NULL OR a.outcome <> 'completed')`,
    [taskId, taskId],
  );
  return row ? fromRow(row) : undefined;
}

/** Marks the follow-up as taken on by `attemptId` (its attempt just started). */
export function takeFollowUp(db: Database, followUpId: number, attemptId: number): void {
  execute(db, 'UPDATE orchestrator_followup SET attempt_id = ? WHERE followup_id = ?', [attemptId, followUpId]);
}

/** Every follow-up of a task, oldest first. */
export function listFollowUps(db: Database, taskId: string): FollowUpRecord[] {
  return queryAll<FollowUpRow>(db, 'SELECT * FROM orchestrator_followup WHERE task_id = ? ORDER BY followup_id', [taskId]).map(fromRow);
}

/** The follow-up a given attempt carried out, if any. */
export function followUpOfAttempt(db: Database, attemptId: number): FollowUpRecord | undefined {
  const row = queryOne<FollowUpRow>(db, 'SELECT * FROM orchestrator_followup WHERE attempt_id = ?', [attemptId]);
  return row ? fromRow(row) : undefined;
}
