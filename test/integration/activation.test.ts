// The extension as VS Code sees it: found, activated, its commands registered and working.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { SETTING_KEYS } from '../../src/vscode/settings';
import { extensionManifest, repoRoot } from '../support/repoRoot';
import { report } from './helpers';

const EXTENSION_ID = 'agent-orchestrator.agent-orchestrator';
const DASHBOARD_VIEW_TYPE = 'agentOrchestrator.dashboard';

describe('extension activation', () => {
  const manifest = extensionManifest();

  it('is installed under its publisher.name id', () => {
    assert.equal(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not among the loaded extensions`);
  });

  it('activates and exposes its version', async () => {
    const extension = vscode.extensions.getExtension<{ version: string; activationMs: number }>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    const api = await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal(api.version, manifest.version);
    assert.equal(typeof api.activationMs, 'number');
    report('activate() duration', `${api.activationMs.toFixed(1)} ms`);
  });

  it('registers every command it contributes', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    const contributed = fullManifest().contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 15, `only ${contributed.length} commands contributed`);
    for (const command of ['agentOrchestrator.openDashboard', 'agentOrchestrator.showVersion', ...contributed]) {
      assert.ok(commands.has(command), `command ${command} is not registered`);
    }
  });

  it('contributes each engine setting with the engine default', () => {
    const properties = fullManifest().contributes.configuration.properties;
    for (const key of SETTING_KEYS) {
      const contributed = properties[`agentOrchestrator.${key}`];
      assert.ok(contributed, `agentOrchestrator.${key} is not contributed`);
      assert.ok(contributed.markdownDescription || contributed.description, `agentOrchestrator.${key} has no description`);
      assert.deepEqual(contributed.default ?? undefined, DEFAULT_SETTINGS[key], `agentOrchestrator.${key}'s default differs from the engine's`);
    }
  });

  it('showVersion returns the version from package.json', async () => {
    const version = await vscode.commands.executeCommand<unknown>('agentOrchestrator.showVersion');
    assert.equal(version, manifest.version);
  });

  it('openDashboard opens the dashboard webview in a tab', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(dashboardTabs().length, 0, 'a dashboard tab was open before the command ran');

    await vscode.commands.executeCommand('agentOrchestrator.openDashboard');
    const tabs = await waitFor(dashboardTabs, 10_000);

    assert.equal(tabs.length, 1, `expected one dashboard tab, found ${tabs.length}`);
    assert.equal(tabs[0].label, 'Agent Orchestrator');
    await vscode.window.tabGroups.close(tabs);
  });
});

interface FullManifest {
  contributes: {
    commands: Array<{ command: string }>;
    configuration: { properties: Record<string, { default?: unknown; description?: string; markdownDescription?: string }> };
  };
}

function fullManifest(): FullManifest {
  return JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as FullManifest;
}

/** Open tabs showing a webview whose view type is the dashboard's (VS Code may prefix it). */
function dashboardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes(DASHBOARD_VIEW_TYPE));
}

/** Polls until `probe` returns a non-empty list, since tab changes reach the API asynchronously. */
async function waitFor<T>(probe: () => T[], timeoutMs: number): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found.length > 0 || Date.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
