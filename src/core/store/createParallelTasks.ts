// Creating orchestrator_task rows (the contract: docs/database.md): validate a batch, then create
// its rows (status spawned) and mark the plan tasks assigned, all in one transaction. Any failure
// leaves the database exactly as it was, events included; the caller gets the error JSON and
// decides what to log.
import type { Database } from 'sql.js';
import { isPriority, isoNow, TASK_ID_PATTERN } from '../model';
import { DEFAULT_SETTINGS } from '../settings';
import type { StoreDatabase } from './database';
import { recordEvent } from './events';
import { execute, queryOne } from './sqlite';

/** MAX_PARALLEL when the caller gives none: the maxParallel setting's default. */
export const DEFAULT_MAX_PARALLEL = DEFAULT_SETTINGS.maxParallel;

/** One entry of the TASKS parameter (snake_case, as its JSON callers spell it). */
export interface ParallelTaskInput {
  readonly task_id: string;
  readonly spec_id: string;
  readonly priority: string;
  readonly estimated_hours: number;
  /** Optional: the agent already chosen; else the plan task's agent, if any. */
  readonly assigned_agent?: string;
}

export interface CreatedTask {
  readonly task_id: string;
  readonly status: 'spawned';
  readonly created_at: string;
  readonly orchestrator_id: string;
  readonly retry_count: 0;
}

export interface CreateParallelTasksSuccess {
  readonly success: true;
  readonly created_tasks: CreatedTask[];
  readonly total_created: number;
  readonly timestamp: string;
}

export interface CreateParallelTasksFailure {
  readonly success: false;
  /** validation_failed: nothing was attempted; transaction_failed: an insert failed and all was rolled back. */
  readonly error: 'validation_failed' | 'transaction_failed';
  readonly message: string;
  readonly failed_tasks: string[];
  readonly created_count: 0;
}

export type CreateParallelTasksResult = CreateParallelTasksSuccess | CreateParallelTasksFailure;

export interface CreateParallelTasksOptions {
  /** Fault injection for tests: called inside the transaction after each task's writes; a throw rolls everything back. */
  readonly afterInsert?: (taskId: string, index: number) => void;
}

interface Problem {
  readonly taskId: string | undefined;
  readonly message: string;
}

function label(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

/** The five checks plus "no duplicate task_ids"; every problem found, in input order. */
function validate(db: Database, tasks: readonly ParallelTaskInput[], instanceId: string, maxParallel: number): Problem[] {
  if (!Array.isArray(tasks)) return [{ taskId: undefined, message: 'TASKS must be an array' }];
  const problems: Problem[] = [];
  if (typeof instanceId !== 'string' || instanceId.trim() === '') {
    problems.push({ taskId: undefined, message: `Invalid ORCHESTRATOR_INSTANCE_ID: ${label(instanceId)}` });
  }
  if (!Number.isInteger(maxParallel) || maxParallel < 1) {
    problems.push({ taskId: undefined, message: `Invalid MAX_PARALLEL: ${label(maxParallel)}` });
  }
  const seen = new Set<string>();
  // The batch may come straight from JSON (the CLI), so every field is checked as unknown.
  for (const task of tasks as readonly (Partial<Record<keyof ParallelTaskInput, unknown>> | null)[]) {
    const id = label(task?.task_id);
    // 1. task_id format
    if (typeof task?.task_id !== 'string' || !TASK_ID_PATTERN.test(task.task_id)) {
      problems.push({ taskId: id, message: `Invalid task format: ${id}` });
    } else if (seen.has(task.task_id)) {
      problems.push({ taskId: id, message: `Duplicate task_id in request: ${id}` });
    } else {
      seen.add(task.task_id);
      const existing = queryOne<{ status: string }>(db, 'SELECT status FROM orchestrator_task WHERE task_id = ?', [task.task_id]);
      if (existing) problems.push({ taskId: id, message: `Duplicate task_id: ${id} already exists in orchestrator_task (status ${existing.status})` });
    }
    // 2. spec_id exists
    const specExists =
      typeof task?.spec_id === 'string' && queryOne(db, 'SELECT 1 AS found FROM specs_specification WHERE spec_id = ?', [task.spec_id]) !== undefined;
    if (!specExists) problems.push({ taskId: id, message: `Unknown spec_id: ${label(task?.spec_id)} (task ${id})` });
    // 3. priority
    if (!isPriority(task?.priority)) problems.push({ taskId: id, message: `Invalid priority: ${label(task?.priority)} (task ${id}); expected high, medium or low` });
    // 4. estimated_hours
    const hours = task?.estimated_hours;
    if (typeof hours !== 'number' || !Number.isInteger(hours) || hours <= 0) {
      problems.push({ taskId: id, message: `Invalid estimated_hours: ${JSON.stringify(hours) ?? String(hours)} (task ${id}); expected a positive integer` });
    }
  }
  // 5. total parallel tasks: the batch, since this is a check of the input. Rows
  // already in orchestrator_task do not count: a spawned one may be waiting out a retry delay
  // and a blocked one never runs, so only the scheduler knows how many really run at once.
  if (Number.isInteger(maxParallel) && maxParallel >= 1 && tasks.length > maxParallel) {
    const message = `Too many parallel tasks: ${tasks.length} > MAX_PARALLEL ${maxParallel}`;
    for (const task of tasks.slice(maxParallel)) problems.push({ taskId: label(task.task_id), message });
  }
  return problems;
}

function failure(error: CreateParallelTasksFailure['error'], problems: readonly Problem[]): CreateParallelTasksFailure {
  const messages = [...new Set(problems.map((p) => p.message))];
  const failed = [...new Set(problems.map((p) => p.taskId).filter((id): id is string => id !== undefined))];
  return { success: false, error, message: messages.join('; '), failed_tasks: failed, created_count: 0 };
}

function insertAll(db: Database, tasks: readonly ParallelTaskInput[], instanceId: string, maxParallel: number, options: CreateParallelTasksOptions, progress: { current?: string }): CreateParallelTasksSuccess {
  const created: CreatedTask[] = [];
  tasks.forEach((task, index) => {
    progress.current = task.task_id;
    const createdAt = isoNow();
    const plan = queryOne<{ status: string; agent: string | null }>(db, 'SELECT status, agent FROM specs_task WHERE task_id = ?', [task.task_id]);
    execute(
      db,
      `INSERT INTO orchestrator_task (
         task_id, spec_id, status, priority, estimated_hours, assigned_agent, created_at, started_at,
         completed_at, orchestrator_instance_id, retry_count, error_message, run_id, updated_at)
       VALUES (?, ?, 'spawned', ?, ?, ?, ?, NULL, NULL, ?, 0, NULL, ?, ?)`,
      [task.task_id, task.spec_id, task.priority, task.estimated_hours, task.assigned_agent ?? plan?.agent, createdAt, instanceId, instanceId, createdAt],
    );
    execute(db, "UPDATE specs_task SET status = 'assigned', updated_at = ? WHERE task_id = ?", [createdAt, task.task_id]);
    recordEvent(
      db,
      {
        kind: 'task_spawned',
        runId: instanceId,
        taskId: task.task_id,
        toStatus: 'spawned',
        detail: { specTaskStatus: plan ? { from: plan.status, to: 'assigned' } : null, priority: task.priority, estimatedHours: task.estimated_hours, maxParallel },
      },
      createdAt,
    );
    options.afterInsert?.(task.task_id, index);
    created.push({ task_id: task.task_id, status: 'spawned', created_at: createdAt, orchestrator_id: instanceId, retry_count: 0 });
  });
  return { success: true, created_tasks: created, total_created: created.length, timestamp: isoNow() };
}

export function createParallelTasks(
  store: StoreDatabase,
  tasks: readonly ParallelTaskInput[],
  instanceId: string,
  maxParallel: number = DEFAULT_MAX_PARALLEL,
  options: CreateParallelTasksOptions = {},
): CreateParallelTasksResult {
  store.assertWritable();
  const problems = store.read((db) => validate(db, tasks, instanceId, maxParallel));
  if (problems.length) return failure('validation_failed', problems);
  if (tasks.length === 0) return { success: true, created_tasks: [], total_created: 0, timestamp: isoNow() };
  const progress: { current?: string } = {};
  try {
    return store.write((db) => insertAll(db, tasks, instanceId, maxParallel, options, progress));
  } catch (error) {
    return failure('transaction_failed', [
      { taskId: progress.current, message: `Rolled back all ${tasks.length} tasks: creating ${progress.current} failed: ${(error as Error).message}` },
    ]);
  }
}
