// Which branch a merge goes into and what it starts from. By default the run's integration branch
// `<branchPrefix>integrate/<run id>` of the latest run, made from that run's base: the commit HEAD
// named when the run was prepared (src/core/run/prepareRun.ts), which beginRun keeps in the run's
// run_started event (src/core/store/reviews.ts). For a run recorded before that was kept, the start
// commit of one of its attempts whose task has no dependencies is the same commit (its worktree
// started at the base with nothing merged in); failing both, the user must name a target.
import { branchCommit, checkRefArgument, gitBytes, integrationBranch } from '../git';
import type { ReviewContext } from './reviewContext';

export interface ResolvedTarget {
  readonly target: string;
  /** The target's tip, or the commit it will be created at. */
  readonly base: string;
  readonly exists: boolean;
  /** The run the default target belongs to (for the trace). */
  readonly runId: string | undefined;
}

function runBase(context: ReviewContext, runId: string): string | undefined {
  const recorded = context.store.runBaseCommit(runId);
  if (recorded) return recorded;
  const planned = new Map(context.store.listPlanTasks().map((task) => [task.id, task]));
  const root = context.store.listRunAttempts(runId).find((attempt) => attempt.startCommit && planned.get(attempt.taskId)?.dependsOn.length === 0);
  return root?.startCommit ?? undefined;
}

/** The request's target (or the latest run's integration branch) and the commit it starts from. */
export async function resolveTarget(context: ReviewContext, into: string | undefined): Promise<ResolvedTarget> {
  const { store, repoDir, settings } = context;
  const runId = store.listRuns(1)[0]?.runId;
  const target = into ?? (runId ? integrationBranch(settings.branchPrefix, runId) : undefined);
  if (!target) throw new Error('No run has happened yet, so there is no integration branch: name a target branch.');
  checkRefArgument(target, 'target branch');
  const valid = await gitBytes(repoDir, ['check-ref-format', '--branch', target], [0, 1, 128]);
  if (valid.code !== 0) throw new Error(`"${target}" is not a valid branch name`);
  const tip = await branchCommit(repoDir, target);
  if (tip) return { target, base: tip, exists: true, runId };
  if (into !== undefined && !(runId && into === integrationBranch(settings.branchPrefix, runId))) {
    throw new Error(`Branch ${into} does not exist; create it first, or leave out the target to use the run's integration branch.`);
  }
  const base = runId ? runBase(context, runId) : undefined;
  if (!base) throw new Error(`The base commit of run ${runId ?? '(none)'} is not recorded, so its integration branch cannot be made: name a target branch.`);
  return { target, base, exists: false, runId };
}
