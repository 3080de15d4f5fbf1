// VS Code settings (`agentOrchestrator.*`) → the engine's OrchestratorSettings, same names.
// Only values a user actually set are passed on: the defaults live in src/core/settings.ts alone
// (package.json repeats them for the Settings UI; a test keeps the two equal).
import * as vscode from 'vscode';
import { SETTING_KEYS, userSettings, type OrchestratorSettings } from '../core';

export const SETTINGS_SECTION = 'agentOrchestrator';

/** Every engine setting is a VS Code setting of the same name (a test checks package.json has them all). */
export { SETTING_KEYS };

/**
 * Settings that make the extension run commands or write outside the workspace. In an untrusted
 * workspace VS Code ignores their workspace values (package.json `restrictedConfigurations`);
 * we do the same here, since `inspect()` still reports them.
 */
const RESTRICTED: ReadonlySet<string> = new Set(['agentProfiles', 'setupCommand', 'worktreeRoot', 'databasePath']);

/** The settings a user set for this folder (folder, workspace or user level), nothing else. */
export function readSettings(folder: vscode.Uri | undefined): Partial<OrchestratorSettings> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder);
  const trusted = vscode.workspace.isTrusted;
  return userSettings((key) => {
    const inspected = config.inspect(key);
    if (!inspected) return undefined;
    const local = trusted || !RESTRICTED.has(key) ? (inspected.workspaceFolderValue ?? inspected.workspaceValue) : undefined;
    return local ?? inspected.globalValue;
  }, folder?.fsPath);
}

/**
 * Whether an engine setting changed (the session then reopens the orchestrator). The editor's own
 * settings, such as `notifications`, are read where they are used and reopen nothing.
 */
export function affectsSettings(event: vscode.ConfigurationChangeEvent, folder: vscode.Uri | undefined): boolean {
  return SETTING_KEYS.some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`, folder));
}
