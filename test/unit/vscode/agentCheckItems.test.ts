// The words of "Check Agents" (src/vscode/agents/agentCheckItems.ts): a row per profile with the
// codicon of its state, the version or why there is none, the path and login hint, and git last.
import * as assert from 'node:assert/strict';
import type { AgentsReport, ProfileCheck } from '../../../src/core';
import { agentRows, agentsTitle } from '../../../src/vscode/agents/agentCheckItems';

function check(fields: Partial<ProfileCheck> & Pick<ProfileCheck, 'name' | 'state'>): ProfileCheck {
  return { command: fields.name, builtin: true, loginHint: 'log in', limits: [], ...fields };
}

const GIT = { path: '/usr/bin/git', versionText: 'git version 2.39.5', version: { major: 2, minor: 39, patch: 5 }, usable: true, mergeTree: true, problems: [] };

describe('vscode: Check Agents rows', () => {
  it('marks each profile by state, names the default, and ends with git', () => {
    const report: AgentsReport = {
      profiles: [
        check({ name: 'claude', state: 'missing', loginHint: 'run `claude` once and log in' }),
        check({ name: 'scripted', state: 'found', path: '/usr/bin/node', version: 'v20.20.2' }),
        check({ name: 'slow', state: 'found', path: '/opt/slow', versionProblem: '--version timed out after 5000 ms' }),
        check({ name: 'rooted', state: 'found', path: '/opt/claude', version: '2.1.0', limits: ['Claude Code refuses --dangerously-skip-permissions when run as root'] }),
      ],
      profileErrors: ['agent profile "bad": "command" must be a non-empty string'],
      defaultAgent: 'claude',
      defaultAgentUsable: false,
      git: GIT,
      ok: false,
    };
    const rows = agentRows(report);
    assert.deepEqual(rows.map((r) => r.label), ['$(error) claude', '$(pass) scripted', '$(warning) slow', '$(warning) rooted', '$(error) invalid agent profile', '$(pass) git']);
    assert.deepEqual(rows.map((r) => r.kind), ['profile', 'profile', 'profile', 'profile', 'invalid-profile', 'git']);
    assert.equal(rows[0].description, 'not found (default agent)');
    assert.equal(rows[0].detail, '`claude` is not on PATH · to log in: run `claude` once and log in');
    assert.equal(rows[0].usable, false);
    assert.equal(rows[1].description, 'v20.20.2');
    assert.equal(rows[1].detail, '/usr/bin/node · to log in: log in');
    assert.equal(rows[2].description, 'version unknown: --version timed out after 5000 ms');
    assert.match(rows[3].detail, / · Claude Code refuses --dangerously-skip-permissions when run as root$/);
    assert.equal(rows[4].detail, 'agent profile "bad": "command" must be a non-empty string');
    assert.equal(rows[5].description, 'git version 2.39.5');
    assert.match(agentsTitle(report), /the default agent "claude" is not usable/);
  });

  it('says a run can start when the default agent and git are usable, and git is the problem when it is not', () => {
    const ready: AgentsReport = { profiles: [check({ name: 'scripted', state: 'found', version: 'v20' })], profileErrors: [], defaultAgent: 'scripted', defaultAgentUsable: true, git: GIT, ok: true };
    assert.match(agentsTitle(ready), /ready — the default agent "scripted" and git are usable/);
    const noGit = { ...ready, git: { usable: false, mergeTree: false, problems: ['git was not found on PATH: install git 2.38 or later'] }, ok: false };
    assert.match(agentsTitle(noGit), /git is not usable/);
    assert.deepEqual(agentRows(noGit).at(-1), { kind: 'git', label: '$(error) git', description: 'not found', detail: 'git was not found on PATH: install git 2.38 or later', usable: false });
  });
});
