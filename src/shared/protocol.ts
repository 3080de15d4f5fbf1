// The typed messages between the extension host and the dashboard webview. Both sides import
// this file, so a message that one side sends and the other does not understand fails to compile.
// The webview always speaks first (`ready`); the host never posts state into a webview that
// has not loaded its script yet.

export interface DashboardTaskView {
  readonly taskId: string;
  readonly specId: string;
  readonly title: string;
  readonly status: string;
  readonly dependsOn: readonly string[];
}

export interface DashboardState {
  readonly extensionVersion: string;
  readonly workspaceName: string | null;
  readonly tasks: readonly DashboardTaskView[];
}

export type HostToWebviewMessage =
  | { readonly type: 'state'; readonly state: DashboardState };

export type WebviewToHostMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'runCommand'; readonly command: DashboardCommand };

/** Commands the dashboard may ask the host to run; anything else is ignored by the host. */
export type DashboardCommand = 'agentOrchestrator.showVersion';

export function isWebviewToHostMessage(value: unknown): value is WebviewToHostMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  if (type === 'ready') return true;
  return type === 'runCommand' && (value as { command?: unknown }).command === 'agentOrchestrator.showVersion';
}
