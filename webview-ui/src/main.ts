import './main.css';
import type { DashboardState, HostToWebviewMessage, WebviewToHostMessage } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHostMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('app');

function render(state: DashboardState): void {
  if (!root) return;
  root.replaceChildren();
  const heading = document.createElement('h1');
  heading.textContent = 'Agent Orchestrator';
  const meta = document.createElement('p');
  meta.className = 'meta';
  meta.textContent = `Version ${state.extensionVersion}${state.workspaceName ? ` · ${state.workspaceName}` : ''} · ${state.tasks.length} task(s)`;
  meta.dataset.testid = 'dashboard-meta';
  root.append(heading, meta);
}

window.addEventListener('message', (event: MessageEvent<HostToWebviewMessage>) => {
  const message = event.data;
  if (message.type === 'state') {
    vscode.setState(message.state);
    render(message.state);
  }
});

const previous = vscode.getState() as DashboardState | undefined;
if (previous) render(previous);
vscode.postMessage({ type: 'ready' });
