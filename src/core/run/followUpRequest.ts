// Orchestrator.followUp's checks and writes (docs/review.md, "Follow-ups"): a follow-up is accepted
// only for a task that ran and is not running now, whose branch still exists (and, to resolve, whose
// target branch exists); then it is recorded and the task goes back in the queue, so the next run
// carries it out (followUpAttempt.ts). Bad input changes nothing and the error names the task and
// the branch. In run/ beside the attempt that carries it out.
import { describeRepository, integrationBranch } from '../git';
import { ACTIVE_STATUSES, isLegalTransition } from '../model';
import type { FollowUpRecord, OrchestratorStore } from '../store';

export interface FollowUpOptions {
  readonly kind?: 'followup' | 'resolve';
  /** resolve: the branch to merge into; default the latest run's integration branch. */
  readonly into?: string;
}

export interface FollowUpRequestParts {
  readonly store: Pick<OrchestratorStore, 'getTask' | 'listPlanTasks' | 'listAttempts' | 'listRuns' | 'addFollowUp' | 'transition' | 'flush'>;
  readonly repoDir: string;
  readonly branchPrefix: string;
}

async function branchExists(repoDir: string, branch: string): Promise<boolean> {
  if (branch.startsWith('-') || /\s/.test(branch)) return false;
  const { git } = await describeRepository(repoDir);
  return (await git.raw(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]).catch(() => '')).trim().length > 0;
}

/** Records the follow-up and requeues the task; throws (changing nothing) when it cannot be carried out. */
export async function requestFollowUp(parts: FollowUpRequestParts, taskId: string, prompt: string, options: FollowUpOptions = {}): Promise<FollowUpRecord> {
  const { store } = parts;
  const kind = options.kind ?? 'followup';
  if (kind !== 'followup' && kind !== 'resolve') throw new Error(`Unknown follow-up kind "${String(kind)}" for ${taskId}: use followup or resolve`);
  if (prompt.trim().length === 0) throw new Error(`The follow-up for ${taskId} is empty: say what the agent should change`);
  const task = store.getTask(taskId);
  if (!task) {
    const planned = store.listPlanTasks().some((t) => t.id === taskId);
    throw new Error(planned ? `${taskId} has not run yet: run it first, then send a follow-up` : `Unknown task ${taskId}`);
  }
  if (ACTIVE_STATUSES.has(task.status)) throw new Error(`${taskId} is ${task.status}: wait until it has finished before sending a follow-up`);
  if (!isLegalTransition(task.status, 'spawned')) throw new Error(`${taskId} is ${task.status}: it cannot be queued again`);
  const branch = store.listAttempts(taskId).filter((a) => a.branch !== null).at(-1)?.branch ?? null;
  if (!branch) throw new Error(`${taskId} has no branch to continue: none of its attempts got as far as a worktree`);
  if (!(await branchExists(parts.repoDir, branch))) throw new Error(`The branch ${branch} of ${taskId} no longer exists (discarded, or cleaned with its branches): retry the task instead`);

  let mergeInto: string | null = null;
  if (kind === 'resolve') {
    const latestRun = store.listRuns(1)[0]?.runId;
    mergeInto = options.into ?? (latestRun ? integrationBranch(parts.branchPrefix, latestRun) : null);
    if (!mergeInto) throw new Error(`Say which branch to resolve ${taskId} into: no run has made an integration branch yet`);
    if (!(await branchExists(parts.repoDir, mergeInto))) throw new Error(`Cannot resolve ${taskId} into ${mergeInto}: there is no such branch`);
  }

  const recorded = store.addFollowUp({ taskId, kind, prompt, baseRef: branch, mergeInto });
  store.transition(taskId, 'spawned', { reason: kind === 'resolve' ? `resolve the merge into ${mergeInto} (follow-up ${recorded.followUpId})` : `follow-up ${recorded.followUpId} sent` });
  await store.flush();
  return recorded;
}
