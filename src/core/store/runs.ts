// orchestrator_run: one row per orchestrator instance (the ORCHESTRATOR_INSTANCE_ID of its tasks),
// from start to its summary and metrics.
import { hostname } from 'node:os';
import type { Database } from 'sql.js';
import { isoNow, type Strategy, type TaskStatus } from '../model';
import { DEFAULT_MAX_PARALLEL } from './createParallelTasks';
import { StoreError } from './errors';
import { recordEvent } from './events';
import { execute, queryAll, queryOne } from './sqlite';

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

export interface RunStart {
  readonly runId: string;
  readonly strategy?: Strategy;
  readonly maxParallel?: number;
  readonly planSource?: string;
  /** The commit every task's worktree starts from: recorded in the run_started event (reviews.ts reads it). */
  readonly baseCommit?: string;
}

export interface RunEnd {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly summaryMd?: string;
  readonly metrics?: Readonly<Record<string, unknown>>;
}

export interface RunRecord {
  readonly runId: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly status: RunStatus;
  readonly strategy: Strategy | null;
  readonly maxParallel: number;
  readonly planSource: string | null;
  readonly hostname: string | null;
  readonly pid: number | null;
  readonly summaryMd: string | null;
  readonly metrics: Record<string, unknown> | null;
  /** How many of the run's tasks are in each status now. */
  readonly taskCounts: Partial<Record<TaskStatus, number>>;
}

interface RunRow {
  run_id: string;
  started_at: string;
  ended_at: string | null;
  status: RunStatus;
  strategy: Strategy | null;
  max_parallel: number;
  plan_source: string | null;
  hostname: string | null;
  pid: number | null;
  summary_md: string | null;
  metrics_json: string | null;
}

function taskCounts(db: Database, runId: string): Partial<Record<TaskStatus, number>> {
  const rows = queryAll<{ status: TaskStatus; n: number }>(db, 'SELECT status, COUNT(*) AS n FROM orchestrator_task WHERE run_id = ? GROUP BY status', [runId]);
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

function toRecord(db: Database, row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    status: row.status,
    strategy: row.strategy,
    maxParallel: row.max_parallel,
    planSource: row.plan_source,
    hostname: row.hostname,
    pid: row.pid,
    summaryMd: row.summary_md,
    metrics: row.metrics_json === null ? null : (JSON.parse(row.metrics_json) as Record<string, unknown>),
    taskCounts: taskCounts(db, row.run_id),
  };
}

export function getRun(db: Database, runId: string): RunRecord | undefined {
  const row = queryOne<RunRow>(db, 'SELECT * FROM orchestrator_run WHERE run_id = ?', [runId]);
  return row ? toRecord(db, row) : undefined;
}

/** Newest first. */
export function listRuns(db: Database, limit = 50): RunRecord[] {
  return queryAll<RunRow>(db, 'SELECT * FROM orchestrator_run ORDER BY started_at DESC, run_id DESC LIMIT ?', [limit]).map((row) => toRecord(db, row));
}

export function beginRun(db: Database, start: RunStart, now: string = isoNow()): RunRecord {
  const maxParallel = start.maxParallel ?? DEFAULT_MAX_PARALLEL;
  if (!Number.isInteger(maxParallel) || maxParallel < 1) throw new StoreError(`Invalid maxParallel for run ${start.runId}: ${maxParallel}`);
  if (getRun(db, start.runId)) throw new StoreError(`Run ${start.runId} already exists`);
  execute(
    db,
    `INSERT INTO orchestrator_run (run_id, started_at, status, strategy, max_parallel, plan_source, hostname, pid)
     VALUES (?, ?, 'running', ?, ?, ?, ?, ?)`,
    [start.runId, now, start.strategy, maxParallel, start.planSource, hostname(), process.pid],
  );
  recordEvent(db, { kind: 'run_started', runId: start.runId, toStatus: 'running', detail: { strategy: start.strategy ?? null, maxParallel, planSource: start.planSource ?? null, baseCommit: start.baseCommit ?? null } }, now);
  return getRun(db, start.runId) as RunRecord;
}

export function endRun(db: Database, runId: string, end: RunEnd, now: string = isoNow()): RunRecord {
  const run = getRun(db, runId);
  if (!run) throw new StoreError(`Unknown run: ${runId}`);
  if (run.status !== 'running') throw new StoreError(`Run ${runId} already ended (${run.status} at ${run.endedAt})`);
  execute(
    db,
    'UPDATE orchestrator_run SET status = ?, ended_at = ?, summary_md = ?, metrics_json = ? WHERE run_id = ?',
    [end.status, now, end.summaryMd, end.metrics ? JSON.stringify(end.metrics) : null, runId],
  );
  recordEvent(db, { kind: 'run_ended', runId, fromStatus: 'running', toStatus: end.status, detail: { taskCounts: run.taskCounts } }, now);
  return getRun(db, runId) as RunRecord;
}

/** Runs still marked running; only meaningful to the lock holder, for whom they are leftovers. */
export function listRunningRuns(db: Database): string[] {
  return queryAll<{ run_id: string }>(db, "SELECT run_id FROM orchestrator_run WHERE status = 'running'").map((row) => row.run_id);
}
