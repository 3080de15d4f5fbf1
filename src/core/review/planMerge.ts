// Planning a merge (docs/review.md): which tasks, in which order, into which target, and what each
// merge would do — simulated on top of the previous ones' result before anything moves
// (src/core/git/mergePrecheck.ts). A task whose branch tip the target already holds is
// `alreadyMerged`, one that changed nothing is `empty`; neither is merged. Order is the task
// graph's (src/core/graph.ts): dependencies first, so a dependent's branch, which already holds
// its dependency's work, merges after it and brings only its own.
import { buildTaskGraph } from '../graph';
import { findCheckout, gitBytes, simulateMerges } from '../git';
import { isMergeStrategy } from '../model';
import type { ReviewContext } from './reviewContext';
import { resolveTarget } from './mergeTarget';
import { taskChanges } from './taskChanges';
import type { MergePlan, MergeRequest, MergeStep, MergeStepState, TaskChanges } from './types';

export interface PlannedMerge {
  readonly plan: MergePlan;
  /** What each planned task changed, by id. */
  readonly changes: ReadonlyMap<string, TaskChanges>;
  readonly runId: string | undefined;
}

/** The tasks a request names (each completed, with a branch), or every completed one not yet merged or discarded. */
async function selectTasks(context: ReviewContext, request: MergeRequest): Promise<TaskChanges[]> {
  const { store } = context;
  if (request.taskIds && request.taskIds.length > 0 && request.all) throw new Error('Name tasks or ask for all of them, not both.');
  if (request.taskIds && request.taskIds.length > 0) {
    const chosen: TaskChanges[] = [];
    for (const taskId of new Set(request.taskIds)) {
      const task = store.getTask(taskId);
      if (!task) throw new Error(`${taskId} has not run, so there is nothing to merge`);
      if (task.status !== 'completed') throw new Error(`${taskId} is ${task.status}; only completed tasks can be merged`);
      const changes = await taskChanges(context, taskId);
      if (!changes) throw new Error(`${taskId} has no branch to merge (was it discarded, or cleaned with its branches?)`);
      chosen.push(changes);
    }
    return chosen;
  }
  if (!request.all) throw new Error('Say which tasks to merge, or ask for all completed ones.');
  const settled = new Set(store.listReviews().filter((review) => review.state !== 'unreviewed').map((review) => review.taskId));
  const completed = store.listOrchestratorTasks({ status: 'completed' }).filter((task) => !settled.has(task.taskId));
  const found = await Promise.all(completed.map((task) => taskChanges(context, task.taskId)));
  return found.filter((changes): changes is TaskChanges => changes !== undefined);
}

/** `ids` in the task graph's order (dependencies first, then the plan's order). */
function topological(context: ReviewContext, ids: readonly string[]): string[] {
  const wanted = new Set(ids);
  const tasks = context.store.listPlanTasks();
  const ordered = buildTaskGraph(tasks).order.filter((id) => wanted.has(id));
  // A task no longer in the plan still merges, after the others.
  return [...ordered, ...ids.filter((id) => !ordered.includes(id))];
}

async function isAncestor(repoDir: string, commit: string, of: string): Promise<boolean> {
  return (await gitBytes(repoDir, ['merge-base', '--is-ancestor', commit, of], [0, 1])).code === 0;
}

export async function planMerge(context: ReviewContext, request: MergeRequest): Promise<PlannedMerge> {
  const strategy = request.strategy ?? context.settings.mergeStrategy;
  if (!isMergeStrategy(strategy)) throw new Error(`Unknown merge strategy "${String(strategy)}": use merge, squash or rebase`);
  const selected = await selectTasks(context, request);
  const { target, base, exists, runId } = await resolveTarget(context, request.into);
  const changes = new Map(selected.map((task) => [task.taskId, task]));
  const order = topological(context, [...changes.keys()]);

  // Decide the trivial cases first; the rest is simulated in one chain.
  const states = new Map<string, MergeStepState>();
  for (const id of order) {
    const task = changes.get(id)!;
    const review = task.review;
    if (task.files.length === 0) states.set(id, 'empty');
    else if ((exists && (await isAncestor(context.repoDir, task.headCommit, base))) || (review.state === 'merged' && review.target === target)) states.set(id, 'alreadyMerged');
  }
  const toSimulate = order.filter((id) => !states.has(id));
  const simulation = await simulateMerges(context.repoDir, base, toSimulate.map((id) => changes.get(id)!.branch), { forceFallback: context.forceFallback });
  const conflictFiles = new Map<string, readonly string[]>();
  toSimulate.forEach((id, index) => {
    const files = simulation.merges[index].conflictFiles;
    states.set(id, files.length > 0 ? 'conflict' : 'clean');
    if (files.length > 0) conflictFiles.set(id, files);
  });

  const steps: MergeStep[] = [];
  for (const id of order) {
    const task = changes.get(id)!;
    const files = conflictFiles.get(id) ?? [];
    // The earlier clean tasks of the batch that changed a file this one conflicts in.
    const conflictsWith = steps
      .filter((step) => step.state === 'clean' && changes.get(step.taskId)!.files.some((file) => files.includes(file.path)))
      .map((step) => step.taskId);
    steps.push({ taskId: id, title: task.title, branch: task.branch, state: states.get(id)!, conflictFiles: files, conflictsWith });
  }
  const checkout = await findCheckout(context.repoDir, target);
  const plan: MergePlan = {
    target,
    targetExists: exists,
    base,
    strategy,
    steps,
    hasConflicts: steps.some((step) => step.state === 'conflict'),
    checkedOutIn: checkout?.path ?? null,
    usedFallback: simulation.usedFallback,
  };
  return { plan, changes, runId };
}
