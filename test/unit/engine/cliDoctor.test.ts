// `agent-orchestrator doctor` as users and CI run it (src/cli/doctorCommand.ts): with a PATH that
// holds only node and git, the real agent CLIs are missing and the scripted agent is found; the
// exit code says whether the default agent and git are usable; custom profiles come from the
// workspace's .vscode/settings.json like every other command's.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentsReport } from '../../../src/core';
import { useWorkspaces } from './engineFixture';

describe('engine end to end: the CLI doctor', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('--json: the missing default agent makes it exit 1; --agent scripted makes it exit 0', async () => {
    const ws = workspace('plain');
    const env = { ...process.env, PATH: ws.isolatedPath() };
    const missing = await ws.cli(['doctor', '--json'], env);
    assert.equal(missing.code, 1, missing.stderr);
    const report = JSON.parse(missing.stdout) as AgentsReport;
    assert.equal(report.defaultAgent, 'claude');
    assert.equal(report.defaultAgentUsable, false);
    assert.equal(report.ok, false);
    const byName = new Map(report.profiles.map((p) => [p.name, p]));
    assert.deepEqual([...byName.keys()], ['claude', 'codex', 'gemini', 'aider', 'copilot', 'scripted']);
    assert.equal(byName.get('claude')!.state, 'missing');
    assert.equal(byName.get('claude')!.loginHint, 'run `claude` once and log in, or set ANTHROPIC_API_KEY');
    assert.equal(byName.get('scripted')!.state, 'found');
    assert.equal(byName.get('scripted')!.path, join(env.PATH, 'node'));
    assert.equal(byName.get('scripted')!.version, execFileSync(process.execPath, ['--version'], { encoding: 'utf8' }).trim());
    assert.equal(report.git?.usable, true);
    assert.equal(report.git?.path, join(env.PATH, 'git'));

    const ready = await ws.cli(['doctor', '--json', '--agent', 'scripted'], env);
    assert.equal(ready.code, 0, ready.stderr);
    assert.equal((JSON.parse(ready.stdout) as AgentsReport).ok, true);
  });

  it('prints a table and the verdict, and checks the profiles of .vscode/settings.json', async () => {
    const ws = workspace('plain');
    mkdirSync(join(ws.repo, '.vscode'));
    writeFileSync(
      join(ws.repo, '.vscode', 'settings.json'),
      `{
  // comments are allowed, as VS Code writes them
  "agentOrchestrator.defaultAgent": "ghost",
  "agentOrchestrator.agentProfiles": { "ghost": { "command": "no-such-agent-cli-0xd0c", "parser": "codex" } },
}`,
    );
    const env = { ...process.env, PATH: ws.isolatedPath() };
    const result = await ws.cli(['doctor'], env);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stdout.split('\n');
    assert.match(lines[0], /^ {2}PROFILE +STATUS +VERSION +PATH +TO LOG IN$/);
    assert.match(result.stdout, /^\* ghost +MISSING +- +no-such-agent-cli-0xd0c not on PATH +run `codex login` or set OPENAI_API_KEY$/m);
    assert.match(result.stdout, /^ {2}scripted +found +v\d+\.\d+\.\d+ +\S+\/node /m);
    assert.match(result.stdout, /^git version \d+\.\d+\.\d+ at \S+\/git: worktrees and merge-tree --write-tree available$/m);
    assert.match(result.stdout, /^Not ready: the default agent "ghost" \(`no-such-agent-cli-0xd0c`\) is missing\. Install its CLI/m);
  });

  it('exits 1 naming git when git is not on PATH, and 2 for arguments it does not take', async () => {
    const ws = workspace('plain');
    const bin = join(ws.dir, 'only-node');
    mkdirSync(bin);
    execFileSync('ln', ['-s', process.execPath, join(bin, 'node')]);
    const env = { ...process.env, PATH: bin };
    const noGit = await ws.cli(['doctor', '--agent', 'scripted'], env);
    assert.equal(noGit.code, 1, noGit.stderr);
    assert.match(noGit.stdout, /^git: git was not found on PATH: install git 2\.38 or later$/m);
    assert.match(noGit.stdout, /^Not ready: git: git was not found on PATH/m);
    const usage = await ws.cli(['doctor', 'extra']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /doctor takes no arguments/);
  });
});
