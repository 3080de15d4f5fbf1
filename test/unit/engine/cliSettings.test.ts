// The CLI reads the same settings as the editor: the workspace's .vscode/settings.json
// (agentOrchestrator.*, comments and trailing commas allowed), agent profiles from a
// `--profiles FILE` instead, and flags over both (src/cli/workspaceSettings.ts).
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskView } from '../../../src/core/store';
import { REPO_ROOT } from '../agents/testPaths';
import { git, useWorkspaces, type Workspace } from './engineFixture';

const SCRIPTED = join(REPO_ROOT, 'dist', 'scripted-agent.js');

/** A custom profile running the scripted agent under another name. */
function scriptedAs(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: process.execPath, args: [SCRIPTED, '--task', '{taskId}', '--prompt', '{prompt}'], parser: 'scripted', ...extra };
}

function writeSettings(ws: Workspace, text: string): string {
  mkdirSync(join(ws.repo, '.vscode'), { recursive: true });
  const file = join(ws.repo, '.vscode', 'settings.json');
  writeFileSync(file, text);
  return file;
}

async function tasks(ws: Workspace): Promise<TaskView[]> {
  const { stdout } = await ws.cli(['status', '--json']);
  return (JSON.parse(stdout) as { tasks: TaskView[] }).tasks;
}

describe('engine end to end: the CLI reads settings files', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('uses the profiles, routing rules and default agent of .vscode/settings.json (JSONC)', async () => {
    const ws = workspace();
    writeSettings(
      ws,
      `// VS Code keeps comments here
{
  "editor.tabSize": 2,
  /* the orchestrator's */
  "agentOrchestrator.defaultAgent": "mine",
  "agentOrchestrator.agentProfiles": { "mine": ${JSON.stringify(scriptedAs())}, "docs-writer": ${JSON.stringify(scriptedAs())}, },
  "agentOrchestrator.routingRules": [{ "keywords": ["readme"], "agent": "docs-writer" }],
  "agentOrchestrator.maxRetries": 0,
}
`,
    );
    const plan = ws.writePlan([
      { id: 'TASK-1-1', prompt: 'write a.txt: a' },
      { id: 'TASK-1-2', prompt: 'write readme.txt: the readme' },
    ]);
    const run = await ws.cli(['run', '--plan', plan]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      (await tasks(ws)).map((t) => [t.taskId, t.status, t.agent]),
      [
        ['TASK-1-1', 'completed', 'mine'],
        ['TASK-1-2', 'completed', 'docs-writer'],
      ],
    );
    assert.equal(git(ws.repo, 'show', 'orch/TASK-1-1/a1:a.txt'), 'a');
  });

  it('--profiles FILE replaces the settings file’s profiles; flags win over both', async () => {
    const ws = workspace();
    // The settings' "mine" cannot start; the file's can.
    writeSettings(ws, JSON.stringify({ 'agentOrchestrator.defaultAgent': 'mine', 'agentOrchestrator.agentProfiles': { mine: { command: join(ws.dir, 'missing-agent') } } }));
    const profiles = join(ws.dir, 'profiles.json');
    writeFileSync(profiles, JSON.stringify({ mine: scriptedAs() }));
    const plan = ws.writePlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);

    const withFile = await ws.cli(['run', '--plan', plan, '--profiles', profiles, '--retries', '0']);
    assert.equal(withFile.code, 0, withFile.stderr);
    assert.equal((await tasks(ws))[0].agent, 'mine');

    // Without the file, the settings' broken profile is used, unless --agent says otherwise.
    const ws2 = workspace();
    writeSettings(ws2, JSON.stringify({ 'agentOrchestrator.defaultAgent': 'mine', 'agentOrchestrator.agentProfiles': { mine: { command: join(ws2.dir, 'missing-agent') } } }));
    const plan2 = ws2.writePlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
    const broken = await ws2.cli(['run', '--plan', plan2, '--retries', '0']);
    assert.equal(broken.code, 1);
    assert.match((await tasks(ws2))[0].errorMessage ?? '', /missing-agent/);
    assert.equal((await ws2.cli(['retry'])).code, 0);
    const flagged = await ws2.cli(['run', '--agent', 'scripted', '--retries', '0']);
    assert.equal(flagged.code, 0, flagged.stderr);
  });

  it('an entry named like a built-in extends it: fields left out come from the built-in', async () => {
    const ws = workspace();
    // No "command" or "parser": the built-in scripted profile's; only the arguments change.
    const args = [SCRIPTED, '--task', '{taskId}', '--prompt', 'write fixed.txt: from the settings file'];
    writeSettings(ws, JSON.stringify({ 'agentOrchestrator.agentProfiles': { scripted: { args } } }));
    const plan = ws.writePlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
    const run = await ws.cli(['run', '--plan', plan, '--agent', 'scripted']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(git(ws.repo, 'show', 'orch/TASK-1-1/a1:fixed.txt'), 'from the settings file');
  });

  it('a broken settings file or a missing --profiles file: a clear error, nothing changed', async () => {
    const ws = workspace();
    const file = writeSettings(ws, '{\n  "agentOrchestrator.defaultAgent": "scripted"\n  "agentOrchestrator.maxRetries": 0\n}\n');
    const plan = ws.writePlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
    const bad = await ws.cli(['import', plan]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, `agent-orchestrator: ${file}: invalid JSON: Expected ',' or '}' after property value (line 3, column 3)\n`);
    assert.equal(existsSync(join(ws.repo, '.agent-orchestrator')), false, 'no database was created');

    writeSettings(ws, '{}');
    const missing = await ws.cli(['import', plan, '--profiles', join(ws.dir, 'nope.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /--profiles .*nope\.json does not exist/);
    const notProfiles = join(ws.dir, 'number.json');
    writeFileSync(notProfiles, '42');
    assert.match((await ws.cli(['import', plan, '--profiles', notProfiles])).stderr, /number\.json: must hold agent profiles/);
    assert.equal(existsSync(join(ws.repo, '.agent-orchestrator')), false, 'no database was created');
  });
});
