// What users type reaches the agent as text, never as shell: titles and prompts full of shell
// metacharacters arrive byte for byte, through a prompt file and through argv. And bad workspaces
// or profiles are refused by the façade with errors that say what to do.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentEvent } from '../../../src/core/agents';
import { NoCommitError, NotARepositoryError, WorktreeError } from '../../../src/core/git';
import { SCRIPTED_AGENT } from '../agents/testPaths';
import { git, onlyAttempt, useWorkspaces } from './engineFixture';

/** Every file name under `dir`, recursively (git internals skipped). */
function allNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => !(entry.parentPath ?? entry.path).split('/').includes('.git'))
    .map((entry) => entry.name);
}

describe('engine end to end: user input', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('passes titles and prompts with shell metacharacters to the agent verbatim, executing nothing', async () => {
    const ws = workspace();
    const title = `Quote $(touch pwned-title) "double" 'single' \`touch pwned-tick\` | & > < * $HOME %PATH% \\x`;
    // In the scripted agent's language `\;` is a literal semicolon and `\\` a backslash.
    const line = `write out.txt: $(touch pwned-1)\\; echo "x" 'y' \`touch pwned-2\` | & > < * $HOME %PATH% \\\\n`;
    const expected = `$(touch pwned-1); echo "x" 'y' \`touch pwned-2\` | & > < * $HOME %PATH% \\n\n`;
    const plan = ['## SPEC-001: Quoting', '', `- [ ] TASK-1-1: ${title}`, `  ${line}`, `- [ ] TASK-1-2: ${title} {agent: scripted-file}`, `  ${line}`, ''];
    ws.writePlan(plan.join('\n'), 'quoting.plan.md');
    const o = await ws.open({
      // The same agent, but with the prompt in a file instead of a command-line argument.
      agentProfiles: { 'scripted-file': { command: process.execPath, args: [SCRIPTED_AGENT, '--prompt-file', '{promptFile}'], parser: 'scripted' } },
    });
    await o.importPlan(join(ws.repo, 'quoting.plan.md'));
    const messages = new Map<string, string[]>();
    o.onEvent((event) => {
      if (event.type === 'agent' && event.event.kind === 'message') messages.set(event.taskId, [...(messages.get(event.taskId) ?? []), (event.event as Extract<AgentEvent, { kind: 'message' }>).text]);
    });
    const result = await o.run();
    assert.equal(result.status, 'completed', result.summaryMd);

    for (const id of ['TASK-1-1', 'TASK-1-2']) {
      const attempt = onlyAttempt(o.store, id);
      // The Markdown prompt is the title, a blank line, then the indented lines; it is written to
      // a file only for the profile that reads one.
      const promptFile = join(o.orchestratorDir, 'runs', result.runId, 'prompts', `${id}-a1.md`);
      if (id === 'TASK-1-2') assert.equal(readFileSync(promptFile, 'utf8'), `${title}\n\n${line}`);
      else assert.equal(existsSync(promptFile), false, 'a profile with {prompt} in its arguments gets no prompt file');
      // The agent got the title as one statement (it echoes what it does not understand)...
      assert.deepEqual(messages.get(id), [`note: ${title}`]);
      // ...and wrote the content byte for byte, which the orchestrator committed as is (the
      // worktree itself is gone: its work is on the branch, setting keepWorktrees).
      assert.equal(execFileSync('git', ['cat-file', 'blob', `${attempt.branch}:out.txt`], { cwd: ws.repo, encoding: 'utf8' }), expected);
      assert.equal(existsSync(attempt.worktree!), false);
      assert.equal(git(ws.repo, 'log', '-1', '--format=%s', attempt.branch!), `${id}: ${title}`);
    }
    // Nothing was run by a shell: no file from any of the `touch` commands, anywhere.
    const names = [...allNames(ws.dir), ...readdirSync(process.cwd())];
    assert.deepEqual(names.filter((name) => name.startsWith('pwned')), []);
  });

  it('refuses a folder that is not a git repository, or a repository without a commit', async () => {
    const plain = workspace('plain');
    const outside = await plain.withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
    await assert.rejects(outside.run(), (error: Error) => error instanceof NotARepositoryError && /run "git init" there/.test(error.message));

    const empty = workspace('empty');
    const uncommitted = await empty.withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
    await assert.rejects(uncommitted.run(), NoCommitError);
    for (const o of [outside, uncommitted]) {
      assert.equal(o.latestRun(), undefined);
      assert.equal(o.activeRunId, undefined);
    }
  });

  it('refuses a branch prefix git does not accept before any task starts', async () => {
    const ws = workspace();
    const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }], { branchPrefix: 'bad..prefix/' });
    await assert.rejects(o.run(), (error: Error) => error instanceof WorktreeError && /"bad\.\.prefix\/TASK-1\/a1" is not a valid branch name — check the branch prefix "bad\.\.prefix\/"/.test(error.message));
    assert.equal(o.latestRun(), undefined);
    assert.equal(o.store.listAttempts('TASK-1-1').length, 0);
    assert.equal(git(ws.repo, 'worktree', 'list', '--porcelain').split('\n').filter((line) => line.startsWith('worktree ')).length, 1);
  });

  it('refuses an unknown agent profile before starting anything, naming the task and the known profiles', async () => {
    const ws = workspace();
    const o = await ws.withPlan([
      { id: 'TASK-1-1', prompt: 'write a.txt: a' },
      { id: 'TASK-1-2', prompt: 'write b.txt: b', agent: 'gpt-9' },
    ]);
    await assert.rejects(o.run(), { message: 'No agent profile for TASK-1-2 (gpt-9); known profiles: claude, codex, gemini, aider, copilot, scripted' });
    assert.equal(o.latestRun(), undefined);
    assert.equal(o.store.listAttempts('TASK-1-1').length, 0);
  });
});
