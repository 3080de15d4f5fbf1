// The engine's ProcessLauncher as VS Code tasks: every agent attempt (and its verify command) is
// a task with a CustomExecution, so it shows in the terminal list while it runs, can be stopped
// from there, and reports its exit code to the tasks API like any other task.
import * as vscode from 'vscode';
import { runProcess, type LaunchOrigin, type LaunchRequest, type ProcessLauncher, type ProcessResult } from '../../core';
import { AgentPseudoterminal } from './AgentPseudoterminal';
import { TASK_SOURCE, TASK_TYPE, type OrchestratorTaskDefinition } from './taskDefinition';

export interface VsCodeTaskLauncherOptions {
  readonly folder: vscode.WorkspaceFolder;
  /** The user stopped an attempt's task: cancel that task in the orchestrator. */
  readonly onUserStop: (origin: LaunchOrigin) => void;
  readonly log: vscode.LogOutputChannel;
}

export class VsCodeTaskLauncher implements ProcessLauncher {
  constructor(private readonly options: VsCodeTaskLauncherOptions) {}

  launch(request: LaunchRequest): Promise<ProcessResult> {
    const { origin } = request;
    // Setup commands and anything else without an attempt behind it run as plain processes.
    if (!origin) return runProcess(request);
    const { options } = this;
    const name = taskName(origin);
    const pty = new AgentPseudoterminal(request, `${name} · ${origin.agent}`, () => options.onUserStop(origin));
    const definition: OrchestratorTaskDefinition = { type: TASK_TYPE, taskId: origin.taskId, runId: origin.runId, attempt: origin.attempt, step: origin.step };
    const task = new vscode.Task(definition, options.folder, name, TASK_SOURCE, new vscode.CustomExecution(async () => pty), []);
    task.presentationOptions = {
      reveal: vscode.TaskRevealKind.Never,
      focus: false,
      echo: false,
      panel: vscode.TaskPanelKind.Dedicated,
      showReuseMessage: false,
      clear: true,
      // Finished attempts close their terminal, so a long plan does not leave hundreds behind;
      // "Show Task Log" opens the complete output.
      close: true,
    };
    pty.start();
    vscode.tasks.executeTask(task).then(undefined, (error: unknown) =>
      options.log.warn(`${name}: VS Code did not start its task (${error instanceof Error ? error.message : String(error)}); the agent runs without a terminal`),
    );
    return pty.result;
  }
}

export function taskName(origin: Pick<LaunchOrigin, 'taskId' | 'attempt' | 'step'>): string {
  return `${origin.taskId} · attempt ${origin.attempt}${origin.step === 'verify' ? ' · verify' : ''}`;
}
