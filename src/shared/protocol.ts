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
}

export type HostToWebviewMessage =
  | { readonly type: 'state'; readonly state: DashboardState }
  /** The last lines of a task's output; `reset` replaces what the webview holds for it. */
  | { readonly type: 'output'; readonly taskId: string; readonly lines: readonly string[]; readonly reset: boolean };

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
  | { readonly type: 'selectTask'; readonly taskId: string | null };

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
    default:
      return false;
  }
}
