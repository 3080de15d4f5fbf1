// "Resolve": the real merge of one task into the target, left in git's normal merge state for the
// user (VS Code's merge editor opens on the conflicted files). Where: the user's checkout when the
// target is checked out there (refused while uncommitted changes stand in the way, as for merge),
// else a worktree of the target branch under the worktree root, which stays until the user has
// committed the merge (`clean` removes it later). Always a merge commit, whatever the strategy:
// a squash or a replay has no merge state for an editor to resolve.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gitBytes, gitOutput, ORCHESTRATOR_IDENTITY, safeComponent } from '../git';
import { randomHex } from '../randomHex';
import { safeCheckout } from './merge';
import { resolveTarget } from './mergeTarget';
import { reviewsChanged, worktreesOf, type ReviewContext } from './reviewContext';
import { taskChanges } from './taskChanges';

const IDENTITY = ['-c', `user.name=${ORCHESTRATOR_IDENTITY.name}`, '-c', `user.email=${ORCHESTRATOR_IDENTITY.email}`];

export async function resolveConflicts(context: ReviewContext, taskId: string, into?: string): Promise<{ worktree: string; files: string[] }> {
  const { store, repoDir } = context;
  const task = store.getTask(taskId);
  if (!task) throw new Error(`${taskId} has not run, so there is nothing to merge`);
  if (task.status !== 'completed') throw new Error(`${taskId} is ${task.status}; only completed tasks can be merged`);
  const changes = await taskChanges(context, taskId);
  if (!changes) throw new Error(`${taskId} has no branch to merge`);
  const { target, base, exists, runId } = await resolveTarget(context, into);

  let worktree = await safeCheckout(context, target, [changes]);
  if (worktree === null) {
    if (!exists) await gitOutput(repoDir, ['branch', target, base]);
    const root = await worktreesOf(context).worktreeRoot();
    await mkdir(root, { recursive: true });
    worktree = join(root, `resolve-${safeComponent(target)}-${safeComponent(taskId)}`);
    if (existsSync(worktree)) worktree = `${worktree}-${randomHex(3)}`;
    await gitOutput(repoDir, ['worktree', 'add', '--quiet', worktree, target]);
  }
  await gitBytes(worktree, [...IDENTITY, 'merge', '--no-ff', '--no-verify', '-m', `Merge ${taskId}: ${changes.title}`, changes.branch], [0, 1]);
  const files = (await gitOutput(worktree, ['diff', '--name-only', '--diff-filter=U', '-z'])).split('\0').filter(Boolean).sort();
  if (files.length === 0) {
    // No conflict after all: the merge is committed, and the task is merged.
    const commit = (await gitOutput(worktree, ['rev-parse', 'HEAD'])).trim();
    store.recordReview({ taskId, state: 'merged', target, commit, strategy: 'merge', runId });
    await store.flush();
    await reviewsChanged(context, [taskId]);
  }
  return { worktree, files };
}
