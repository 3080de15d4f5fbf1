// The contributed task type (package.json `taskDefinitions`). One type covers both kinds of task:
// those the orchestrator starts for each agent attempt (runId + attempt + step set: unique, since
// VS Code returns the running execution instead of starting a second task with an equal
// definition) and those a user starts from tasks.json or "Run Task" (a plan task id, or nothing
// for the whole plan).
import type * as vscode from 'vscode';

export const TASK_TYPE = 'agentOrchestrator';
export const TASK_SOURCE = 'Agent Orchestrator';

export interface OrchestratorTaskDefinition extends vscode.TaskDefinition {
  readonly type: typeof TASK_TYPE;
  /** The plan task: run it (and what it needs), or the task this agent attempt belongs to. */
  readonly taskId?: string;
  /** Set only on agent attempts. */
  readonly runId?: string;
  readonly attempt?: number;
  readonly step?: 'agent' | 'verify';
}

export function isOrchestratorDefinition(definition: vscode.TaskDefinition): definition is OrchestratorTaskDefinition {
  return definition.type === TASK_TYPE;
}

/** An agent attempt's task (started by the orchestrator), as opposed to a user's "run" task. */
export function isAttemptDefinition(definition: vscode.TaskDefinition): boolean {
  return isOrchestratorDefinition(definition) && typeof definition.runId === 'string';
}
