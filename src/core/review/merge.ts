// Merging a planned batch (docs/review.md): refuse a conflicting batch unless the user accepted a
// partial merge, refuse a target whose checkout holds uncommitted changes the batch would touch (or
// that is checked out in another worktree), apply the clean steps in order
// (src/core/git/applyMerges.ts), and record each merged task's review state. Nothing moves unless
// all of that holds.
import { mkdir } from 'node:fs/promises';
import { ApplyConflictError, applyMerges, findCheckout, uncommittedFiles } from '../git';
import { MergeBlockedError, MergeConflictsError } from './errors';
import { planMerge, type PlannedMerge } from './planMerge';
import { reviewsChanged, worktreesOf, type ReviewContext } from './reviewContext';
import type { MergeOutcome, MergePlan, MergeRequest, MergeStep, TaskChanges } from './types';

function why(step: MergeStep): string {
  switch (step.state) {
    case 'conflict':
      return `conflicts in ${step.conflictFiles.join(', ')}`;
    case 'empty':
      return 'changed nothing';
    case 'alreadyMerged':
      return 'already in the target';
    default:
      return 'not merged';
  }
}

/** Every path the batch's tasks changed, renamed-from paths included. */
function touchedPaths(tasks: readonly TaskChanges[]): Set<string> {
  return new Set(tasks.flatMap((task) => task.files.flatMap((file) => (file.oldPath ? [file.path, file.oldPath] : [file.path]))));
}

/**
 * Where the batch may be applied: null for a temporary worktree, or the user's checkout when the
 * target is checked out there and nothing uncommitted stands in the way.
 */
export async function safeCheckout(context: ReviewContext, target: string, tasks: readonly TaskChanges[]): Promise<string | null> {
  const checkout = await findCheckout(context.repoDir, target);
  if (!checkout) return null;
  if (!checkout.isWorkspace) throw new MergeBlockedError(target, [], checkout.path);
  const { changed, staged } = await uncommittedFiles(checkout.path);
  const touched = touchedPaths(tasks);
  const blocking = [...changed].filter((path) => touched.has(path));
  if (blocking.length > 0) throw new MergeBlockedError(target, blocking.sort(), checkout.path);
  // A merge's commit would take whatever is staged with it.
  if (staged.size > 0) {
    const files = [...staged].sort();
    throw new MergeBlockedError(target, files, checkout.path, `${target} is checked out in ${checkout.path} with staged changes (${files.join(', ')}) that a merge commit would take with it. Commit or unstage them first.`);
  }
  return checkout.path;
}

function withConflict(plan: MergePlan, taskId: string, files: readonly string[]): MergePlan {
  const steps = plan.steps.map((step) => (step.taskId === taskId ? { ...step, state: 'conflict' as const, conflictFiles: files } : step));
  return { ...plan, steps, hasConflicts: true };
}

export async function merge(context: ReviewContext, request: MergeRequest): Promise<MergeOutcome> {
  const planned: PlannedMerge = await planMerge(context, request);
  const { plan, changes } = planned;
  const skipped = plan.steps.filter((step) => step.state !== 'clean').map((step) => ({ taskId: step.taskId, why: why(step) }));
  if (request.dryRun) return { plan, merged: [], skipped, targetCommit: plan.base };
  if (plan.hasConflicts && !request.acceptPartial) throw new MergeConflictsError(plan);

  const clean = plan.steps.filter((step) => step.state === 'clean').map((step) => changes.get(step.taskId)!);
  const { store, repoDir } = context;
  const recorded: string[] = [];
  const record = (taskId: string, commit: string) => {
    store.recordReview({ taskId, state: 'merged', target: plan.target, commit, strategy: plan.strategy, runId: planned.runId });
    recorded.push(taskId);
  };
  // Tasks whose work the target already holds are merged as far as the review goes.
  for (const step of plan.steps) if (step.state === 'alreadyMerged' && changes.get(step.taskId)!.review.state !== 'merged') record(step.taskId, plan.base);
  if (clean.length === 0) {
    await store.flush();
    await reviewsChanged(context, recorded);
    return { plan, merged: [], skipped, targetCommit: plan.base };
  }

  const checkout = await safeCheckout(context, plan.target, clean);
  const worktreeRoot = await worktreesOf(context).worktreeRoot();
  await mkdir(worktreeRoot, { recursive: true });
  let applied;
  try {
    applied = await applyMerges({
      repoDir,
      target: plan.target,
      createFrom: plan.targetExists ? undefined : plan.base,
      checkout,
      worktreeRoot,
      strategy: plan.strategy,
      items: clean.map((task) => ({
        branch: task.branch,
        startCommit: task.startCommit,
        subject: `${task.taskId}: ${task.title}`,
        body: commitBody(context, task),
      })),
    });
  } catch (error) {
    if (error instanceof ApplyConflictError) {
      const task = clean.find((candidate) => candidate.branch === error.branch);
      throw new MergeConflictsError(withConflict(plan, task?.taskId ?? error.branch, error.files));
    }
    throw error;
  }
  const merged = clean.map((task) => {
    // A task that brought nothing new at this point is in the target all the same.
    const commit = applied.applied.find((entry) => entry.branch === task.branch)?.commit ?? applied.targetCommit;
    record(task.taskId, commit);
    return { taskId: task.taskId, commit };
  });
  await store.flush();
  await reviewsChanged(context, recorded);
  return { plan, merged, skipped, targetCommit: applied.targetCommit };
}

/**
 * Who did the work: agent, attempt and run. Not in the "Agent: …, attempt N, run R" line of the
 * task's own commit, which crash recovery reads as a finished attempt (src/core/run/recovery.ts).
 */
function commitBody(context: ReviewContext, task: TaskChanges): string {
  const attempt = context.store.listAttempts(task.taskId).find((candidate) => candidate.attemptNumber === task.attemptNumber);
  return `Work of agent ${attempt?.agent ?? 'unknown'} (attempt ${task.attemptNumber} of run ${attempt?.runId ?? 'unknown'}), from branch ${task.branch}.`;
}
