// The `agentOrchestrator` task type for users: "Run Task" lists "run the whole plan" and one task
// per plan task; tasks.json may declare `{ "type": "agentOrchestrator", "taskId": "TASK-1-2" }`.
// Agent attempts use the same type with a run id; those are started by the orchestrator only.
import * as vscode from 'vscode';
import type { OrchestratorSession } from '../session/OrchestratorSession';
import { RunPseudoterminal } from './RunPseudoterminal';
import { isAttemptDefinition, isOrchestratorDefinition, TASK_SOURCE, TASK_TYPE, type OrchestratorTaskDefinition } from './taskDefinition';

export class AgentTaskProvider implements vscode.TaskProvider {
  constructor(private readonly session: OrchestratorSession) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const orchestrator = await this.session.openIfDatabaseExists().catch(() => undefined);
    if (!orchestrator) return [];
    const tasks = orchestrator.planTasks();
    if (tasks.length === 0) return [];
    return [this.build({ type: TASK_TYPE }), ...tasks.map((task) => this.build({ type: TASK_TYPE, taskId: task.id }, task.title))];
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const definition = task.definition;
    if (!isOrchestratorDefinition(definition) || isAttemptDefinition(definition)) return undefined;
    return this.build(definition as OrchestratorTaskDefinition, undefined, task.name);
  }

  private build(definition: OrchestratorTaskDefinition, title?: string, name?: string): vscode.Task {
    const taskId = definition.taskId;
    const label = name ?? (taskId ? `Run ${taskId}${title ? `: ${title}` : ''}` : 'Run all tasks');
    const task = new vscode.Task(definition, this.session.folder, label, TASK_SOURCE, new vscode.CustomExecution(async () => new RunPseudoterminal(this.session, taskId)), []);
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, showReuseMessage: false };
    return task;
  }
}
