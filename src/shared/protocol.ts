// The typed messages between the extension host and the dashboard webview. Both sides import
// this file, so a message that one side sends and the other does not understand fails to compile.
// The webview always speaks first (`ready`); the host never posts state into a webview that
// has not loaded its script yet. This file is plain data: no `vscode`, and from the engine only
// types (erased at build time) and the status sets of src/core/model.ts, so the webview bundle
// carries no engine code but those tables. The tree reads the same sets from here.
import type { DisplayStatus } from '../core/model';
import type { RunMetrics } from '../core/report/runReport';

export { CANCELLABLE_STATUSES, RETRYABLE_STATUSES, type DisplayStatus } from '../core/model';

export interface DashboardProgress {
  readonly step: number;
  readonly total: number;
  readonly message: string;
  /** The agent's CLI retrying its API by itself, e.g. "API unreachable, retry 4/10". */
  readonly apiRetry?: string;
}

export interface DashboardTaskView {
  readonly taskId: string;
  readonly specId: string;
  readonly title: string;
  readonly status: DisplayStatus;
  readonly priority: 'high' | 'medium' | 'low';
  readonly estimatedHours: number;
  readonly dependsOn: readonly string[];
  /** Set on a fan-out child. */
  readonly parentId: string | null;
  readonly agent: string | null;
  readonly progress: DashboardProgress | null;
  /** ISO-8601 UTC. */
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly durationMs: number | null;
  readonly attempts: number;
  readonly retryCount: number;
  readonly error: string | null;
  readonly exitCode: number | null;
  readonly costUsd: number | null;
  readonly tokensIn: number | null;
  readonly tokensOut: number | null;
  readonly worktree: string | null;
  readonly branch: string | null;
  /** The agent CLI's session id of the latest attempt (claude's session_id, codex's thread_id). */
  readonly sessionId: string | null;
  readonly hasLog: boolean;
  /** Whether the task's work was merged or discarded; null: nothing recorded (not reviewed). */
  readonly review: DashboardReview | null;
}

/** A task's review state as the database records it (docs/review.md). */
export interface DashboardReview {
  readonly state: 'unreviewed' | 'merged' | 'discarded';
  /** The branch it was merged into, and the commit there that holds its work. */
  readonly target: string | null;
  readonly commit: string | null;
  readonly strategy: 'merge' | 'squash' | 'rebase' | null;
}

/** One file a task changed, as its review shows it (the engine's ChangedFile). */
export interface DashboardChangedFile {
  /** Repository-relative, the path on the right side. */
  readonly path: string;
  /** The left-side path of a rename, else null. */
  readonly oldPath: string | null;
  readonly kind: 'added' | 'modified' | 'deleted' | 'renamed';
  /** Null for a binary file. */
  readonly insertions: number | null;
  readonly deletions: number | null;
}

/** What a task changed: its branch against the commit it started from. Sent when its details open. */
export interface DashboardChanges {
  readonly taskId: string;
  readonly branch: string;
  readonly startCommit: string;
  readonly headCommit: string;
  readonly files: readonly DashboardChangedFile[];
  readonly insertions: number;
  readonly deletions: number;
}

/** Two tasks of the run that touch the same files (the conflict radar): a dashed red edge. */
export interface DashboardOverlap {
  /** taskA < taskB in string order. */
  readonly taskA: string;
  readonly taskB: string;
  readonly files: readonly string[];
  /** Whether merging both conflicts; null while one of them still runs. */
  readonly conflict: boolean | null;
}

export interface DashboardSpec {
  readonly specId: string;
  readonly title: string;
}

/** One agent attempt on the timeline, in the parallel slot it occupied. */
export interface DashboardAttempt {
  readonly taskId: string;
  readonly attempt: number;
  readonly slot: number;
  /** Milliseconds since the epoch. */
  readonly startedAt: number;
  /** Null while it runs. */
  readonly endedAt: number | null;
  readonly outcome: DisplayStatus | null;
  readonly agent: string | null;
}

/**
 * The run's metrics.json (docs/database.md), the fields the dashboard shows: the engine's
 * RunMetrics without the run's identity (shown elsewhere) and with resource_usage's peak brought
 * up a level.
 */
export type DashboardMetrics = Omit<RunMetrics, 'orchestration_id' | 'plan' | 'status' | 'strategy' | 'resource_usage'> & {
  readonly max_concurrent_agents: number;
};

export interface DashboardRun {
  readonly runId: string;
  readonly status: 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly strategy: string | null;
  readonly maxParallel: number;
  readonly summaryMd: string | null;
  readonly metrics: DashboardMetrics | null;
}

export interface DashboardState {
  readonly extensionVersion: string;
  readonly workspaceName: string | null;
  /** When the host built this state (ms since the epoch); running bars grow from here. */
  readonly generatedAt: number;
  /** `none`: the workspace has no database yet. `readOnly`: another process runs the plan. */
  readonly mode: 'none' | 'writer' | 'readOnly';
  readonly running: boolean;
  readonly paused: boolean;
  readonly trusted: boolean;
  readonly specs: readonly DashboardSpec[];
  readonly tasks: readonly DashboardTaskView[];
  /** The run going on, else the latest one. */
  readonly run: DashboardRun | null;
  /** That run's attempts. */
  readonly timeline: readonly DashboardAttempt[];
  /** That run's pairs of tasks that touch the same files. */
  readonly overlaps: readonly DashboardOverlap[];
}

/** What changed in a keyed list (statePatch.ts): items new or different, and the whole order when it is not the old one with the new items after it. */
export interface KeyedPatch<T> {
  readonly upsert: readonly T[];
  readonly keys?: readonly string[];
}

/** A state as a change to the one before it (statePatch.ts makes and applies these). */
export interface DashboardStatePatch {
  /** The top-level fields whose value changed, whole. */
  readonly fields: Partial<Omit<DashboardState, 'tasks' | 'timeline'>>;
  readonly tasks: KeyedPatch<DashboardTaskView>;
  readonly timeline: KeyedPatch<DashboardAttempt>;
}

export type HostToWebviewMessage =
  /** The whole state; `seq` numbers it for the patches that follow. */
  | { readonly type: 'state'; readonly seq: number; readonly state: DashboardState }
  /**
   * What changed since the state or patch numbered `base` (statePatch.ts); it makes state `seq`.
   * A webview that does not hold `base` (it was rebuilt meanwhile) says `ready` again.
   */
  | { readonly type: 'statePatch'; readonly base: number; readonly seq: number; readonly patch: DashboardStatePatch }
  /** The last lines of a task's output; `reset` replaces what the webview holds for it. */
  | { readonly type: 'output'; readonly taskId: string; readonly lines: readonly string[]; readonly reset: boolean }
  /**
   * The selected task's changed files, fetched when its details open (and again when its attempt
   * changes), not with every state. `changes` null: no attempt with a branch; `error`: git failed.
   */
  | { readonly type: 'changes'; readonly taskId: string; readonly changes: DashboardChanges | null; readonly error?: string }
  /** Open this task's details (the host was asked to show it, e.g. from the tree). */
  | { readonly type: 'select'; readonly taskId: string };

/** Commands the dashboard may ask the host to run; anything else is ignored by the host. */
export const DASHBOARD_COMMANDS = [
  'agentOrchestrator.showVersion',
  'agentOrchestrator.runAll',
  'agentOrchestrator.pause',
  'agentOrchestrator.resume',
  'agentOrchestrator.cancelAll',
  'agentOrchestrator.retryFailed',
  'agentOrchestrator.exportSummary',
  'agentOrchestrator.importPlan',
  'agentOrchestrator.cancelTask',
  'agentOrchestrator.runSelected',
  'agentOrchestrator.showTaskLog',
  'agentOrchestrator.openTaskWorktree',
] as const;
export type DashboardCommand = (typeof DASHBOARD_COMMANDS)[number];

/** Commands that act on one task: the host passes `{ taskId }`. */
export const TASK_COMMANDS: ReadonlySet<DashboardCommand> = new Set([
  'agentOrchestrator.cancelTask',
  'agentOrchestrator.runSelected',
  'agentOrchestrator.showTaskLog',
  'agentOrchestrator.openTaskWorktree',
  'agentOrchestrator.retryFailed',
]);

export type WebviewToHostMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'runCommand'; readonly command: DashboardCommand; readonly taskId?: string }
  /** The task whose details are open (null: none); the host streams its output while it is. */
  | { readonly type: 'selectTask'; readonly taskId: string | null }
  /** Open the task's changes in VS Code's multi-file diff editor (the host's Review Changes command). */
  | { readonly type: 'openReview'; readonly taskId: string };

/**
 * Whether a task's details list its changed files: it has a branch and its agent is not writing to
 * it right now (a queued follow-up still shows the last attempt's work). The host fetches the
 * files under the same rule.
 */
export function showsChanges(task: Pick<DashboardTaskView, 'branch' | 'status'>): boolean {
  return task.branch !== null && task.status !== 'running';
}

export function isWebviewToHostMessage(value: unknown): value is WebviewToHostMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; command?: unknown; taskId?: unknown };
  switch (message.type) {
    case 'ready':
      return true;
    case 'runCommand':
      return (
        typeof message.command === 'string' &&
        (DASHBOARD_COMMANDS as readonly string[]).includes(message.command) &&
        (message.taskId === undefined || typeof message.taskId === 'string')
      );
    case 'selectTask':
      return message.taskId === null || typeof message.taskId === 'string';
    case 'openReview':
      return typeof message.taskId === 'string' && message.taskId !== '';
    default:
      return false;
  }
}
