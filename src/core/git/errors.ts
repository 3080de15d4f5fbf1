// Typed errors for the worktree layer: the scheduler branches on `code` (a merge conflict blocks
// a dependent task, a lock error is retried, a missing repository stops the run) and shows
// `message` to people, so every message says what is wrong and what to do.

export type WorktreeErrorCode =
  | 'not-a-repository'
  | 'bare-repository'
  | 'no-commit'
  | 'base-not-found'
  | 'invalid-name'
  | 'path-taken'
  | 'branch-exists'
  | 'branch-missing'
  | 'merge-conflict'
  | 'merge-failed'
  | 'include-invalid'
  | 'setup-failed'
  | 'not-a-worktree'
  | 'worktree-missing'
  | 'git-failed';

export class WorktreeError extends Error {
  override readonly name: string = 'WorktreeError';
  constructor(
    readonly code: WorktreeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class NotARepositoryError extends WorktreeError {
  override readonly name = 'NotARepositoryError';
  constructor(readonly dir: string, detail?: string) {
    super('not-a-repository', `${dir} is not inside a git repository${detail ? ` (${detail})` : ''} — open a folder of a git repository or run "git init" there`);
  }
}

export class NoCommitError extends WorktreeError {
  override readonly name = 'NoCommitError';
  constructor(readonly repoRoot: string) {
    super('no-commit', `the repository ${repoRoot} has no commit yet — worktrees start from a commit, so commit something first`);
  }
}

export class BaseNotFoundError extends WorktreeError {
  override readonly name = 'BaseNotFoundError';
  constructor(readonly ref: string, readonly repoRoot: string) {
    super('base-not-found', `base "${ref}" does not name a commit in ${repoRoot} — check the branch, tag or commit id`);
  }
}

export class WorktreePathTakenError extends WorktreeError {
  override readonly name = 'WorktreePathTakenError';
  constructor(readonly path: string) {
    super('path-taken', `the worktree path ${path} is already taken — remove it (or the old worktree there) or use another attempt number`);
  }
}

export class BranchExistsError extends WorktreeError {
  override readonly name = 'BranchExistsError';
  constructor(readonly branch: string) {
    super('branch-exists', `branch ${branch} already exists (an earlier run of this task attempt?) — delete it or use another attempt number`);
  }
}

/** A dependency's branch could not be merged cleanly into a dependent task's new worktree. */
export class MergeConflictError extends WorktreeError {
  override readonly name = 'MergeConflictError';
  constructor(
    /** The new task branch the dependencies were merged into. */
    readonly branch: string,
    /** The dependency branch whose merge conflicted. */
    readonly conflictingBranch: string,
    /** Every dependency branch that was to be merged, in order. */
    readonly mergeBranches: readonly string[],
    /** Repository-relative paths with conflicts. */
    readonly files: readonly string[],
  ) {
    const others = mergeBranches.filter((b) => b !== conflictingBranch);
    super(
      'merge-conflict',
      `merging ${conflictingBranch} into ${branch} conflicts in ${files.join(', ') || '(unknown files)'}` +
        (others.length > 0 ? ` (together with ${others.join(', ')})` : '') +
        ' — the dependencies changed the same lines; resolve by hand or make one task depend on the other',
    );
  }
}

export class SetupCommandError extends WorktreeError {
  override readonly name = 'SetupCommandError';
  constructor(
    readonly command: readonly string[],
    readonly exitCode: number | null,
    readonly tail: readonly string[],
    reason: string,
  ) {
    super('setup-failed', `setup command \`${command.join(' ')}\` failed: ${reason}${tail.length > 0 ? `\n${tail.slice(-10).join('\n')}` : ''}`);
  }
}

/**
 * A task's worktree folder vanished while the task used it (removed by hand, or by a clean from a
 * process that did not know the run was live). Node reports a missing working directory as ENOENT
 * of the command it was to start, which would otherwise read as "git not found".
 */
export class WorktreeMissingError extends WorktreeError {
  override readonly name = 'WorktreeMissingError';
  constructor(readonly path: string) {
    super('worktree-missing', `the worktree ${path} no longer exists — something removed it while its task ran; retry the task`);
  }
}
