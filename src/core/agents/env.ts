// The environment contract between the orchestrator and every agent.
// Wrappers and the scripted agent read these; nothing else about the orchestrator leaks in.

export interface AgentRunContext {
  readonly taskId: string;
  /** The orchestrator run this attempt belongs to. */
  readonly runId: string;
  /** Absolute path of the attempt's worktree (also the process's cwd). */
  readonly worktree: string;
  /** Where the agent may write its status JSON (docs/database.md). */
  readonly statusFile: string;
}

export const ENV_TASK_ID = 'ORCH_TASK_ID';
export const ENV_RUN_ID = 'ORCH_RUN_ID';
export const ENV_WORKTREE = 'ORCH_WORKTREE';
export const ENV_STATUS_FILE = 'ORCH_STATUS_FILE';

/** The ORCH_* variables for one agent run; merge them into LaunchRequest.env. */
export function orchestratorEnv(context: AgentRunContext): Record<string, string> {
  return {
    [ENV_TASK_ID]: context.taskId,
    [ENV_RUN_ID]: context.runId,
    [ENV_WORKTREE]: context.worktree,
    [ENV_STATUS_FILE]: context.statusFile,
  };
}
