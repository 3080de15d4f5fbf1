// Whether the default agent's command is missing, as the context key the welcome view's "Check
// Agents" entry waits for (package.json viewsWelcome). Looked up after activation has returned and
// again when settings change, and only looked up: nothing is run, so it costs activation nothing
// and is safe in an untrusted workspace. A full check (./checkAgentsCommand.ts) updates it too.
import * as vscode from 'vscode';
import { checkAgents, type AgentsReport, type OrchestratorSettings } from '../../core';
import { CONTEXT } from '../contextKeys';

export const DEFAULT_AGENT_MISSING = CONTEXT.defaultAgentMissing;

export interface AgentCheckDeps {
  readonly folder: vscode.WorkspaceFolder;
  /** What the built-in profiles need, as the session opens the orchestrator with. */
  readonly builtins: { readonly scriptedAgentPath: string; readonly nodeCommand: string; readonly scriptedEnv: Readonly<Record<string, string>> };
  readonly readSettings: () => Partial<OrchestratorSettings>;
  readonly log: vscode.LogOutputChannel;
}

export class DefaultAgentWatch implements vscode.Disposable {
  private value: boolean | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: AgentCheckDeps) {}

  /** The last verdict (undefined before the first lookup): for tests and the command. */
  get missing(): boolean | undefined {
    return this.value;
  }

  /** Looks the default agent up on the next turn of the event loop, so activation never waits. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 0);
  }

  /** Looks the default agent's command up now, running nothing. */
  async refresh(): Promise<boolean | undefined> {
    try {
      const report = await checkAgents({ settings: this.deps.readSettings(), builtins: this.deps.builtins, cwd: this.deps.folder.uri.fsPath, runPrograms: false });
      this.record(report);
    } catch (error) {
      this.deps.log.warn(`looking up the default agent: ${String(error)}`);
    }
    return this.value;
  }

  /** Takes the verdict of any check, quick or full. */
  record(report: AgentsReport): void {
    const missing = !report.defaultAgentUsable;
    if (missing === this.value) return;
    this.value = missing;
    void vscode.commands.executeCommand('setContext', DEFAULT_AGENT_MISSING, missing);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
