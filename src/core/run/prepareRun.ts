// Before a run writes anything: git checks the repository, the branch prefix and stale worktrees,
// and names the commit every task's worktree starts from. In run/ because it is the first step of
// a run; the checks themselves are src/core/git's.
import { WorktreeManager } from '../git';
import type { OrchestratorSettings } from '../settings';

export interface PreparedRun {
  readonly worktrees: WorktreeManager;
  /** The commit HEAD named when the run was prepared: every task's worktree starts from it. */
  readonly baseCommit: string;
}

/** The run's worktree manager, once git has checked the repository, the branch prefix and stale worktrees. */
export async function prepareRun(workspaceRoot: string, settings: OrchestratorSettings): Promise<PreparedRun> {
  const worktrees = new WorktreeManager({
    repoDir: workspaceRoot,
    branchPrefix: settings.branchPrefix,
    worktreeRoot: settings.worktreeRoot,
    setupCommand: settings.setupCommand ? [...settings.setupCommand] : undefined,
    ...(settings.useWorktreeInclude ? {} : { include: [] }),
  });
  const { head } = await worktrees.prepare();
  return { worktrees, baseCommit: head };
}
