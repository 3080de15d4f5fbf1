// The two refusals of a merge the editor and the CLI tell apart (docs/review.md): the batch
// conflicts (nothing moved; the plan says where), or the target cannot be touched safely (a dirty
// checkout, or a branch checked out in another worktree).
import type { MergePlan } from './types';

/** merge() found conflicts and acceptPartial was not set: nothing was merged. */
export class MergeConflictsError extends Error {
  constructor(readonly plan: MergePlan) {
    const lines = plan.steps
      .filter((step) => step.state === 'conflict')
      .map((step) => `${step.taskId} (${step.branch}): ${step.conflictFiles.join(', ') || 'conflict'}${step.conflictsWith.length > 0 ? ` — with ${step.conflictsWith.join(', ')}` : ''}`);
    super(`Merging into ${plan.target} would conflict, so nothing was merged:\n- ${lines.join('\n- ')}`);
    this.name = 'MergeConflictsError';
  }
}

/**
 * The target cannot be merged into without touching someone's work: it is checked out in the
 * workspace with uncommitted changes in files the merge touches (`files`, `worktree` null), or
 * checked out in another worktree (`worktree`, `files` empty).
 */
export class MergeBlockedError extends Error {
  constructor(
    readonly target: string,
    readonly files: readonly string[],
    readonly worktree: string | null,
    message?: string,
  ) {
    super(
      message ??
        (worktree !== null
          ? `${target} is checked out in another worktree (${worktree}); merge there, or check out another branch in it first.`
          : `${target} is checked out in the workspace with uncommitted changes in files the merge would touch: ${files.join(', ')}. Commit or stash them first.`),
    );
    this.name = 'MergeBlockedError';
  }
}
