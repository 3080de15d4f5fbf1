import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { orchestratorEnv } from '../../../src/core/agents/env';
import { createParser, type AgentEvent } from '../../../src/core/agents/parsers';
import type { ProcessResult } from '../../../src/core/process/ports';
import { runProcess } from '../../../src/core/process/processRunner';
import { isAlive } from '../../../src/core/process/processTree';
import { parseDuration, parseInstructions } from '../../../src/core/agents/scripted/instructions';
import { SCRIPTED_EXIT } from '../../../src/core/agents/scripted/protocol';
import { readStatusFile } from '../../../src/core/agents/statusFile';
import { SCRIPTED_AGENT } from './testPaths';

interface Run {
  result: ProcessResult;
  events: AgentEvent[];
  statusFile: string;
}

describe('scripted agent', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'orch-scripted-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[], extra: { timeoutMs?: number } = {}): Promise<Run> {
    const statusFile = join(dir, '.status', 'agent.status.json');
    const parser = createParser('scripted');
    const events: AgentEvent[] = [];
    const result = await runProcess({
      argv: [process.execPath, SCRIPTED_AGENT, ...args],
      cwd: dir,
      env: orchestratorEnv({ taskId: 'TASK-3-1', runId: 'run-1', worktree: dir, statusFile }),
      onLine: (line, stream) => events.push(...parser.push(line, stream)),
      timeoutMs: extra.timeoutMs,
      killGraceMs: 2000,
    });
    events.push(...parser.end());
    return { result, events, statusFile };
  }

  describe('instruction language', () => {
    it('splits on lines and unescaped semicolons, and understands every instruction', () => {
      assert.deepEqual(
        parseInstructions(
          [
            '- write src/a.ts: const a = 1\\; const b = 2\\nexport {}',
            'append notes.md: more; delete old.txt',
            '1. sleep 200ms; sleep 2s; sleep 150',
            'progress 2/5 halfway there',
            'cost 0.12 tokens 1000/200; cost $0.5',
            'echo hi\\tthere',
            'fail with boom',
            'exit 3; hang; spawn-child-and-hang; spawn-child-and-hang detached',
            'rate-limit 30s; auth-error; auth-error Bad key',
            'please refactor everything',
            '',
            'sleep forever',
          ].join('\n'),
        ),
        [
          { op: 'write', path: 'src/a.ts', content: 'const a = 1; const b = 2\nexport {}' },
          { op: 'append', path: 'notes.md', content: 'more' },
          { op: 'delete', path: 'old.txt' },
          { op: 'sleep', ms: 200 },
          { op: 'sleep', ms: 2000 },
          { op: 'sleep', ms: 150 },
          { op: 'progress', step: 2, total: 5, message: 'halfway there' },
          { op: 'cost', usd: 0.12, tokensIn: 1000, tokensOut: 200 },
          { op: 'cost', usd: 0.5, tokensIn: 0, tokensOut: 0 },
          { op: 'echo', text: 'hi\tthere' },
          { op: 'fail', message: 'boom' },
          { op: 'exit', code: 3 },
          { op: 'hang' },
          { op: 'spawnChild', detached: false },
          { op: 'spawnChild', detached: true },
          { op: 'rateLimit', retryAfterMs: 30000 },
          { op: 'authError', message: 'Invalid API key · Please run /login' },
          { op: 'authError', message: 'Bad key' },
          { op: 'note', text: 'please refactor everything' },
          { op: 'note', text: 'sleep forever' },
        ],
      );
      assert.equal(parseDuration('1.5s'), 1500);
      assert.equal(parseDuration('1m'), 60000);
      assert.equal(parseDuration('soon'), undefined);
    });
  });

  it('carries out file instructions, reports progress and cost, and writes the status file', async () => {
    writeFileSync(join(dir, 'old.txt'), 'x');
    const { result, events, statusFile } = await run([
      '--prompt',
      'progress 1/3 writing; write src/a.txt: hello; append src/a.txt: world; delete old.txt\nprogress 2/3 costing; cost 0.1 tokens 100/10; cost 0.02 tokens 5/1\nsomething unknown; echo bye',
    ]);
    assert.equal(result.exitCode, 0);
    assert.equal(readFileSync(join(dir, 'src/a.txt'), 'utf8'), 'hello\nworld\n');
    assert.equal(existsSync(join(dir, 'old.txt')), false);
    assert.deepEqual(
      events.filter((e) => e.kind !== 'result'),
      [
        { kind: 'progress', step: 1, total: 3, message: 'writing' },
        { kind: 'progress', step: 2, total: 3, message: 'costing' },
        { kind: 'usage', costUsd: 0.1, tokensIn: 100, tokensOut: 10 },
        { kind: 'usage', costUsd: 0.12, tokensIn: 105, tokensOut: 11 },
        { kind: 'message', text: 'note: something unknown' },
        { kind: 'message', text: 'bye' },
      ],
    );
    assert.deepEqual(events.at(-1), { kind: 'result', success: true, summary: '9 instructions done, 3 file changes', error: undefined });
    const status = readStatusFile(statusFile);
    assert.ok(status.state === 'ok');
    assert.equal(status.status.status, 'completed');
    assert.equal(status.status.agent_id, 'scripted:TASK-3-1');
    assert.equal(status.status.sub_issue, 'TASK-3-1');
    assert.equal(status.status.error, null);
    assert.ok(status.status.completion_time);
  });

  it('reads the prompt from a file', async () => {
    const promptFile = join(dir, 'prompt.md');
    writeFileSync(promptFile, '# Task\nwrite out.txt: from file\n');
    const { result, events } = await run(['--prompt-file', promptFile, '--task', 'OTHER']);
    assert.equal(result.exitCode, 0);
    assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'from file\n');
    assert.ok(events.some((e) => e.kind === 'message' && e.text === 'note: # Task'));
  });

  it('fails as instructed, with the status file saying why', async () => {
    const { result, events, statusFile } = await run(['--prompt', 'write a.txt: 1; fail with the tests do not pass; write b.txt: never']);
    assert.equal(result.exitCode, SCRIPTED_EXIT.failed);
    assert.equal(existsSync(join(dir, 'b.txt')), false);
    assert.deepEqual(events.at(-1), { kind: 'result', success: false, summary: undefined, error: 'the tests do not pass' });
    const status = readStatusFile(statusFile);
    assert.ok(status.state === 'ok' && status.status.status === 'failed' && status.status.error === 'the tests do not pass');
  });

  it('fail-once: fails and leaves its marker the first time, goes on once the marker exists', async () => {
    assert.deepEqual(parseInstructions('fail-once /tmp/some marker; fail-once'), [
      { op: 'failOnce', marker: '/tmp/some marker' },
      { op: 'note', text: 'fail-once' },
    ]);
    // Absolute, outside the working directory: a retry runs in a fresh worktree.
    const marker = join(dir, '..', `${basename(dir)}-marker`, 'once');
    try {
      const prompt = `fail-once ${marker}; write done.txt: second time`;
      const first = await run(['--prompt', prompt]);
      assert.equal(first.result.exitCode, SCRIPTED_EXIT.failed);
      assert.deepEqual(first.events.at(-1), { kind: 'result', success: false, summary: undefined, error: `failed once as instructed (created ${marker})` });
      assert.equal(existsSync(marker), true);
      assert.equal(existsSync(join(dir, 'done.txt')), false);
      const second = await run(['--prompt', prompt]);
      assert.equal(second.result.exitCode, 0);
      assert.equal(readFileSync(join(dir, 'done.txt'), 'utf8'), 'second time\n');
    } finally {
      rmSync(dirname(marker), { recursive: true, force: true });
    }
  });

  it('exits with the requested code', async () => {
    assert.equal((await run(['--prompt', 'exit 3'])).result.exitCode, 3);
    const zero = await run(['--prompt', 'exit 0; write never.txt: x']);
    assert.equal(zero.result.exitCode, 0);
    assert.equal(existsSync(join(dir, 'never.txt')), false);
  });

  it('reports a rate limit once (event and stderr) with its retry time', async () => {
    const { result, events } = await run(['--prompt', 'rate-limit 2s']);
    assert.equal(result.exitCode, SCRIPTED_EXIT.rateLimited);
    // Its event (structured) counts; the words on stderr are a hint at most, reported before it or not at all.
    const limited = events.filter((e) => e.kind === 'rateLimited' && e.evidence === 'structured');
    assert.equal(limited.length, 1);
    assert.ok(events.filter((e) => e.kind === 'rateLimited').length <= 2);
    assert.equal(limited[0].kind === 'rateLimited' && limited[0].retryAfterMs, 2000);
  });

  it('reports an authentication failure', async () => {
    const { result, events } = await run(['--prompt', 'auth-error']);
    assert.equal(result.exitCode, SCRIPTED_EXIT.authError);
    assert.deepEqual(events.filter((e) => e.kind === 'authError' && e.evidence === 'structured'), [
      { kind: 'authError', message: 'Invalid API key · Please run /login', evidence: 'structured' },
    ]);
  });

  it('hangs until killed, and still leaves a failed status behind', async () => {
    const { result, statusFile } = await run(['--prompt', 'progress 1/2 about to hang; hang'], { timeoutMs: 600 });
    assert.equal(result.timedOut, true);
    const status = readStatusFile(statusFile);
    assert.ok(status.state === 'ok' && status.status.status === 'failed');
    assert.equal(status.state === 'ok' && status.status.error, 'terminated by SIGTERM');
  });

  it('spawn-child-and-hang: the child is killed with the agent on time-out', async () => {
    const lines: string[] = [];
    const result = await runProcess({
      argv: [process.execPath, SCRIPTED_AGENT, '--prompt', 'spawn-child-and-hang'],
      cwd: dir,
      timeoutMs: 800,
      killGraceMs: 2000,
      onLine: (line) => lines.push(line),
    });
    const child = lines.map((l) => JSON.parse(l) as { event: string; pid?: number }).find((e) => e.event === 'child');
    assert.ok(child?.pid);
    assert.equal(result.timedOut, true);
    assert.equal(isAlive(child.pid), false);
  });

  it('refuses to write outside its working directory', async () => {
    const { result, events } = await run(['--prompt', 'write ../escape.txt: nope']);
    assert.equal(result.exitCode, SCRIPTED_EXIT.failed);
    assert.match((events.at(-1) as { error?: string }).error ?? '', /outside the working directory/);
    assert.equal(existsSync(join(dir, '..', 'escape.txt')), false);
  });

  it('explains its usage when the arguments are wrong', async () => {
    const { result } = await run(['--bogus']);
    assert.equal(result.exitCode, SCRIPTED_EXIT.usage);
    assert.match(result.tail.join('\n'), /usage: scripted-agent/);
  });
});
