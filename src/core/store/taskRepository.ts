// The one place an orchestrator_task changes status. Every move is checked against model.ts's
// LEGAL_TRANSITIONS and recorded as an event in the same transaction.
import type { Database } from 'sql.js';
import { FINAL_STATUSES, isTaskStatus, isLegalTransition, isoNow, type Priority, type TaskStatus } from '../model';
import { IllegalTransitionError, StoreError, UnknownTaskError } from './errors';
import { recordEvent } from './events';
import { execute, queryAll, queryOne } from './sqlite';

export interface OrchestratorTaskRecord {
  readonly taskId: string;
  readonly specId: string;
  readonly status: TaskStatus;
  readonly priority: Priority;
  readonly estimatedHours: number;
  readonly assignedAgent: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly orchestratorInstanceId: string;
  readonly retryCount: number;
  readonly errorMessage: string | null;
  /** The run that currently owns the task: its creator, or the run that requeued or started it. */
  readonly runId: string;
  /** Why `assignedAgent` was chosen: "explicit", "default" or the routing rule (src/core/plan/routing.ts). */
  readonly routedBy: string | null;
  readonly updatedAt: string;
}

export interface TransitionOptions {
  /** Why the move happens; recorded in the event. */
  readonly reason?: string;
  /** The run making the move; a requeue (→ spawned) or a start (→ running) hands the task to this run. */
  readonly runId?: string;
  readonly errorMessage?: string;
  /** On → running: the agent profile chosen and why. */
  readonly assignedAgent?: string;
  readonly routedBy?: string;
  /** Anything else worth tracing. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface TransitionResult {
  readonly from: TaskStatus;
  readonly task: OrchestratorTaskRecord;
  readonly eventId: number;
}

/**
 * A requeue after these spends a retry; after a cancel, a block, an interruption or a rate limit
 * (running → spawned) it does not, because the task itself did not fail.
 */
const RETRY_SPENDING: ReadonlySet<TaskStatus> = new Set(['failed', 'timed_out']);

interface TaskRow {
  task_id: string;
  spec_id: string;
  status: string;
  priority: Priority;
  estimated_hours: number;
  assigned_agent: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  orchestrator_instance_id: string;
  retry_count: number;
  error_message: string | null;
  run_id: string;
  routed_by: string | null;
  updated_at: string;
}

function toRecord(row: TaskRow): OrchestratorTaskRecord {
  if (!isTaskStatus(row.status)) throw new StoreError(`${row.task_id} has an unknown status "${row.status}" in orchestrator_task`);
  return {
    taskId: row.task_id,
    specId: row.spec_id,
    status: row.status,
    priority: row.priority,
    estimatedHours: row.estimated_hours,
    assignedAgent: row.assigned_agent,
    createdAt: row.created_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    orchestratorInstanceId: row.orchestrator_instance_id,
    retryCount: row.retry_count,
    errorMessage: row.error_message,
    runId: row.run_id,
    routedBy: row.routed_by,
    updatedAt: row.updated_at,
  };
}

export function getOrchestratorTask(db: Database, taskId: string): OrchestratorTaskRecord | undefined {
  const row = queryOne<TaskRow>(db, 'SELECT * FROM orchestrator_task WHERE task_id = ?', [taskId]);
  return row ? toRecord(row) : undefined;
}

export function listOrchestratorTasks(db: Database, filter: { readonly runId?: string; readonly status?: TaskStatus } = {}): OrchestratorTaskRecord[] {
  return queryAll<TaskRow>(
    db,
    `SELECT * FROM orchestrator_task
     WHERE (?1 IS NULL OR run_id = ?1) AND (?2 IS NULL OR status = ?2)
     ORDER BY created_at, task_id`,
    [filter.runId, filter.status],
  ).map(toRecord);
}

export function transitionTask(db: Database, taskId: string, to: TaskStatus, options: TransitionOptions = {}, now: string = isoNow()): TransitionResult {
  if (!isTaskStatus(to)) throw new StoreError(`Cannot move ${taskId} to unknown status "${String(to)}"`);
  const current = getOrchestratorTask(db, taskId);
  if (!current) throw new UnknownTaskError(taskId);
  const from = current.status;
  if (!isLegalTransition(from, to)) throw new IllegalTransitionError(taskId, from, to);

  let { startedAt, completedAt, errorMessage, retryCount, runId, assignedAgent, routedBy } = current;
  if (to === 'running') {
    startedAt = now;
    completedAt = null;
    errorMessage = null;
    assignedAgent = options.assignedAgent ?? assignedAgent;
    routedBy = options.routedBy ?? routedBy;
    // A task requeued between runs (`retry`) belongs to the run that starts it, and is in its report.
    runId = options.runId ?? runId;
  } else if (to === 'spawned') {
    if (RETRY_SPENDING.has(from)) retryCount += 1;
    startedAt = null;
    completedAt = null;
    errorMessage = null;
    runId = options.runId ?? runId;
  } else {
    completedAt = FINAL_STATUSES.has(to) ? now : null;
    errorMessage = to === 'completed' ? null : (options.errorMessage ?? null);
  }

  const updated = queryOne<TaskRow>(
    db,
    `UPDATE orchestrator_task
     SET status = ?, started_at = ?, completed_at = ?, error_message = ?, retry_count = ?, run_id = ?,
         assigned_agent = ?, routed_by = ?, updated_at = ?
     WHERE task_id = ?
     RETURNING *`,
    [to, startedAt, completedAt, errorMessage, retryCount, runId, assignedAgent, routedBy, now, taskId],
  ) as TaskRow;
  const eventId = recordEvent(
    db,
    {
      kind: 'status_changed',
      runId: options.runId ?? current.runId,
      taskId,
      fromStatus: from,
      toStatus: to,
      detail: {
        ...options.detail,
        ...(options.reason !== undefined && { reason: options.reason }),
        ...(errorMessage !== null && { errorMessage }),
        ...(retryCount !== current.retryCount && { retryCount }),
        ...(to === 'spawned' && current.errorMessage !== null && { previousError: current.errorMessage }),
        ...(to === 'running' && assignedAgent !== null && { assignedAgent, routedBy }),
      },
    },
    now,
  );
  return { from, task: toRecord(updated), eventId };
}

/** specs_task pending → ready for each id (the scheduler found its dependencies done); returns the ids that moved. */
export function markSpecTasksReady(db: Database, taskIds: readonly string[], runId?: string, now: string = isoNow()): string[] {
  const moved: string[] = [];
  for (const taskId of taskIds) {
    const row = queryOne<{ status: string }>(db, 'SELECT status FROM specs_task WHERE task_id = ?', [taskId]);
    if (!row) throw new StoreError(`Unknown plan task: ${taskId}`);
    if (row.status !== 'pending') continue;
    execute(db, "UPDATE specs_task SET status = 'ready', updated_at = ? WHERE task_id = ?", [now, taskId]);
    recordEvent(db, { kind: 'spec_task_ready', runId, taskId, fromStatus: 'pending', toStatus: 'ready' }, now);
    moved.push(taskId);
  }
  return moved;
}
