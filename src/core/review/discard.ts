// Discarding a task's work (docs/review.md): every attempt branch of the task is deleted, with the
// worktree it is checked out in, and the task is recorded as discarded. Asking the user first is
// the caller's job (the editor's confirmation, the CLI's explicit command).
import { ACTIVE_STATUSES } from '../model';
import { reviewsChanged, worktreesOf, type ReviewContext } from './reviewContext';

export async function discard(context: ReviewContext, taskId: string): Promise<void> {
  const { store } = context;
  const task = store.getTask(taskId);
  if (!task) throw new Error(`${taskId} has not run, so there is nothing to discard`);
  if (ACTIVE_STATUSES.has(task.status)) throw new Error(`${taskId} is ${task.status}; wait for it to finish (or cancel it) before discarding its work`);
  const attempts = store.listAttempts(taskId).filter((attempt) => attempt.branch !== null);
  const branches = new Set(attempts.map((attempt) => attempt.branch!));
  const worktrees = worktreesOf(context);
  const managed = await worktrees.listManaged();
  for (const entry of managed) {
    if (entry.branch && branches.has(entry.branch)) await worktrees.remove(entry.path, { deleteBranch: true, branch: entry.branch });
  }
  // Branches whose worktree was already removed (by `clean`, say).
  await worktrees.deleteUnusedBranches((branch) => branches.has(branch));
  store.recordReview({ taskId, state: 'discarded', runId: attempts.at(-1)?.runId });
  await store.flush();
  await reviewsChanged(context, [taskId]);
}
