// Applying a planned batch of merges to a target branch (src/core/review/ decides what and in which
// order; this file only moves commits). Where: in the user's checkout when the target is checked
// out there (the caller has refused a checkout whose uncommitted changes the batch would touch),
// otherwise in a temporary detached worktree under the worktree root, started at the target's tip,
// whose result becomes the branch with one compare-and-swap `update-ref` at the very end: until
// the whole batch succeeded, the target has not moved. How, per strategy:
//   merge  — `merge --no-ff --no-verify -m "Merge <subject>"`: one merge commit per task;
//   squash — the task's own commits (startCommit..branch, no merges) applied together, then one
//            commit "<subject>" with `body` (`merge --squash` would bring a dependency's work
//            again, which its own squash commit already brought);
//   rebase — the same commits replayed one by one (cherry-pick --no-commit + commit -C: author
//            and message kept, hooks skipped).
// A step that conflicts after all (the simulation can differ from the real merge for squash and
// rebase) is undone with the whole batch and reported with its files. Commits carry the
// orchestrator's identity (gitClient.ts).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomHex } from '../randomHex';
import { ORCHESTRATOR_IDENTITY, type GitIdentity } from './gitClient';
import { gitBytes, gitOutput, type GitExit } from './gitOutput';
import { checkRefArgument, safeComponent } from './naming';

export type ApplyStrategy = 'merge' | 'squash' | 'rebase';

export interface MergeItem {
  readonly branch: string;
  /** Where the branch's own work starts (rebase replays startCommit..branch). */
  readonly startCommit: string;
  /** "TASK-1-2: title". */
  readonly subject: string;
  readonly body: string;
}

export interface ApplyRequest {
  readonly repoDir: string;
  readonly target: string;
  /** When the target branch does not exist yet: the commit it is created at. */
  readonly createFrom?: string;
  /** The checkout where the target is checked out (the user's); null: work in a temporary worktree. */
  readonly checkout: string | null;
  /** Where the temporary worktree goes. */
  readonly worktreeRoot: string;
  readonly strategy: ApplyStrategy;
  readonly items: readonly MergeItem[];
  readonly identity?: GitIdentity;
}

export interface ApplyResult {
  /** The target's commit after each item that brought something. */
  readonly applied: ReadonlyArray<{ readonly branch: string; readonly commit: string }>;
  /** Items that turned out to bring nothing the target did not already have. */
  readonly unchanged: readonly string[];
  readonly targetCommit: string;
}

/** A step conflicted during the real merge: the batch was undone. */
export class ApplyConflictError extends Error {
  constructor(
    readonly branch: string,
    readonly files: readonly string[],
    target: string,
  ) {
    super(`Merging ${branch} into ${target} conflicted in ${files.join(', ') || 'an unknown file'}; the whole batch was undone and ${target} is unchanged.`);
    this.name = 'ApplyConflictError';
  }
}

export async function applyMerges(request: ApplyRequest): Promise<ApplyResult> {
  const { repoDir, target, checkout } = request;
  checkRefArgument(target, 'target branch');
  const identity = request.identity ?? ORCHESTRATOR_IDENTITY;
  const existing = (await gitBytes(repoDir, ['rev-parse', '--verify', '--quiet', `refs/heads/${target}`], [0, 1])).stdout.toString('utf8').trim() || undefined;
  const start = existing ?? request.createFrom;
  if (!start) throw new Error(`branch ${target} does not exist and no commit to create it from was given`);
  if (checkout !== null && !existing) throw new Error(`${target} is said to be checked out in ${checkout} but has no commit`);

  const cwd = checkout ?? join(request.worktreeRoot, `integrate-${safeComponent(target)}-${randomHex(4)}`);
  if (checkout === null) await gitOutput(repoDir, ['worktree', 'add', '--detach', '--quiet', cwd, start]);
  const before = (await gitOutput(cwd, ['rev-parse', 'HEAD'])).trim();
  const git = (args: readonly string[], ok?: readonly number[]) => gitBytes(cwd, [...identityArgs(identity), ...args], ok);
  try {
    const applied: { branch: string; commit: string }[] = [];
    const unchanged: string[] = [];
    for (const item of request.items) {
      const moved = await applyOne(git, cwd, request.strategy, item, target);
      if (moved) applied.push({ branch: item.branch, commit: (await gitOutput(cwd, ['rev-parse', 'HEAD'])).trim() });
      else unchanged.push(item.branch);
    }
    const targetCommit = (await gitOutput(cwd, ['rev-parse', 'HEAD'])).trim();
    // Compare-and-swap: fails if someone moved the branch meanwhile (or, "" as the old value,
    // created it meanwhile).
    if (checkout === null) await gitOutput(repoDir, ['update-ref', '-m', `agent-orchestrator: merge into ${target}`, `refs/heads/${target}`, targetCommit, existing ?? '']);
    return { applied, unchanged, targetCommit };
  } catch (error) {
    if (checkout !== null) {
      // Back to where the user's branch was; --keep leaves their uncommitted changes alone.
      await git(['reset', '--merge'], [0, 1, 128]).catch(() => undefined);
      await git(['reset', '--keep', before], [0, 1, 128]).catch(() => undefined);
    }
    throw error;
  } finally {
    if (checkout === null) {
      await gitOutput(repoDir, ['worktree', 'remove', '--force', cwd]).catch(() => undefined);
      rmSync(cwd, { recursive: true, force: true });
      await gitOutput(repoDir, ['worktree', 'prune']).catch(() => undefined);
    }
  }
}

function identityArgs(identity: GitIdentity): string[] {
  return ['-c', `user.name=${identity.name}`, '-c', `user.email=${identity.email}`];
}

type Git = (args: readonly string[], ok?: readonly number[]) => ReturnType<typeof gitBytes>;

/** One item; true when it added a commit. Throws ApplyConflictError (after cleaning the index) on a conflict. */
async function applyOne(git: Git, cwd: string, strategy: ApplyStrategy, item: MergeItem, target: string): Promise<boolean> {
  checkRefArgument(item.branch, 'branch');
  const before = (await gitOutput(cwd, ['rev-parse', 'HEAD'])).trim();
  if (strategy === 'merge') {
    const merged = await git(['merge', '--no-ff', '--no-verify', '--quiet', '-m', `Merge ${item.subject}`, '-m', item.body, item.branch], [0, 1]);
    await throwIfConflicted(git, cwd, item.branch, target, merged);
  } else {
    // The task's own commits only (startCommit..branch, without the dependency merges): a squash
    // of the whole branch would bring its dependencies' work again, in conflict with their own
    // squashed commits already on the target.
    checkRefArgument(item.startCommit, 'start commit');
    const commits = (await gitOutput(cwd, ['rev-list', '--reverse', '--no-merges', `${item.startCommit}..${item.branch}`])).split('\n').filter(Boolean);
    for (const commit of commits) {
      const picked = await git(['cherry-pick', '--no-commit', commit], [0, 1]);
      await throwIfConflicted(git, cwd, item.branch, target, picked);
      if (strategy === 'squash' || (await nothingStaged(git))) continue; // squash: one commit at the end; rebase: already in the target
      await git(['commit', '--quiet', '--no-verify', '-C', commit]);
    }
    if (strategy === 'squash') {
      if (await nothingStaged(git)) return false;
      await git(['commit', '--quiet', '--no-verify', '-m', item.subject, '-m', item.body]);
    }
  }
  return (await gitOutput(cwd, ['rev-parse', 'HEAD'])).trim() !== before;
}

async function nothingStaged(git: Git): Promise<boolean> {
  return (await git(['diff', '--cached', '--quiet'], [0, 1])).code === 0;
}

/** After a merge or cherry-pick that exited 0 or 1: a conflict, or a refusal (exit 1 without one), throws. */
async function throwIfConflicted(git: Git, cwd: string, branch: string, target: string, step: GitExit): Promise<void> {
  const unmerged = (await gitOutput(cwd, ['diff', '--name-only', '--diff-filter=U', '-z'])).split('\0').filter(Boolean);
  if (unmerged.length === 0) {
    if (step.code === 0) return;
    throw new Error(`git could not merge ${branch} into ${target}: ${step.stderr.trim().split('\n')[0] || step.stdout.toString('utf8').trim().split('\n')[0] || `exit ${step.code}`}`);
  }
  await git(['reset', '--merge'], [0, 1, 128]).catch(() => undefined);
  throw new ApplyConflictError(branch, [...new Set(unmerged)].sort(), target);
}
