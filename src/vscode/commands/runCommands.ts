// Running the plan and steering the run: run all / selected, pause, resume, cancel, retry.
import * as vscode from 'vscode';
import { FINAL_STATUSES, type Orchestrator, type RunResult, type TaskView } from '../../core';
import { CANCELLABLE_STATUSES, RETRYABLE_STATUSES } from '../../shared/protocol';
import { requireTrust } from '../trust';
import { registerCommand, writableOrchestrator, type CommandDeps } from './commandSupport';
import { resolveTaskIds, taskIdsFromArgs } from './taskArgs';

export function registerRunCommands(deps: CommandDeps): vscode.Disposable[] {
  const { log, session, model } = deps;
  return [
    registerCommand('agentOrchestrator.runAll', log, () => run(deps, undefined)),
    // After a crash: the interrupted tasks (and whatever had not started) run again.
    registerCommand('agentOrchestrator.resumeRun', log, () => run(deps, undefined)),
    registerCommand('agentOrchestrator.runSelected', log, async (...args) => {
      const ids = await resolveTaskIds(model, deps.selection, args, {
        candidates: (row) => row.displayStatus !== 'completed',
        placeholder: 'Tasks to run (with the unfinished tasks they need)',
        many: true,
      });
      return ids.length > 0 ? run(deps, ids) : undefined;
    }),
    registerCommand('agentOrchestrator.pause', log, async () => report(await session.control({ command: 'pause' }), 'Paused: running agents go on, no new ones start.')),
    registerCommand('agentOrchestrator.resume', log, async () => report(await session.control({ command: 'resume' }), 'Resumed.')),
    registerCommand('agentOrchestrator.cancelAll', log, async () => report(await session.control({ command: 'cancelAll' }), 'Cancelling the run: agents are being stopped.')),
    registerCommand('agentOrchestrator.cancelTask', log, async (...args) => {
      const ids = await resolveTaskIds(model, deps.selection, args, {
        candidates: (row) => CANCELLABLE_STATUSES.has(row.displayStatus),
        placeholder: 'Task to cancel',
        many: true,
      });
      for (const taskId of ids) await session.control({ command: 'cancel', taskId });
      return ids;
    }),
    registerCommand('agentOrchestrator.retryFailed', log, (...args) => retry(deps, args)),
  ];
}

/** Starts a run and resolves with its result when it ends (the palette does not wait on it). */
async function run(deps: CommandDeps, only: readonly string[] | undefined): Promise<RunResult | undefined> {
  if (!requireTrust('run agents')) return undefined;
  const orchestrator = await writableOrchestrator(deps);
  if (!orchestrator) return undefined;
  if (deps.session.isRunning) {
    void vscode.window.showInformationMessage('Agent Orchestrator: a run is already in progress; pause, cancel or wait for it.');
    return undefined;
  }
  if (only === undefined && !hasWorkToDo(orchestrator)) {
    tellNothingToRun(orchestrator);
    return undefined;
  }
  // Its end is announced by session/RunNotifier.ts, like a run started any other way.
  const result = await deps.session.startRun(only);
  deps.model.refresh();
  return result;
}

/** Whether a run would start any task: the same view of the plan as Orchestrator.run's scheduler. */
function hasWorkToDo(orchestrator: Orchestrator): boolean {
  const statuses = new Map(orchestrator.dispatchedTasks().map((row) => [row.taskId, row.status]));
  return orchestrator.planTasks().some((task) => {
    const status = statuses.get(task.id) ?? (task.done ? 'completed' : 'waiting');
    return status === 'waiting' || !FINAL_STATUSES.has(status);
  });
}

/** Instead of an empty run that would replace the last real one on the dashboard. */
function tellNothingToRun(orchestrator: Orchestrator): void {
  const retryable = orchestrator.dispatchedTasks().filter((row) => RETRYABLE_STATUSES.has(row.status)).length;
  if (retryable === 0) {
    void vscode.window.showInformationMessage('Agent Orchestrator: nothing to run — every task is completed.');
    return;
  }
  const retryFailed = 'Retry Failed';
  void vscode.window
    .showInformationMessage(`Agent Orchestrator: nothing to run — ${retryable} task${retryable === 1 ? '' : 's'} failed or did not finish. Retry Failed?`, retryFailed)
    .then((choice) => (choice === retryFailed ? vscode.commands.executeCommand('agentOrchestrator.retryFailed') : undefined));
}

/** Failed (timed-out, cancelled, blocked, interrupted) tasks go back into the queue and run again. */
async function retry(deps: CommandDeps, args: readonly unknown[]): Promise<RunResult | undefined> {
  if (!requireTrust('retry tasks')) return undefined;
  const orchestrator = await writableOrchestrator(deps);
  if (!orchestrator) return undefined;
  const ids = taskIdsFromArgs(deps.model, args).filter((id) => {
    const row: TaskView | undefined = deps.model.task(id);
    return row !== undefined && RETRYABLE_STATUSES.has(row.displayStatus);
  });
  const explicit = args.length > 0 && args[0] !== undefined;
  if (explicit && ids.length === 0) {
    void vscode.window.showInformationMessage('Agent Orchestrator: only failed, timed-out, cancelled, blocked or interrupted tasks can be retried.');
    return undefined;
  }
  const retried = await orchestrator.retry(explicit ? ids : undefined);
  deps.model.refresh();
  if (retried.length === 0) {
    void vscode.window.showInformationMessage('Agent Orchestrator: nothing to retry.');
    return undefined;
  }
  deps.log.info(`retrying ${retried.join(', ')}`);
  return run(deps, explicit ? retried : undefined);
}

function report(how: 'applied' | 'sent', message: string): 'applied' | 'sent' {
  void vscode.window.setStatusBarMessage(`Agent Orchestrator: ${how === 'sent' ? `sent to the process running the plan — ${message}` : message}`, 4000);
  return how;
}
