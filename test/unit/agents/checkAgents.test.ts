// Every profile and git at once (src/core/run/checkAgents.ts), as `doctor` and "Check Agents"
// see them: built-ins and custom profiles from settings, the default agent's verdict, settings
// that are wrong reported rather than thrown.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAgents } from '../../../src/core';
import { SCRIPTED_AGENT } from './testPaths';

const BUILTINS = { scriptedAgentPath: SCRIPTED_AGENT, nodeCommand: process.execPath };

describe('run: checking every agent and git (checkAgents)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'orch-checkagents-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('checks the built-ins and the custom profiles; the default agent and git decide ok', async () => {
    const settings = {
      defaultAgent: 'mine',
      agentProfiles: { mine: { command: 'node', args: ['agent.js'] }, gone: { command: 'no-such-agent-cli-0xd0c', parser: 'gemini' } },
    };
    const report = await checkAgents({ settings, builtins: BUILTINS, cwd: dir, timeoutMs: 10_000 });
    assert.deepEqual(report.profiles.map((p) => p.name), ['claude', 'codex', 'gemini', 'aider', 'copilot', 'scripted', 'mine', 'gone']);
    const byName = new Map(report.profiles.map((p) => [p.name, p]));
    assert.equal(byName.get('scripted')!.state, 'found');
    assert.equal(byName.get('scripted')!.path, process.execPath);
    assert.equal(byName.get('scripted')!.version, process.version);
    assert.equal(byName.get('mine')!.state, 'found');
    assert.equal(byName.get('mine')!.builtin, false);
    assert.equal(byName.get('gone')!.state, 'missing');
    assert.match(byName.get('gone')!.loginHint, /GEMINI_API_KEY/);
    assert.equal(report.defaultAgent, 'mine');
    assert.equal(report.defaultAgentUsable, true);
    assert.equal(report.git?.usable, true);
    assert.equal(report.ok, true);
    assert.deepEqual(report.profileErrors, []);
  });

  it('is not ok when the default agent is missing or has no profile, and says why in data', async () => {
    const missing = await checkAgents({ settings: { defaultAgent: 'gone', agentProfiles: { gone: { command: 'no-such-agent-cli-0xd0c' } } }, builtins: BUILTINS, cwd: dir, runPrograms: false });
    assert.equal(missing.defaultAgentUsable, false);
    assert.equal(missing.ok, false);
    // Nothing was run: no versions, no git.
    assert.equal(missing.git, undefined);
    assert.ok(missing.profiles.every((p) => p.version === undefined));
    const unknown = await checkAgents({ settings: { defaultAgent: 'nobody' }, builtins: BUILTINS, cwd: dir, runPrograms: false });
    assert.equal(unknown.defaultAgent, 'nobody');
    assert.equal(unknown.ok, false);
  });

  it('reports invalid custom profiles instead of throwing, and checks the rest', async () => {
    const report = await checkAgents({ settings: { defaultAgent: 'scripted', agentProfiles: { broken: { args: 'not a list' } } }, builtins: BUILTINS, cwd: dir, runPrograms: false });
    assert.deepEqual(report.profileErrors, ['agent profile "broken": "command" must be a non-empty string', 'agent profile "broken": "args" must be an array of strings']);
    assert.equal(report.profiles.length, 6);
    assert.equal(report.ok, true);
  });

  it('flags --dangerously-skip-permissions for a root user on the profile that uses it', async () => {
    const settings = { agentProfiles: { claude: { args: ['-p', '--dangerously-skip-permissions', '--', '{prompt}'] } } };
    const asRoot = await checkAgents({ settings, builtins: BUILTINS, cwd: dir, runPrograms: false, uid: 0 });
    assert.match(asRoot.profiles.find((p) => p.name === 'claude')!.limits.join(), /refuses --dangerously-skip-permissions when run as root/);
    assert.ok(asRoot.profiles.filter((p) => p.name !== 'claude').every((p) => p.limits.length === 0));
    const asUser = await checkAgents({ settings, builtins: BUILTINS, cwd: dir, runPrograms: false, uid: 1000 });
    assert.deepEqual(asUser.profiles.find((p) => p.name === 'claude')!.limits, []);
  });
});
