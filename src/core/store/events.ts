// The event trace (docs/database.md): one row per state change or decision. Written inside the
// same transaction as the change it describes, so the trace never disagrees with the data.
import type { Database } from 'sql.js';
import { isoNow } from '../model';
import { queryAll, queryOne } from './sqlite';

/** Kinds the store itself writes; callers may record their own decisions under any other kind. */
export type StoreEventKind =
  | 'plan_imported'
  | 'spec_task_ready'
  | 'task_spawned'
  | 'status_changed'
  | 'attempt_started'
  | 'attempt_finished'
  | 'run_started'
  | 'run_ended'
  | 'writer_lock_taken_over'
  | 'completed_from_branch'
  | 'database_moved_aside';

export interface NewEvent {
  readonly kind: StoreEventKind | (string & {});
  readonly runId?: string;
  readonly taskId?: string;
  readonly fromStatus?: string;
  readonly toStatus?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface EventRecord {
  readonly eventId: number;
  readonly at: string;
  readonly runId: string | null;
  readonly taskId: string | null;
  readonly kind: string;
  readonly fromStatus: string | null;
  readonly toStatus: string | null;
  readonly detail: Record<string, unknown> | null;
}

export interface EventFilter {
  readonly taskId?: string;
  readonly runId?: string;
  /** Only events after this id: lets a live view poll for what is new. */
  readonly afterEventId?: number;
  /** The newest `limit` events (still returned oldest first). */
  readonly limit?: number;
}

export function recordEvent(db: Database, event: NewEvent, at: string = isoNow()): number {
  const row = queryOne<{ event_id: number }>(
    db,
    `INSERT INTO orchestrator_event (at, run_id, task_id, kind, from_status, to_status, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING event_id`,
    [at, event.runId, event.taskId, event.kind, event.fromStatus, event.toStatus, event.detail ? JSON.stringify(event.detail) : null],
  );
  return Number(row?.event_id);
}

interface EventRow {
  event_id: number;
  at: string;
  run_id: string | null;
  task_id: string | null;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  detail: string | null;
}

export function listEvents(db: Database, filter: EventFilter = {}): EventRecord[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.taskId !== undefined) {
    where.push('task_id = ?');
    params.push(filter.taskId);
  }
  if (filter.runId !== undefined) {
    where.push('run_id = ?');
    params.push(filter.runId);
  }
  if (filter.afterEventId !== undefined) {
    where.push('event_id > ?');
    params.push(filter.afterEventId);
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  // A negative LIMIT means none in SQLite; bound rather than spliced, so the statement is reused.
  params.push(filter.limit !== undefined ? Math.max(0, Math.floor(filter.limit)) : -1);
  const rows = queryAll<EventRow>(
    db,
    `SELECT * FROM (SELECT * FROM orchestrator_event ${whereSql} ORDER BY event_id DESC LIMIT ?) ORDER BY event_id`,
    params,
  );
  return rows.map((row) => ({
    eventId: row.event_id,
    at: row.at,
    runId: row.run_id,
    taskId: row.task_id,
    kind: row.kind,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  }));
}
