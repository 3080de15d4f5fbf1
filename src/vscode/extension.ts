// The composition root: the only place that builds the extension's objects and wires them
// together. Constructors receive their dependencies; every disposable goes to the context.
import * as vscode from 'vscode';
import { DashboardPanel } from './dashboard/DashboardPanel';
import { TaskTreeProvider } from './tree/TaskTreeProvider';

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const dashboard = new DashboardPanel(context.extensionUri, version);
  const tree = new TaskTreeProvider();

  context.subscriptions.push(
    dashboard,
    tree,
    vscode.window.registerTreeDataProvider('agentOrchestrator.tasks', tree),
    vscode.window.registerWebviewPanelSerializer(DashboardPanel.viewType, dashboard.serializer()),
    vscode.commands.registerCommand('agentOrchestrator.openDashboard', () => dashboard.show()),
    vscode.commands.registerCommand('agentOrchestrator.showVersion', () => {
      void vscode.window.showInformationMessage(`Agent Orchestrator ${version}`);
      return version;
    }),
  );
  return { version };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

/** What `vscode.extensions.getExtension(...).exports` gives tests and other extensions. */
export interface ExtensionApi {
  readonly version: string;
}
