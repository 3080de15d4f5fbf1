// Agents run commands on this machine, so nothing that starts them runs in an untrusted workspace
// (package.json declares `untrustedWorkspaces: limited`). Viewing plans, the tree and the
// dashboard stays available. `when` clauses use VS Code's own `isWorkspaceTrusted` context key.
import * as vscode from 'vscode';

export const UNTRUSTED_MESSAGE = 'This workspace is not trusted, so Agent Orchestrator will not run agents or git here. Plans, tasks and reports can still be viewed.';

/** True when the workspace is trusted; otherwise tells the user why `action` did not happen. */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  void vscode.window
    .showWarningMessage(`Agent Orchestrator cannot ${action}: ${UNTRUSTED_MESSAGE}`, manage)
    .then((choice) => (choice === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
  return false;
}
