// The database side of crash recovery (src/core/run/recovery.ts decides; this records): a task
// whose work a dead run had already committed is completed from its branch, and a run that died
// before its own row reached the disk still gets one, ended as interrupted.
import type { Database } from 'sql.js';
import type { TaskStatus } from '../model';
import { finishAttempt, listAttempts, startAttempt } from './attempts';
import { recordEvent } from './events';
import { beginRun, endRun } from './runs';
import { execute, queryAll } from './sqlite';
import { getOrchestratorTask, transitionTask } from './taskRepository';

export interface CommittedAttempt {
  readonly taskId: string;
  /** The dead run whose executor made the commit. */
  readonly runId: string;
  readonly attemptNumber: number;
  readonly branch: string;
  readonly worktree?: string;
  readonly commit: string;
}

/** How a task that is not final gets to `completed` by legal moves (model.ts). */
const PATH_TO_COMPLETED: Partial<Record<TaskStatus, readonly TaskStatus[]>> = {
  running: ['completed'],
  spawned: ['running', 'completed'],
  interrupted: ['spawned', 'running', 'completed'],
};

/**
 * Completes a task from an attempt whose work is committed on its branch: the task `completed`,
 * the attempt's outcome `completed` with its branch. False (nothing written) when the task is
 * unknown or already has a final status.
 */
export function completeFromBranch(db: Database, found: CommittedAttempt, reason: string): boolean {
  const task = getOrchestratorTask(db, found.taskId);
  const path = task ? PATH_TO_COMPLETED[task.status] : undefined;
  if (!path) return false;
  for (const to of path) transitionTask(db, found.taskId, to, { reason, runId: found.runId, detail: { branch: found.branch, commit: found.commit } });
  const facts = { branch: found.branch, ...(found.worktree ? { worktree: found.worktree } : {}) };
  let attempt = listAttempts(db, found.taskId).find((a) => a.attemptNumber === found.attemptNumber);
  // The attempt's row may never have reached the disk: record it now, with the branch it used.
  attempt ??= startAttempt(db, { taskId: found.taskId, runId: found.runId, ...facts });
  if (attempt.endedAt === null) {
    finishAttempt(db, attempt.attemptId, { ...facts, outcome: 'completed' });
  } else {
    execute(db, "UPDATE orchestrator_attempt SET outcome = 'completed', error = NULL, branch = ? WHERE attempt_id = ?", [found.branch, attempt.attemptId]);
  }
  recordEvent(db, { kind: 'completed_from_branch', runId: found.runId, taskId: found.taskId, detail: { ...facts, commit: found.commit, attemptNumber: found.attemptNumber } });
  return true;
}

/** Every run id the database knows. */
export function knownRunIds(db: Database): Set<string> {
  return new Set(queryAll<{ run_id: string }>(db, 'SELECT run_id FROM orchestrator_run').map((row) => row.run_id));
}

/** A run that died before its row was flushed: recorded now, ended as interrupted. */
export function recordAbandonedRun(db: Database, runId: string, reason: string): void {
  beginRun(db, { runId });
  endRun(db, runId, { status: 'interrupted', metrics: { error: reason } });
}
