import type { SimpleGit } from 'simple-git';
import { WorktreeError } from './errors';
import { attemptBranch, DEFAULT_BRANCH_PREFIX } from './naming';

// Whether git accepts the branch names a run will make. naming.ts builds the names from the
// branch prefix (a setting) and task ids (from the plan); only git can say whether such a name
// is a valid ref, and asking it costs a git process, so the answer for the prefix is asked once.

async function isValidBranchName(git: SimpleGit, branch: string): Promise<boolean> {
  return git.raw(['check-ref-format', '--branch', branch]).then(
    () => true,
    () => false,
  );
}

export class BranchNameCheck {
  /** git's verdict on a branch name built from the prefix, asked once (see check). */
  private prefixCheck: Promise<boolean> | undefined;

  constructor(private readonly branchPrefix: string) {}

  /**
   * git's own check. A name made of a prefix git accepted and a task id of plain characters
   * (letters, digits, `-`, `_`) is valid too, so git is asked once per run for such names, even
   * when several tasks start at the same moment.
   */
  async check(git: SimpleGit, branch: string, taskId: string): Promise<void> {
    const plainId = /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(taskId);
    const valid = plainId ? await this.prefixAccepted(git) : await isValidBranchName(git, branch);
    if (!valid) throw this.invalid(branch);
  }

  /**
   * Whether git accepts a branch name made of the prefix and a plain task id; asked once, and not
   * at all for the default prefix, which is known good (a test asks git): one git process less
   * on the single-threaded way from a run's start to its first agent. Never rejects.
   */
  prefixAccepted(git: SimpleGit): Promise<boolean> {
    return (this.prefixCheck ??= this.branchPrefix === DEFAULT_BRANCH_PREFIX ? Promise.resolve(true) : isValidBranchName(git, this.sampleBranch()));
  }

  /** The error for a name git refused, pointing at the prefix. */
  invalid(branch: string = this.sampleBranch()): WorktreeError {
    return new WorktreeError('invalid-name', `"${branch}" is not a valid branch name — check the branch prefix "${this.branchPrefix}"`);
  }

  /** A branch name of the prefix and a plain task id, the kind prefixAccepted() asks git about. */
  private sampleBranch(): string {
    return attemptBranch(this.branchPrefix, 'TASK-1', 1);
  }
}
