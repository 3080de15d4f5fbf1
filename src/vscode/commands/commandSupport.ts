// What every command file shares: its dependencies, and one way to report failures (a message
// the user can act on, the details in the log), so no command throws into VS Code's generic
// "command failed" notification.
import * as vscode from 'vscode';
import { StoreFileError } from '../../core';
import { inCommandScope } from '../session/commandLeases';
import type { OrchestratorSession } from '../session/OrchestratorSession';
import type { TreeElement } from '../tree/changeNodes';
import type { TaskTreeModel } from '../tree/TaskTreeModel';

export interface CommandDeps {
  readonly session: OrchestratorSession;
  readonly model: TaskTreeModel;
  /** The tree's current selection (a changed file stands for its task). */
  readonly selection: () => readonly TreeElement[];
  readonly log: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
  readonly workspaceState: vscode.Memento;
}

/**
 * A command that reports its failures itself, and runs in a scope of its own: the orchestrator it
 * gets stays open until it ends, even when a settings change reopens the session meanwhile
 * (src/vscode/session/commandLeases.ts).
 */
export function registerCommand(id: string, log: vscode.LogOutputChannel, handler: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await inCommandScope(() => handler(...args));
    } catch (error) {
      showError(log, error);
      return undefined;
    }
  });
}

export function showError(log: vscode.LogOutputChannel, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  log.error(error instanceof Error && error.stack ? error.stack : message);
  if (error instanceof StoreFileError) {
    showDamagedDatabase(error);
    return;
  }
  const [first, ...rest] = message.split('\n');
  const showLog = 'Show Log';
  void vscode.window.showErrorMessage(`Agent Orchestrator: ${first}${rest.length > 0 ? ` (+${rest.length} more lines in the log)` : ''}`, showLog).then((choice) => {
    if (choice === showLog) log.show();
  });
}

/**
 * The database file cannot be used: name it and what is wrong, and let the user choose. Starting
 * fresh keeps the file aside (StoreOptions.recover); nothing replaces it without being asked.
 */
function showDamagedDatabase(error: StoreFileError): void {
  const startFresh = 'Start Fresh';
  const openFolder = 'Open Folder';
  void vscode.window
    .showErrorMessage(`Agent Orchestrator: the database ${error.path} ${error.detail}. It was left untouched. Start fresh (the file is kept aside) or look at it first?`, startFresh, openFolder)
    .then((choice) => {
      if (choice === startFresh) return vscode.commands.executeCommand('agentOrchestrator.startFresh');
      if (choice === openFolder) return vscode.commands.executeCommand('agentOrchestrator.openDatabaseFolder');
      return undefined;
    });
}

/** The writer's orchestrator, or undefined after telling the user why this window cannot change the plan. */
export async function writableOrchestrator(deps: CommandDeps) {
  const orchestrator = await deps.session.open();
  if (orchestrator.readOnly) {
    const owner = orchestrator.lockOwner();
    const who = `another ${owner ? `process (pid ${owner.pid} on ${owner.hostname})` : 'window or process'}`;
    void vscode.window.showWarningMessage(
      deps.session.activeRun()
        ? `Agent Orchestrator: ${who} is running this workspace's plan; this window can only watch it (and pause, resume or cancel).`
        : `Agent Orchestrator: ${who} has this workspace's database open (no run is in progress); close it there to change the plan from this window.`,
    );
    return undefined;
  }
  return orchestrator;
}
