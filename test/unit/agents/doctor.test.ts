// One agent profile checked with real programs (src/core/agents/doctor.ts): a command that is
// there answers `--version`, one that is not is reported missing with how to log in, one that
// hangs is stopped at the time limit, and the lookup itself (src/core/process/findOnPath.ts).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { checkProfile, profileLimits, type AgentProfile } from '../../../src/core/agents';
import { findOnPath } from '../../../src/core/process';

function profile(fields: Partial<AgentProfile> & Pick<AgentProfile, 'command'>): AgentProfile {
  return { name: 'test', args: [], parser: 'plain', builtin: false, ...fields };
}

describe('agents: checking a profile (doctor)', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'orch-doctor-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** An executable script in `dir`. */
  function script(name: string, body: string): string {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  }

  it('finds a command on PATH, with its full path and its --version line', async () => {
    const check = await checkProfile(profile({ name: 'node-agent', command: 'node', parser: 'claude', description: 'node as an agent' }), { cwd: dir, timeoutMs: 10_000 });
    assert.equal(check.state, 'found');
    assert.equal(check.path, execFileSync('which', ['node'], { encoding: 'utf8' }).trim());
    assert.equal(check.version, execFileSync('node', ['--version'], { encoding: 'utf8' }).trim());
    assert.equal(check.versionProblem, undefined);
    assert.equal(check.loginHint, 'run `claude` once and log in, or set ANTHROPIC_API_KEY');
    assert.equal(check.description, 'node as an agent');
  });

  it('reports a command that is not there as missing, with the hint its parser gives', async () => {
    const check = await checkProfile(profile({ command: 'no-such-agent-cli-0xd0c', parser: 'codex' }), { cwd: dir, timeoutMs: 2000 });
    assert.equal(check.state, 'missing');
    assert.equal(check.path, undefined);
    assert.equal(check.version, undefined);
    assert.equal(check.loginHint, 'run `codex login` or set OPENAI_API_KEY');
  });

  it('stops a --version that does not answer at the time limit and says so', async () => {
    const sleeper = script('sleepy-agent', 'sleep 30');
    const started = Date.now();
    const check = await checkProfile(profile({ command: sleeper }), { cwd: dir, timeoutMs: 300 });
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.equal(check.state, 'found');
    assert.equal(check.path, sleeper);
    assert.equal(check.version, undefined);
    assert.equal(check.versionProblem, '--version timed out after 300 ms');
  });

  it('reports a --version that fails with its exit code and output', async () => {
    const failing = script('old-agent', 'echo "unknown option --version" >&2; exit 2');
    const check = await checkProfile(profile({ command: failing }), { cwd: dir, timeoutMs: 10_000 });
    assert.equal(check.state, 'found');
    assert.match(check.versionProblem ?? '', /exited with code 2: unknown option --version$/);
  });

  it('runs nothing when asked only to look the command up', async () => {
    const marker = join(dir, 'ran');
    const agent = script('marking-agent', `touch ${marker}`);
    const check = await checkProfile(profile({ command: agent }), { cwd: dir, timeoutMs: 10_000, runVersion: false });
    assert.equal(check.state, 'found');
    assert.equal(check.version, undefined);
    assert.equal(findOnPath(marker).state, 'missing');
  });

  it('tells a file that cannot be executed, and a command known only per task, from a missing one', async () => {
    const plain = join(dir, 'not-exec');
    writeFileSync(plain, 'echo hi\n');
    chmodSync(plain, 0o644);
    const notExec = await checkProfile(profile({ command: plain }), { cwd: dir, timeoutMs: 2000 });
    // root may execute nothing without an x bit either.
    assert.equal(notExec.state, 'not-executable');
    assert.equal(notExec.path, plain);
    const perTask = await checkProfile(profile({ command: '{worktree}/bin/agent' }), { cwd: dir, timeoutMs: 2000 });
    assert.equal(perTask.state, 'unchecked');
  });

  it('searches the PATH the profile sets for itself, and resolves ./relative commands in cwd', async () => {
    script('private-agent', 'echo private 1.0');
    const onOwnPath = await checkProfile(profile({ command: 'private-agent', env: { PATH: dir } }), { cwd: tmpdir(), timeoutMs: 10_000 });
    assert.equal(onOwnPath.state, 'found');
    assert.equal(onOwnPath.version, 'private 1.0');
    assert.equal((await checkProfile(profile({ command: 'private-agent' }), { cwd: dir, timeoutMs: 2000 })).state, 'missing');
    const relative = await checkProfile(profile({ command: `./${basename(dir)}/private-agent` }), { cwd: dirname(dir), timeoutMs: 10_000 });
    assert.equal(relative.path, join(dir, 'private-agent'));
  });

  it('warns that Claude Code refuses --dangerously-skip-permissions as root, and only then', async () => {
    const skip = { args: ['-p', '--dangerously-skip-permissions', '{prompt}'] };
    assert.match(profileLimits(skip, 0).join(), /refuses --dangerously-skip-permissions when run as root/);
    assert.deepEqual(profileLimits(skip, 1000), []);
    assert.deepEqual(profileLimits({ args: ['-p', '{prompt}'] }, 0), []);
    assert.deepEqual(profileLimits(skip, undefined), []);
    const check = await checkProfile(profile({ command: 'no-such-agent-cli-0xd0c', ...skip }), { cwd: dir, timeoutMs: 2000, uid: 0 });
    assert.equal(check.limits.length, 1);
  });
});
