// The engine's public surface: the one module of src/core that src/vscode and src/cli import
// (.dependency-cruiser.cjs, rule no-deep-core-import). Everything else under src/core is the
// engine's own and may change shape without the editor or the CLI noticing. Named exports only,
// grouped by what they are for, so that this list reads as the whole API.

// The façade: open a workspace, import a plan, run it, steer and clean up, read what to show.
export { Orchestrator } from './orchestrator';
export type { CleanResult, ImportResult, OrchestratorOptions } from './orchestrator';
export type { TaskWorktree } from './run/taskWorktree';

// What a run reports while it goes and when it ends, and the words for it in a terminal.
export type { OrchestratorEvent, RunResult } from './report/runEvents';
export { progressLine } from './report/progressLine';
export { describePrune, type PruneReport } from './report/pruneReport';
export { describeApiRetry } from './agents';

// Steering a run from another process, and recovering one whose process died.
export type { ControlRequest } from './run/controlChannel';
export type { RecoveryReport } from './run/recovery';
export { describeRecovery, recoveredAnything } from './run/recovery';

// The read models the views and the CLI display.
export type { AttemptRecord, ProgressCounts, RunRecord, StoreChange, StoreOptions, TaskView } from './store';
export type { DisplayStatus, PlanSpec, PlanTask, Strategy, TaskStatus } from './model';
export { FINAL_STATUSES, isStrategy } from './model';

// Review and integrate: what a task changed, merging back in dependency order, the radar and
// follow-ups (docs/review.md).
export type {
  ChangeKind,
  ChangedFile,
  FileAtCommit,
  FollowUpKind,
  MergeOutcome,
  MergePlan,
  MergeRequest,
  MergeStep,
  MergeStepState,
  MergeStrategy,
  OverlapPair,
  PullRequestResult,
  ReviewRecord,
  ReviewState,
  TaskChanges,
} from './review/types';
export { isMergeStrategy, MERGE_STRATEGIES } from './review/types';
export { MergeBlockedError, MergeConflictsError } from './review/errors';

// Plans: task and spec ids, and the problems a plan can have.
export { formatTaskId, parseSpecNumber, parseTaskId } from './plan/ids';
export { PlanValidationError, type PlanIssue } from './plan/planErrors';

// Settings and their defaults.
export { DEFAULT_SETTINGS, SETTING_KEYS, resolveSettings, userSettings } from './settings';
export type { OrchestratorSettings } from './settings';
export { KEEP_WORKTREES, type KeepWorktrees } from './settings';

// The errors the editor and the CLI tell apart (a busy workspace, a damaged database, …).
export { ReadOnlyStoreError, StoreError, StoreFileError, WorkspaceBusyError } from './store';

// The writer lock: who holds it, and whether that process still lives.
export type { LockOwner } from './store';
export { isOwnerAlive } from './store/writerLock';

// Starting processes: the port the VS Code task launcher implements, and the runner it delegates to.
export { runProcess, SpawnHelperClient, spawnHere, useSpawner, type Spawner } from './process';
export type { LaunchOrigin, LaunchRequest, OutputStream, ProcessLauncher, ProcessResult } from './process';

// Checking the agent CLIs and git before a run needs them ("Check Agents", `doctor`; docs/agents.md).
export { checkAgents, DEFAULT_CHECK_TIMEOUT_MS } from './run/checkAgents';
export type { AgentsReport, CheckAgentsOptions, CommandState, GitCheck, GitVersion, ProfileCheck } from './run/checkAgents';

// The plan as a live document in the editor: where its specs, tasks and references are, the
// metadata keys and agent names it may use (docs/plan-format.md#the-plan-as-a-live-document).
export { parsePlan } from './plan/loadPlan';
export { planKindOf, planOutline } from './plan/planOutline';
export type { OutlineRef, OutlineSpan, OutlineSpec, OutlineTask, PlanKind, PlanOutline } from './plan/planOutline';
export { METADATA_KEYS, metadataField } from './plan/inlineMetadata';
export { agentProfileNames } from './agents/profileNames';
