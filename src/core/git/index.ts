// The git module: one worktree and branch per task attempt (WorktreeManager), with repository
// commands serialized per repository and lock errors retried. The engine uses WorktreeManager;
// the rooms it composes are exported for their types and for the few callers that need one alone.
export * from './errors';
export { type DiffStat, type FileDiffStat } from './branchWork';
export { cleanWorktrees, mayDeleteBranch, type BranchOutcomes, type CleanRequest, type CleanResult } from './cleanWorktrees';
export { createGit, ORCHESTRATOR_IDENTITY, type GitIdentity } from './gitClient';
export { isLockError, withLockRetry } from './lockRetry';
export { attemptBranch, attemptFolder, DEFAULT_BRANCH_PREFIX } from './naming';
export { parseWorktreeList, type WorktreeEntry } from './porcelain';
export { serializeOnRepository } from './repoQueue';
export { describeRepository, type RepositoryInfo } from './repository';
export { copyIncludedFiles, DEFAULT_INCLUDE_FILE, readIncludePatterns } from './worktreeInclude';
export { type CreatedWorktree, type CreateWorktreeRequest, type ManagedWorktree, type WorktreeSetupOptions } from './worktreeLifecycle';
export { WorktreeManager, type WorktreeManagerOptions } from './worktreeManager';
export { committedPaths, readHeadCommit, uncommittedPaths, type CommitRange } from './changedPaths';
export { pairConflicts, type BranchPair, type PairVerdict } from './pairConflicts';
export { concludeMerge, fastForwardBranch, filesWithConflictMarkers, isMerging, mergeLeavingConflicts, tasksOnTargetTouching, unmergedPaths } from './agentMerge';
