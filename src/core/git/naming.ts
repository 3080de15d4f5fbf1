import { WorktreeError } from './errors';

// Branch and folder names for a task attempt. Task ids are usually TASK-1-2, but fan-out and
// custom plans can produce anything, so ids are reduced to characters that are safe both in a
// ref name (git check-ref-format) and in a folder name on every platform. Refs handed to git as
// arguments (dependency branches, diff bases) are checked so that none can be read as an option.

import { DEFAULT_SETTINGS } from '../settings';

export const DEFAULT_BRANCH_PREFIX = DEFAULT_SETTINGS.branchPrefix;

export function safeComponent(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+/, '')
    .replace(/(?:\.lock)+$/i, '')
    .replace(/[.-]+$/, '');
  return cleaned;
}

export function checkAttempt(taskId: string, attempt: number): string {
  const safe = safeComponent(taskId);
  if (safe.length === 0) throw new WorktreeError('invalid-name', `task id ${JSON.stringify(taskId)} cannot be used in a branch name`);
  if (!Number.isInteger(attempt) || attempt < 1) throw new WorktreeError('invalid-name', `attempt must be a positive integer, got ${attempt}`);
  return safe;
}

/** e.g. orch/TASK-1-2/a1 */
export function attemptBranch(prefix: string, taskId: string, attempt: number): string {
  return `${prefix}${checkAttempt(taskId, attempt)}/a${attempt}`;
}

/**
 * e.g. orch/integrate/orch-20260101-120000-3fa1: where a run's reviewed work is merged
 * (src/core/review/). Under the prefix, but never an attempt's branch: `clean` keeps it.
 */
export function integrationBranch(prefix: string, runId: string): string {
  return `${prefix}integrate/${runId}`;
}

export function isIntegrationBranch(prefix: string, branch: string): boolean {
  return branch.startsWith(`${prefix}integrate/`);
}

/** e.g. TASK-1-2-a1 (a folder under the worktree root) */
export function attemptFolder(taskId: string, attempt: number): string {
  return `${checkAttempt(taskId, attempt)}-a${attempt}`;
}

/** Refuses a ref git would misread: empty, an option (leading "-"), or holding NUL or a newline. */
export function checkRefArgument(ref: string, what: string): void {
  // Anything starting with "-" would be read by git as an option.
  if (ref.length === 0 || ref.startsWith('-') || /[\0\n]/.test(ref)) throw new WorktreeError('invalid-name', `${what} ${JSON.stringify(ref)} is not a valid git ref`);
}
