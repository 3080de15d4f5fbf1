// "Check Agents" in a real VS Code (src/vscode/agents/): the command is contributed and registered,
// it returns the engine's report for a profile whose command exists and one whose does not, the
// welcome view's context key follows the default agent without running anything, and "Set as
// Default Agent" writes the workspace setting.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentsReport } from '../../src/core';
import { setDefaultAgent } from '../../src/vscode/agents/checkAgentsCommand';
import { repoRoot } from '../support/repoRoot';
import { testingApi, waitFor } from './helpers';

const COMMAND = 'agentOrchestrator.checkAgents';
const MISSING = 'no-such-agent-cli-0xd0c';

interface Manifest {
  contributes: { commands: Array<{ command: string; title: string }>; viewsWelcome: Array<{ contents: string; when?: string }> };
}

describe('Check Agents', function () {
  this.timeout(60_000);
  const config = () => vscode.workspace.getConfiguration('agentOrchestrator');
  let before: { defaultAgent: unknown; agentProfiles: unknown };

  beforeEach(async () => {
    before = { defaultAgent: config().inspect('defaultAgent')?.workspaceValue, agentProfiles: config().inspect('agentProfiles')?.workspaceValue };
    await config().update('agentProfiles', { here: { command: process.execPath, args: [] }, gone: { command: MISSING, parser: 'codex' } }, vscode.ConfigurationTarget.Workspace);
  });
  afterEach(async () => {
    await config().update('agentProfiles', before.agentProfiles, vscode.ConfigurationTarget.Workspace);
    await config().update('defaultAgent', before.defaultAgent, vscode.ConfigurationTarget.Workspace);
  });

  it('is contributed, registered, and offered by the welcome view when the default agent is missing', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as Manifest;
    assert.equal(manifest.contributes.commands.find((c) => c.command === COMMAND)?.title, 'Check Agents');
    assert.ok((await vscode.commands.getCommands(true)).includes(COMMAND));
    const welcome = manifest.contributes.viewsWelcome.find((entry) => entry.contents.includes(`(command:${COMMAND})`));
    assert.match(welcome?.when ?? '', /agentOrchestrator\.defaultAgentMissing/);
  });

  it('reports a profile whose command exists as found, with path and version, and a missing one with its login hint', async () => {
    await config().update('defaultAgent', 'gone', vscode.ConfigurationTarget.Workspace);
    const report = await vscode.commands.executeCommand<AgentsReport>(COMMAND, { show: false });
    assert.ok(report, 'the command returned no report (is the workspace trusted?)');
    const here = report.profiles.find((p) => p.name === 'here');
    const gone = report.profiles.find((p) => p.name === 'gone');
    assert.equal(here?.state, 'found');
    assert.equal(here?.path, process.execPath);
    assert.equal(here?.version, process.version);
    assert.equal(gone?.state, 'missing');
    assert.equal(gone?.loginHint, 'run `codex login` or set OPENAI_API_KEY');
    assert.deepEqual(report.profiles.slice(0, 6).map((p) => p.name), ['claude', 'codex', 'gemini', 'aider', 'copilot', 'scripted']);
    assert.equal(report.defaultAgent, 'gone');
    assert.equal(report.defaultAgentUsable, false);
    assert.equal(report.git?.usable, true);
    assert.equal((await testingApi()).agentWatch.missing, true);
  });

  it('follows the default agent in the welcome view\'s context key, and Set as Default Agent writes the setting', async () => {
    const { agentWatch } = await testingApi();
    // Each settings change is looked up again by itself (no command runs here).
    await config().update('defaultAgent', 'here', vscode.ConfigurationTarget.Workspace);
    await waitFor('the default agent to be looked up as found', () => agentWatch.missing === false, 10_000);
    await config().update('defaultAgent', 'gone', vscode.ConfigurationTarget.Workspace);
    await waitFor('the default agent to be looked up as missing', () => agentWatch.missing === true, 10_000);
    await setDefaultAgent({ folder: vscode.workspace.workspaceFolders![0] }, { profile: 'here' }, agentWatch);
    assert.equal(config().inspect('defaultAgent')?.workspaceValue, 'here');
    assert.equal(agentWatch.missing, false);
  });
});
