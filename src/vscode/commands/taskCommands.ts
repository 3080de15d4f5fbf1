// Looking at one task's work: its log, its worktree.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { registerCommand, type CommandDeps } from './commandSupport';
import { resolveTaskIds } from './taskArgs';
import { combinedLogUri, TASK_LOG_SCHEME, TaskLogDocuments } from './taskLogDocument';

export function registerTaskCommands(deps: CommandDeps): vscode.Disposable[] {
  const { log, model } = deps;
  return [
    vscode.workspace.registerTextDocumentContentProvider(TASK_LOG_SCHEME, new TaskLogDocuments()),
    registerCommand('agentOrchestrator.showTaskLog', log, async (...args) => {
      const [taskId] = await resolveTaskIds(model, deps.selection, args, { candidates: (row) => row.latestAttempt?.logPath != null, placeholder: 'Whose log?', many: false });
      if (!taskId) return undefined;
      const logPath = model.task(taskId)?.latestAttempt?.logPath;
      if (!logPath || !existsSync(logPath)) {
        void vscode.window.showInformationMessage(`Agent Orchestrator: ${taskId} has no log yet.`);
        return undefined;
      }
      // Why it failed and the verify output, when there are any, come first (taskLogDocument.ts).
      const combined = combinedLogUri(model.task(taskId)!);
      const editor = await vscode.window.showTextDocument(combined ?? vscode.Uri.file(logPath), { preview: true });
      if (combined) return combined.toString();
      const last = editor.document.lineCount - 1;
      editor.revealRange(new vscode.Range(last, 0, last, 0));
      return logPath;
    }),
    registerCommand('agentOrchestrator.openTaskWorktree', log, async (...args) => {
      const [taskId] = await resolveTaskIds(model, deps.selection, args, { candidates: (row) => row.latestAttempt?.worktree != null, placeholder: 'Open whose worktree?', many: false });
      if (!taskId) return undefined;
      // A finished task's worktree may have been removed once its work was on its branch (setting
      // keepWorktrees): the engine checks the branch out there again, so this always opens files.
      const orchestrator = await deps.session.open();
      const { path: worktree, restored, branch } = await orchestrator.taskWorktree(taskId);
      if (restored) log.info(`${taskId}: checked ${branch} out again at ${worktree}`);
      await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(worktree), { forceNewWindow: true });
      return worktree;
    }),
  ];
}
