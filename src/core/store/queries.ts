// What the task tree, the status bar and the dashboard show: every task, whether it is still
// only planned (specs_task) or already handed to the orchestrator (orchestrator_task).
import type { Database } from 'sql.js';
import { SPEC_TASK_STATUSES, TASK_STATUSES, type DisplayStatus, type Priority, type SpecTaskStatus, type TaskStatus } from '../model';
import { latestAttempts, type AttemptRecord } from './attempts';
import { queryAll, type SqlParam } from './sqlite';

export interface TaskView {
  readonly taskId: string;
  readonly specId: string;
  /** Null for an orchestrator task created without a plan entry. */
  readonly title: string | null;
  readonly priority: Priority;
  readonly estimatedHours: number;
  readonly displayStatus: DisplayStatus;
  readonly planStatus: SpecTaskStatus | null;
  readonly status: TaskStatus | null;
  /** The assigned agent, else the plan's. */
  readonly agent: string | null;
  readonly routedBy: string | null;
  readonly parentTaskId: string | null;
  readonly dependsOn: readonly string[];
  readonly runId: string | null;
  readonly retryCount: number;
  readonly errorMessage: string | null;
  readonly createdAt: string | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly latestAttempt: AttemptRecord | null;
}

export interface TaskFilter {
  readonly status?: DisplayStatus | readonly DisplayStatus[];
  readonly specId?: string;
  readonly runId?: string;
}

export type ProgressCounts = Record<DisplayStatus, number> & { readonly total: number };

const TASKS = `
  WITH ids AS (SELECT task_id FROM specs_task UNION SELECT task_id FROM orchestrator_task)
  SELECT ids.task_id, COALESCE(o.spec_id, s.spec_id) AS spec_id, s.title, COALESCE(o.priority, s.priority) AS priority,
         COALESCE(o.estimated_hours, s.estimated_hours) AS estimated_hours, COALESCE(o.status, s.status) AS display_status,
         s.status AS plan_status, o.status, COALESCE(o.assigned_agent, s.agent) AS agent, o.routed_by, s.parent_task_id,
         (SELECT json_group_array(depends_on_task_id) FROM specs_task_dependency d WHERE d.task_id = ids.task_id) AS depends_on,
         o.run_id, COALESCE(o.retry_count, 0) AS retry_count, o.error_message, o.created_at, o.started_at, o.completed_at
  FROM ids
  LEFT JOIN specs_task s ON s.task_id = ids.task_id
  LEFT JOIN orchestrator_task o ON o.task_id = ids.task_id`;

interface TaskViewRow {
  task_id: string;
  spec_id: string;
  title: string | null;
  priority: Priority;
  estimated_hours: number;
  display_status: DisplayStatus;
  plan_status: SpecTaskStatus | null;
  status: TaskStatus | null;
  agent: string | null;
  routed_by: string | null;
  parent_task_id: string | null;
  depends_on: string;
  run_id: string | null;
  retry_count: number;
  error_message: string | null;
  created_at: string | null;
  started_at: string | null;
  completed_at: string | null;
}

function filterSql(filter: TaskFilter): { where: string; params: SqlParam[] } {
  const clauses: string[] = [];
  const params: SqlParam[] = [];
  if (filter.status !== undefined) {
    const statuses = typeof filter.status === 'string' ? [filter.status] : filter.status;
    clauses.push(`COALESCE(o.status, s.status) IN (${statuses.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...statuses);
  }
  if (filter.specId !== undefined) {
    clauses.push('COALESCE(o.spec_id, s.spec_id) = ?');
    params.push(filter.specId);
  }
  if (filter.runId !== undefined) {
    clauses.push('o.run_id = ?');
    params.push(filter.runId);
  }
  return { where: clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Tasks with their latest attempt, grouped by spec in plan order. */
export function listTasks(db: Database, filter: TaskFilter = {}): TaskView[] {
  const { where, params } = filterSql(filter);
  const rows = queryAll<TaskViewRow>(db, `${TASKS}${where} ORDER BY COALESCE(o.spec_id, s.spec_id), s.rowid, o.created_at, ids.task_id`, params);
  const attempts = latestAttempts(db);
  return rows.map((row) => ({
    taskId: row.task_id,
    specId: row.spec_id,
    title: row.title,
    priority: row.priority,
    estimatedHours: row.estimated_hours,
    displayStatus: row.display_status,
    planStatus: row.plan_status,
    status: row.status,
    agent: row.agent,
    routedBy: row.routed_by,
    parentTaskId: row.parent_task_id,
    dependsOn: JSON.parse(row.depends_on) as string[],
    runId: row.run_id,
    retryCount: row.retry_count,
    errorMessage: row.error_message,
    createdAt: row.created_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    latestAttempt: attempts.get(row.task_id) ?? null,
  }));
}

/**
 * How many tasks are in each status (every status present, zero if none), plus the total. A
 * fan-out parent is not counted: its children are the work, and its status only sums theirs up
 * (the same rule as src/shared/taskCounts.ts, which the editor's views count with).
 */
export function progressCounts(db: Database, filter: Omit<TaskFilter, 'status'> = {}): ProgressCounts {
  const { where, params } = filterSql(filter);
  const rows = queryAll<{ display_status: DisplayStatus; n: number }>(
    db,
    `SELECT display_status, COUNT(*) AS n FROM (${TASKS}${where})
     WHERE task_id NOT IN (SELECT parent_task_id FROM specs_task WHERE parent_task_id IS NOT NULL)
     GROUP BY display_status`,
    params,
  );
  const counts = Object.fromEntries([...SPEC_TASK_STATUSES, ...TASK_STATUSES].map((status) => [status, 0])) as Record<DisplayStatus, number>;
  let total = 0;
  for (const row of rows) {
    counts[row.display_status] = row.n;
    total += row.n;
  }
  return { ...counts, total };
}
