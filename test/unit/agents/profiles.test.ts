import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser, type AgentEvent } from '../../../src/core/agents/parsers';
import { runProcess } from '../../../src/core/process/processRunner';
import { builtinProfiles, expandArgv, ProfileError, resolveProfiles, usesPlaceholder, validateCustomProfile, type AgentProfile } from '../../../src/core/agents/profiles';
import { SCRIPTED_AGENT } from './testPaths';

const options = { scriptedAgentPath: '/opt/ext/dist/scripted-agent.js' };
const byName = (name: string): AgentProfile => {
  const profile = builtinProfiles(options).find((p) => p.name === name);
  assert.ok(profile, name);
  return profile;
};

describe('profiles', () => {
  it('has a built-in profile with a parser for every supported CLI', () => {
    const profiles = builtinProfiles(options);
    assert.deepEqual(profiles.map((p) => [p.name, p.parser]), [
      ['claude', 'claude'],
      ['codex', 'codex'],
      ['gemini', 'gemini'],
      ['aider', 'aider'],
      ['copilot', 'copilot'],
      ['scripted', 'scripted'],
    ]);
    assert.ok(profiles.every((p) => p.builtin));
  });

  it('substitutes placeholders inside argv elements without splitting them', () => {
    const prompt = `- fix "the bug"; rm -rf / && echo $HOME {taskId}`;
    const values = { prompt, promptFile: '/tmp/p.md', taskId: 'TASK-1-2', worktree: '/wt/TASK-1-2-a1' };
    assert.deepEqual(expandArgv(byName('claude'), values), [
      'claude', '-p', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', '--', prompt,
    ]);
    assert.deepEqual(expandArgv(byName('codex'), values), ['codex', 'exec', '--json', '-C', '/wt/TASK-1-2-a1', '-s', 'workspace-write', '--', prompt]);
    assert.equal(expandArgv(byName('gemini'), values)[1], `--prompt=${prompt}`);
    assert.equal(expandArgv(byName('aider'), values)[1], '--message-file=/tmp/p.md');
    assert.deepEqual(expandArgv(byName('scripted'), values), ['node', '/opt/ext/dist/scripted-agent.js', '--task', 'TASK-1-2', '--prompt', prompt]);
  });

  it('tells which profiles read their prompt from a file', () => {
    assert.deepEqual(builtinProfiles(options).filter((p) => usesPlaceholder(p, 'promptFile')).map((p) => p.name), ['aider']);
    assert.equal(usesPlaceholder({ command: '{worktree}/bin/agent', args: [] }, 'worktree'), true);
    assert.equal(usesPlaceholder({ command: 'agent', args: ['{promptFiles}', 'prompt'] }, 'promptFile'), false);
  });

  it('expands in one pass, leaves unknown braces alone, and names missing values', () => {
    const profile = { name: 'x', command: '{worktree}/bin/agent', args: ['{"json": 1}', 'id={taskId}', '{prompt}'] };
    assert.deepEqual(expandArgv(profile, { worktree: '/w', taskId: 'T', prompt: '{worktree} stays' }), ['/w/bin/agent', '{"json": 1}', 'id=T', '{worktree} stays']);
    assert.throws(() => expandArgv(profile, { worktree: '/w', taskId: 'T' }), (e: Error) => e instanceof ProfileError && /uses \{prompt\} but no prompt/.test(e.message));
  });

  it('refuses an argument too long for the OS and points to {promptFile}', () => {
    assert.throws(() => expandArgv(byName('claude'), { prompt: 'x'.repeat(200 * 1024) }), /use \{promptFile\}/);
  });

  it('validates custom profiles from settings', () => {
    assert.deepEqual(validateCustomProfile({ name: 'mine', command: '' }).errors, ['agent profile "mine": "command" must be a non-empty string']);
    assert.deepEqual(validateCustomProfile({ name: 'mine', command: 'x', args: 'one two' }).errors, ['agent profile "mine": "args" must be an array of strings']);
    assert.deepEqual(validateCustomProfile({ name: 'mine', command: 'x', args: ['a', 3] }).errors, ['agent profile "mine": "args" must be an array of strings']);
    assert.match(validateCustomProfile({ name: 'mine', command: 'x', parser: 'nope' }).errors[0], /"parser" must be one of/);
    assert.deepEqual(validateCustomProfile('claude').errors, ['agent profile: must be an object']);
    assert.deepEqual(validateCustomProfile({ command: 'x' }).errors, ['agent profile: "name" must be a non-empty string']);
    const ok = validateCustomProfile({ name: 'wrapper', command: './agent.sh', args: ['{promptFile}'], env: { MODE: 'ci' } });
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.profile, { name: 'wrapper', command: './agent.sh', args: ['{promptFile}'], parser: 'plain', env: { MODE: 'ci' }, description: undefined, builtin: false });
  });

  it('merges custom profiles (list or object form) over the built-ins', () => {
    const fromObject = resolveProfiles({ claude: { command: 'claude', args: ['-p', '{prompt}'], parser: 'claude' }, broken: { command: 7 } }, options);
    assert.equal(fromObject.profiles.get('claude')?.builtin, false);
    assert.deepEqual(fromObject.profiles.get('claude')?.args, ['-p', '{prompt}']);
    assert.equal(fromObject.profiles.has('broken'), false);
    assert.deepEqual(fromObject.errors, ['agent profile "broken": "command" must be a non-empty string']);
    const fromList = resolveProfiles([{ name: 'echo', command: 'echo', args: ['{prompt}'] }], options);
    assert.equal(fromList.profiles.get('echo')?.parser, 'plain');
    assert.equal(fromList.profiles.size, 7);
  });

  it('completes an entry named like a built-in from it, merging env over the built-in env', () => {
    const builtinClaude = builtinProfiles(options).find((p) => p.name === 'claude')!;
    const { profiles, errors } = resolveProfiles(
      {
        claude: { env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' } },
        codex: { command: '/opt/codex/bin/codex' },
        scripted: { env: { EXTRA: '1' } },
      },
      { ...options, scriptedEnv: { ELECTRON_RUN_AS_NODE: '1' } },
    );
    assert.deepEqual(errors, []);
    const claude = profiles.get('claude')!;
    assert.deepEqual([claude.command, claude.args, claude.parser], [builtinClaude.command, builtinClaude.args, 'claude']);
    assert.deepEqual(claude.env, { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' });
    assert.equal(claude.builtin, false);
    assert.equal(profiles.get('codex')!.command, '/opt/codex/bin/codex');
    assert.deepEqual(profiles.get('codex')!.args, builtinProfiles(options).find((p) => p.name === 'codex')!.args);
    assert.deepEqual(profiles.get('scripted')!.env, { ELECTRON_RUN_AS_NODE: '1', EXTRA: '1' });
    // A list entry names itself; a bad field is still reported against the built-in's name.
    assert.equal(resolveProfiles([{ name: 'gemini', env: { GEMINI_API_KEY: 'k' } }], options).profiles.get('gemini')!.command, 'gemini');
    assert.deepEqual(resolveProfiles({ aider: { args: 'one' } }, options).errors, ['agent profile "aider": "args" must be an array of strings']);
  });

  it('runs the scripted profile end to end with a prompt full of shell syntax', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-profile-'));
    try {
      const prompt = 'write out.txt: $(whoami) `id` "q" \'s\' | & > <\necho done';
      const promptFile = join(dir, 'prompt.md');
      writeFileSync(promptFile, prompt);
      const profile = builtinProfiles({ scriptedAgentPath: SCRIPTED_AGENT, nodeCommand: process.execPath }).find((p) => p.name === 'scripted') as AgentProfile;
      const parser = createParser(profile.parser);
      const events: AgentEvent[] = [];
      const result = await runProcess({
        argv: expandArgv(profile, { promptFile, taskId: 'TASK-9-1', prompt }),
        cwd: dir,
        onLine: (line, stream) => events.push(...parser.push(line, stream)),
      });
      assert.equal(result.exitCode, 0);
      assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), '$(whoami) `id` "q" \'s\' | & > <\n');
      assert.deepEqual(events.filter((e) => e.kind === 'message'), [{ kind: 'message', text: 'done' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
