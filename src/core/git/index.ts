// The git module: one worktree and branch per task attempt (WorktreeManager), with repository
// commands serialized per repository and lock errors retried. The engine uses WorktreeManager;
// the rooms it composes are exported for their types and for the few callers that need one alone.
export * from './errors';
export { applyMerges, ApplyConflictError, type ApplyRequest, type ApplyResult, type ApplyStrategy, type MergeItem } from './applyMerges';
export { type DiffStat, type FileDiffStat } from './branchWork';
export { changedFiles, type GitChangeKind, type GitChangedFile } from './changedFiles';
export { cleanWorktrees, mayDeleteBranch, type BranchOutcomes, type CleanRequest, type CleanResult } from './cleanWorktrees';
export { createGit, ORCHESTRATOR_IDENTITY, type GitIdentity } from './gitClient';
export { gitBytes, gitOutput, type GitExit } from './gitOutput';
export { isLockError, withLockRetry } from './lockRetry';
export { attemptBranch, attemptFolder, checkRefArgument, DEFAULT_BRANCH_PREFIX, integrationBranch, isIntegrationBranch, safeComponent } from './naming';
export { hasMergeTreeWriteTree, simulateMerges, type MergeSimulation, type SimulatedMerge, type SimulateOptions } from './mergePrecheck';
export { branchCommit, findCheckout, uncommittedFiles, type TargetCheckout } from './mergeTarget';
export { readBlobAt, DEFAULT_BLOB_LIMIT, type BlobAt } from './readBlob';
export { parseWorktreeList, type WorktreeEntry } from './porcelain';
export { serializeOnRepository } from './repoQueue';
export { describeRepository, type RepositoryInfo } from './repository';
export { copyIncludedFiles, DEFAULT_INCLUDE_FILE, readIncludePatterns } from './worktreeInclude';
export { type CreatedWorktree, type CreateWorktreeRequest, type ManagedWorktree, type WorktreeSetupOptions } from './worktreeLifecycle';
export { WorktreeManager, type WorktreeManagerOptions } from './worktreeManager';
export { committedPaths, readBranchCommit, readHeadCommit, uncommittedPaths, type CommitRange } from './changedPaths';
export { pairConflicts, type BranchPair, type PairVerdict } from './pairConflicts';
export { concludeMerge, fastForwardBranch, filesWithConflictMarkers, isMerging, mergeLeavingConflicts, tasksOnTargetTouching, unmergedPaths } from './agentMerge';
export { defaultBranch, localBranchExists, pushBranch, pushRemote, remoteUrl } from './remotes';
export { checkGit, GIT_NEEDS, gitAtLeast, parseGitVersion, type GitCheck, type GitVersion } from './gitVersion';
export { folderSize, type FolderSize, type FolderSizeOptions } from './folderSize';
