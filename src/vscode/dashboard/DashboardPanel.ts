import * as vscode from 'vscode';
import { isWebviewToHostMessage, type DashboardState, type HostToWebviewMessage } from '../../shared/protocol';
import { dashboardHtml } from './webviewHtml';

/** Owns the single dashboard panel: creates or reveals it, restores it after a reload. */
export class DashboardPanel implements vscode.Disposable {
  static readonly viewType = 'agentOrchestrator.dashboard';
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly version: string,
  ) {}

  show(): vscode.WebviewPanel {
    if (this.panel) {
      this.panel.reveal();
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(DashboardPanel.viewType, 'Agent Orchestrator', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [this.webviewRoot()],
    });
    this.attach(panel);
    return panel;
  }

  serializer(): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (panel) => {
        panel.webview.options = { enableScripts: true, localResourceRoots: [this.webviewRoot()] };
        this.attach(panel);
      },
    };
  }

  private webviewRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    const root = this.webviewRoot();
    panel.webview.html = dashboardHtml(
      panel.webview,
      panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.js')),
      panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.css')),
    );
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isWebviewToHostMessage(message)) return;
        if (message.type === 'ready') void this.post({ type: 'state', state: this.state() });
        else void vscode.commands.executeCommand(message.command);
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
      }),
    );
  }

  private state(): DashboardState {
    return { extensionVersion: this.version, workspaceName: vscode.workspace.name ?? null, tasks: [] };
  }

  private post(message: HostToWebviewMessage): Thenable<boolean> | undefined {
    return this.panel?.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
