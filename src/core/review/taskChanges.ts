// What one task changed, for its review: its latest attempt that has a branch, diffed from the
// commit that attempt started at (its base plus the dependency branches merged into it, so only
// its own work shows) to the branch's tip. Read from git objects alone, so it still works after
// `clean` removed the worktree.
import { branchCommit, changedFiles, gitOutput } from '../git';
import { FINAL_STATUSES } from '../model';
import type { AttemptRecord, StoredReview } from '../store';
import type { ReviewContext } from './reviewContext';
import type { ReviewRecord, TaskChanges } from './types';

export function reviewRecord(taskId: string, stored: StoredReview | undefined): ReviewRecord {
  return stored ?? { taskId, state: 'unreviewed', target: null, commit: null, strategy: null, updatedAt: null };
}

/** Every recorded review state, by task id. */
export function reviewStates(context: ReviewContext): Map<string, ReviewRecord> {
  return new Map(context.store.listReviews().map((review) => [review.taskId, review]));
}

/** The newest attempt of a task that made a branch. */
export function latestBranchAttempt(attempts: readonly AttemptRecord[]): (AttemptRecord & { branch: string }) | undefined {
  return [...attempts].reverse().find((attempt): attempt is AttemptRecord & { branch: string } => attempt.branch !== null);
}

/**
 * Where an attempt's own work starts. Recorded by the executor since schema v4; for an attempt
 * recorded before that, the parent of the tip when the tip is the orchestrator's own commit of
 * the task ("<TASK>: …" or "Leftovers of <TASK> …", src/core/run/agentExecutor.ts) — exact for the
 * usual one-commit branch — and otherwise the tip's first parent all the same, which may show
 * less than the task did (an agent that committed several times itself) but never another
 * task's work.
 */
async function startCommitOf(repoDir: string, attempt: AttemptRecord, head: string): Promise<string> {
  if (attempt.startCommit) return attempt.startCommit;
  return (await gitOutput(repoDir, ['rev-parse', `${head}^`]).catch(() => head)).trim();
}

/** What the task's latest attempt with a branch changed; undefined without one, or when its branch is gone. */
export async function taskChanges(context: ReviewContext, taskId: string): Promise<TaskChanges | undefined> {
  const { store, repoDir } = context;
  const task = store.getTask(taskId);
  if (!task) return undefined;
  const attempt = latestBranchAttempt(store.listAttempts(taskId));
  if (!attempt) return undefined;
  const headCommit = await branchCommit(repoDir, attempt.branch);
  if (!headCommit) return undefined;
  const startCommit = await startCommitOf(repoDir, attempt, headCommit);
  const files = await changedFiles(repoDir, startCommit, headCommit);
  const title = store.listPlanTasks().find((planned) => planned.id === taskId)?.title ?? taskId;
  return {
    taskId,
    title,
    status: task.status,
    attemptNumber: attempt.attemptNumber,
    branch: attempt.branch,
    startCommit,
    headCommit,
    files,
    insertions: files.reduce((sum, file) => sum + (file.insertions ?? 0), 0),
    deletions: files.reduce((sum, file) => sum + (file.deletions ?? 0), 0),
    review: reviewRecord(taskId, store.getReview(taskId)),
  };
}

/** Every task in a final status whose latest attempt has a branch that still exists, in task order. */
export async function reviewableTasks(context: ReviewContext): Promise<TaskChanges[]> {
  const finals = context.store.listOrchestratorTasks().filter((task) => FINAL_STATUSES.has(task.status));
  const all = await Promise.all(finals.map((task) => taskChanges(context, task.taskId)));
  return all.filter((changes): changes is TaskChanges => changes !== undefined);
}
