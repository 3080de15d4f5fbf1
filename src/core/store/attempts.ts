// One orchestrator_attempt row per agent run of a task: where it ran, what it cost, how it ended.
import type { Database } from 'sql.js';
import { isoNow, type TaskStatus } from '../model';
import { StoreError, UnknownTaskError } from './errors';
import { recordEvent } from './events';
import { queryAll, queryOne, type SqlParam } from './sqlite';

export interface AttemptStart {
  readonly taskId: string;
  /** Defaults to the run that owns the task. */
  readonly runId?: string;
  /** Defaults to the task's assigned agent. */
  readonly agent?: string;
  readonly worktree?: string;
  readonly branch?: string;
  readonly pid?: number;
  readonly logPath?: string;
}

/** Facts learned while the agent runs (its pid once spawned, cost and tokens as they stream). */
export interface AttemptProgress {
  readonly pid?: number;
  readonly worktree?: string;
  readonly branch?: string;
  readonly logPath?: string;
  readonly costUsd?: number;
  readonly tokensIn?: number;
  readonly tokensOut?: number;
  /** The agent CLI's own session (claude's session_id, codex's thread_id), for follow-ups. */
  readonly sessionId?: string;
  /** HEAD of the attempt's worktree before the agent ran (base + dependency merges): a review's left side. */
  readonly startCommit?: string;
}

export interface AttemptEnd extends AttemptProgress {
  readonly exitCode?: number | null;
  /** The task status this attempt led to. */
  readonly outcome: TaskStatus;
  /** Measured by the runner (monotonic clock); defaults to ended − started. */
  readonly durationMs?: number;
  readonly error?: string;
}

export interface AttemptRecord {
  readonly attemptId: number;
  readonly taskId: string;
  readonly runId: string;
  readonly attemptNumber: number;
  readonly agent: string | null;
  readonly worktree: string | null;
  readonly branch: string | null;
  readonly pid: number | null;
  readonly exitCode: number | null;
  readonly outcome: TaskStatus | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly durationMs: number | null;
  readonly costUsd: number | null;
  readonly tokensIn: number | null;
  readonly tokensOut: number | null;
  readonly logPath: string | null;
  readonly error: string | null;
  /** The agent CLI's own session id, when it reported one. */
  readonly sessionId: string | null;
  /** Where the attempt's own work starts; null for attempts recorded before schema v4. */
  readonly startCommit: string | null;
}

interface AttemptRow {
  attempt_id: number;
  task_id: string;
  run_id: string;
  attempt_number: number;
  agent: string | null;
  worktree: string | null;
  branch: string | null;
  pid: number | null;
  exit_code: number | null;
  outcome: TaskStatus | null;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  cost_usd: number | null;
  tokens_in: number | null;
  tokens_out: number | null;
  log_path: string | null;
  error: string | null;
  session_id: string | null;
  start_commit: string | null;
}

function attemptFromRow(row: AttemptRow): AttemptRecord {
  return {
    attemptId: row.attempt_id,
    taskId: row.task_id,
    runId: row.run_id,
    attemptNumber: row.attempt_number,
    agent: row.agent,
    worktree: row.worktree,
    branch: row.branch,
    pid: row.pid,
    exitCode: row.exit_code,
    outcome: row.outcome,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: row.duration_ms,
    costUsd: row.cost_usd,
    tokensIn: row.tokens_in,
    tokensOut: row.tokens_out,
    logPath: row.log_path,
    error: row.error,
    sessionId: row.session_id ?? null,
    startCommit: row.start_commit ?? null,
  };
}

function getAttempt(db: Database, attemptId: number): AttemptRecord {
  const row = queryOne<AttemptRow>(db, 'SELECT * FROM orchestrator_attempt WHERE attempt_id = ?', [attemptId]);
  if (!row) throw new StoreError(`Unknown attempt: ${attemptId}`);
  return attemptFromRow(row);
}

// Each write below is one statement that also returns the row it wrote (RETURNING): an agent's
// attempt is written about six times, and each extra read-back was a statement of its own.

export function startAttempt(db: Database, start: AttemptStart, now: string = isoNow()): AttemptRecord {
  const task = queryOne<{ run_id: string; assigned_agent: string | null; n: number | null }>(
    db,
    `SELECT run_id, assigned_agent, (SELECT MAX(attempt_number) FROM orchestrator_attempt WHERE task_id = ?1) AS n
     FROM orchestrator_task WHERE task_id = ?1`,
    [start.taskId],
  );
  if (!task) throw new UnknownTaskError(start.taskId);
  const attemptNumber = (task.n ?? 0) + 1;
  const runId = start.runId ?? task.run_id;
  const attempt = attemptFromRow(
    queryOne<AttemptRow>(
      db,
      `INSERT INTO orchestrator_attempt (task_id, run_id, attempt_number, agent, worktree, branch, pid, log_path, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [start.taskId, runId, attemptNumber, start.agent ?? task.assigned_agent, start.worktree, start.branch, start.pid, start.logPath, now],
    ) as AttemptRow,
  );
  recordEvent(db, { kind: 'attempt_started', runId, taskId: start.taskId, detail: { attemptId: attempt.attemptId, attemptNumber, worktree: start.worktree ?? null, branch: start.branch ?? null } }, now);
  return attempt;
}

const PROGRESS_COLUMNS: ReadonlyArray<readonly [keyof AttemptProgress, string]> = [
  ['pid', 'pid'],
  ['worktree', 'worktree'],
  ['branch', 'branch'],
  ['logPath', 'log_path'],
  ['costUsd', 'cost_usd'],
  ['tokensIn', 'tokens_in'],
  ['tokensOut', 'tokens_out'],
  ['sessionId', 'session_id'],
  ['startCommit', 'start_commit'],
];

function assertRunning(db: Database, attemptId: number): AttemptRecord {
  const attempt = getAttempt(db, attemptId);
  if (attempt.endedAt !== null) throw new StoreError(`Attempt ${attempt.attemptNumber} of ${attempt.taskId} already ended at ${attempt.endedAt}`);
  return attempt;
}

/** `SET` assignments and their values: the progress fields given, then `extra`. */
function assignments(progress: AttemptProgress, extra: ReadonlyArray<readonly [string, SqlParam]> = []): { sql: string; values: SqlParam[] } {
  const given = PROGRESS_COLUMNS.filter(([key]) => progress[key] !== undefined).map(([key, column]) => [column, progress[key]] as const);
  const all = [...given, ...extra];
  return { sql: all.map(([column]) => `${column} = ?`).join(', '), values: all.map(([, value]) => value) };
}

/** Updates a running attempt and returns it; says why when the attempt is unknown or over. */
function updateRunning(db: Database, attemptId: number, set: { sql: string; values: SqlParam[] }): AttemptRecord {
  if (set.sql === '') return assertRunning(db, attemptId);
  const row = queryOne<AttemptRow>(db, `UPDATE orchestrator_attempt SET ${set.sql} WHERE attempt_id = ? AND ended_at IS NULL RETURNING *`, [...set.values, attemptId]);
  if (row) return attemptFromRow(row);
  assertRunning(db, attemptId); // throws: unknown, or already ended
  throw new StoreError(`Attempt ${attemptId} could not be updated`);
}

/** Overwrites only the fields given. */
export function updateAttempt(db: Database, attemptId: number, progress: AttemptProgress): AttemptRecord {
  return updateRunning(db, attemptId, assignments(progress));
}

export function finishAttempt(db: Database, attemptId: number, end: AttemptEnd, now: string = isoNow()): AttemptRecord {
  // The runner measures the duration; otherwise (an attempt closed by recovery) it is ended − started.
  const durationMs = end.durationMs ?? Math.max(0, Date.parse(now) - Date.parse(assertRunning(db, attemptId).startedAt));
  const finished = updateRunning(
    db,
    attemptId,
    assignments(end, [
      ['ended_at', now],
      ['duration_ms', Math.round(durationMs)],
      ['exit_code', end.exitCode],
      ['outcome', end.outcome],
      ['error', end.error],
    ]),
  );
  recordEvent(
    db,
    {
      kind: 'attempt_finished',
      runId: finished.runId,
      taskId: finished.taskId,
      detail: { attemptId, attemptNumber: finished.attemptNumber, outcome: end.outcome, exitCode: finished.exitCode, durationMs: finished.durationMs, costUsd: finished.costUsd },
    },
    now,
  );
  return finished;
}

export function listAttempts(db: Database, taskId: string): AttemptRecord[] {
  return queryAll<AttemptRow>(db, 'SELECT * FROM orchestrator_attempt WHERE task_id = ? ORDER BY attempt_number', [taskId]).map(attemptFromRow);
}

/** Every attempt of one run, in the order they started (the dashboard's timeline). */
export function listRunAttempts(db: Database, runId: string): AttemptRecord[] {
  return queryAll<AttemptRow>(db, 'SELECT * FROM orchestrator_attempt WHERE run_id = ? ORDER BY started_at, attempt_id', [runId]).map(attemptFromRow);
}

/** The newest attempt of every task that has one, keyed by task id. */
export function latestAttempts(db: Database): Map<string, AttemptRecord> {
  const rows = queryAll<AttemptRow>(
    db,
    `SELECT a.* FROM orchestrator_attempt a
     JOIN (SELECT task_id, MAX(attempt_number) AS n FROM orchestrator_attempt GROUP BY task_id) latest
       ON latest.task_id = a.task_id AND latest.n = a.attempt_number`,
  );
  return new Map(rows.map((row) => [row.task_id, attemptFromRow(row)]));
}

/** Ends attempts left open by a process that died; returns how many. */
export function closeOpenAttempts(db: Database, outcome: TaskStatus, error: string, now: string = isoNow()): number {
  const open = queryAll<{ attempt_id: number }>(db, 'SELECT attempt_id FROM orchestrator_attempt WHERE ended_at IS NULL');
  for (const row of open) finishAttempt(db, row.attempt_id, { outcome, error }, now);
  return open.length;
}

/**
 * Every branch an attempt made, with the outcome of the newest attempt on it (null: none recorded):
 * what `clean` may delete (src/core/git/cleanWorktrees.ts).
 */
export function attemptBranchOutcomes(db: Database): Map<string, TaskStatus | null> {
  const rows = queryAll<{ branch: string; outcome: TaskStatus | null }>(db, 'SELECT branch, outcome FROM orchestrator_attempt WHERE branch IS NOT NULL ORDER BY attempt_id');
  return new Map(rows.map((row) => [row.branch, row.outcome]));
}
