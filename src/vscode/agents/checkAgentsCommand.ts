// "Check Agents" (agentOrchestrator.checkAgents): every agent profile and git checked by the engine
// (checkAgents: found on PATH, `--version`, how to log in, limits), shown as a Quick Pick from
// which a profile becomes the workspace's default agent or its settings open. `--version` runs
// each CLI, so like every command that starts programs it needs a trusted workspace
// (src/vscode/trust.ts). The walkthrough's "Check agents" step completes on this command's id.
import * as vscode from 'vscode';
import { checkAgents, type AgentsReport } from '../../core';
import { registerCommand } from '../commands/commandSupport';
import { SETTINGS_SECTION } from '../settings';
import { requireTrust } from '../trust';
import { agentRows, agentsTitle, type AgentRow } from './agentCheckItems';
import type { AgentCheckDeps, DefaultAgentWatch } from './defaultAgentWatch';

export const CHECK_AGENTS_COMMAND = 'agentOrchestrator.checkAgents';

const SET_DEFAULT = 'Set as Default Agent';
const OPEN_SETTINGS = 'Open Settings';
const setDefaultButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('star-empty'), tooltip: SET_DEFAULT };
const settingsButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('gear'), tooltip: OPEN_SETTINGS };

interface RowItem extends vscode.QuickPickItem {
  readonly row: AgentRow;
}

/** `executeCommand(CHECK_AGENTS_COMMAND, { show: false })` checks and returns the report without a Quick Pick. */
function showsPick(options: unknown): boolean {
  return !(typeof options === 'object' && options !== null && (options as { show?: unknown }).show === false);
}

export function registerCheckAgents(deps: AgentCheckDeps, watch: DefaultAgentWatch): vscode.Disposable {
  return registerCommand(CHECK_AGENTS_COMMAND, deps.log, async (options: unknown) => {
    if (!requireTrust('check agents (it runs each agent CLI with --version)')) return undefined;
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Agent Orchestrator: checking agents…' }, () =>
      checkAgents({ settings: deps.readSettings(), builtins: deps.builtins, cwd: deps.folder.uri.fsPath }),
    );
    watch.record(report);
    deps.log.info(`Check Agents: ${report.profiles.map((p) => `${p.name} ${p.state}${p.version ? ` (${p.version})` : ''}`).join(', ')}; git ${report.git?.versionText ?? 'not usable'}`);
    if (showsPick(options)) await showReport(deps, report, watch);
    return report;
  });
}

/** The Quick Pick: resolves when it is closed and any action chosen from it is done. */
function showReport(deps: AgentCheckDeps, report: AgentsReport, watch: DefaultAgentWatch): Promise<void> {
  const pick = vscode.window.createQuickPick<RowItem>();
  pick.title = agentsTitle(report);
  pick.placeholder = 'Choose an agent to make it the default agent or open its settings';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.items = agentRows(report).map((row) => ({
    label: row.label,
    description: row.description,
    detail: row.detail,
    row,
    buttons: row.kind === 'git' ? [] : row.kind === 'profile' && row.usable && row.profile !== report.defaultAgent ? [setDefaultButton, settingsButton] : [settingsButton],
  }));
  pick.activeItems = pick.items.filter((item) => item.row.profile === report.defaultAgent);
  let action: Promise<void> = Promise.resolve();
  const act = (work: () => Promise<void>) => {
    action = work().catch((error: unknown) => deps.log.error(String(error)));
    pick.hide();
  };
  return new Promise((resolve) => {
    pick.onDidTriggerItemButton((event) => act(() => (event.button === setDefaultButton ? setDefaultAgent(deps, event.item.row, watch) : openSettings())));
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      if (item) act(() => chooseAction(deps, item.row, report, watch));
    });
    pick.onDidHide(() => {
      pick.dispose();
      void action.then(resolve);
    });
    pick.show();
  });
}

async function chooseAction(deps: AgentCheckDeps, row: AgentRow, report: AgentsReport, watch: DefaultAgentWatch): Promise<void> {
  // git has no setting to change: the row only tells.
  if (row.kind === 'git') return;
  const actions = [...(row.kind === 'profile' && row.usable && row.profile !== report.defaultAgent ? [SET_DEFAULT] : []), OPEN_SETTINGS];
  const choice = await vscode.window.showQuickPick(actions, { title: row.profile ?? 'invalid agent profile', placeHolder: row.detail });
  if (choice === SET_DEFAULT) await setDefaultAgent(deps, row, watch);
  else if (choice === OPEN_SETTINGS) await openSettings();
}

/** Writes `agentOrchestrator.defaultAgent` where it is read from: the folder's value if it has one, else the workspace's. */
export async function setDefaultAgent(deps: Pick<AgentCheckDeps, 'folder'>, row: Pick<AgentRow, 'profile'>, watch?: DefaultAgentWatch): Promise<void> {
  if (row.profile === undefined) return;
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, deps.folder.uri);
  const target = config.inspect('defaultAgent')?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace;
  await config.update('defaultAgent', row.profile, target);
  await watch?.refresh();
  void vscode.window.showInformationMessage(`Agent Orchestrator: "${row.profile}" is now this workspace's default agent.`);
}

/** A profile's command, flags and environment live in agentProfiles. */
async function openSettings(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS_SECTION}.agentProfiles`);
}
