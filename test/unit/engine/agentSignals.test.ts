// What agents say, on real runs: rate limits, authentication failures, API retries, silent agents
// and session ids. The agents are real child processes: the scripted agent, or
// test/fixtures/agents/emit-lines.sh printing a CLI's JSON lines and exiting with a given code,
// run through a custom profile with that CLI's parser.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentEvent } from '../../../src/core/agents';
import type { OrchestratorEvent } from '../../../src/core/orchestrator';
import { progressLine } from '../../../src/core/report/progressLine';
import { FIXTURES } from '../agents/testPaths';
import { onlyAttempt, useWorkspaces, type Workspace } from './engineFixture';

const EMIT = join(FIXTURES, 'emit-lines.sh');

/** A profile that prints `lines` (one JSON object each) with the given parser, then exits with `code`. */
function fakeCli(ws: Workspace, name: string, parser: string, lines: readonly object[], code: number, quietSeconds?: number): Record<string, unknown> {
  const file = join(ws.dir, `${name}.jsonl`);
  writeFileSync(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  return { [name]: { command: 'sh', args: [EMIT, file, String(code), ...(quietSeconds === undefined ? [] : [String(quietSeconds)])], parser } };
}

const CLAUDE_INIT = { type: 'system', subtype: 'init', cwd: '/w', session_id: 'c1a0de-5e55', model: 'claude-sonnet-4-5' };
const claudeRetry = (attempt: number, status: number | null, error: string, delayMs = 600) => ({
  type: 'system',
  subtype: 'api_retry',
  attempt,
  max_retries: 10,
  retry_delay_ms: delayMs,
  error_status: status,
  error,
});
const claudeResult = (isError: boolean, extra: object = {}) => ({
  type: 'result',
  subtype: 'success',
  is_error: isError,
  duration_ms: 10,
  num_turns: 1,
  result: isError ? 'API Error' : 'done',
  total_cost_usd: 0,
  session_id: 'c1a0de-5e55',
  ...extra,
});

describe('engine end to end: what agents say', function () {
  this.timeout(40_000);
  const workspace = useWorkspaces();

  describe('rate limits', () => {
    it('a codex-like agent that mentions 429 while reconnecting, then completes and exits 0, succeeds', async () => {
      const ws = workspace();
      const profiles = fakeCli(ws, 'codexlike', 'codex', [
        { type: 'thread.started', thread_id: '0199a213-bbbb' },
        { type: 'turn.started' },
        { type: 'error', message: 'Reconnecting... 1/5 (429 Too Many Requests: high demand; try again in 1s)' },
        { type: 'item.completed', item: { id: 'i1', type: 'agent_message', text: 'all done' } },
        { type: 'turn.completed', usage: { input_tokens: 10, output_tokens: 2 } },
      ], 0);
      const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'work', agent: 'codexlike' }], { agentProfiles: profiles });
      const result = await o.run();
      assert.equal(result.status, 'completed');
      const attempt = onlyAttempt(o.store, 'TASK-1-1');
      assert.equal(attempt.outcome, 'completed');
      assert.equal(attempt.sessionId, '0199a213-bbbb');
    });

    it('a claude-like agent whose API retries said 429 but which then succeeded is a success', async () => {
      const ws = workspace();
      const profiles = fakeCli(ws, 'claudelike', 'claude', [CLAUDE_INIT, claudeRetry(1, 429, 'rate_limit'), claudeResult(false)], 0);
      const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'work', agent: 'claudelike' }], { agentProfiles: profiles });
      assert.equal((await o.run()).status, 'completed');
      assert.equal(onlyAttempt(o.store, 'TASK-1-1').sessionId, 'c1a0de-5e55');
    });

    it('a claude-like failure after 429 retries is a rate limit: requeued at most 3 times, then failed', async () => {
      const ws = workspace();
      const profiles = fakeCli(ws, 'claudelike', 'claude', [CLAUDE_INIT, claudeRetry(1, 429, 'rate_limit', 50), claudeResult(true, { api_error_status: 429 })], 1);
      const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'work', agent: 'claudelike' }], { agentProfiles: profiles, maxRetries: 1 });
      const decisions: string[] = [];
      o.onEvent((event) => {
        if (event.type === 'decision' && event.decision.kind === 'rate_limited') decisions.push(event.decision.message);
      });
      // The pause is claude's own last retry delay (50 ms), not the scheduler's 60 s default.
      const result = await o.run();
      assert.equal(result.status, 'failed');
      const task = o.store.getTask('TASK-1-1')!;
      assert.equal(task.status, 'failed');
      assert.match(task.errorMessage ?? '', /^rate limited 4 times/);
      // No ordinary retry after that: a fifth request would meet the same limit.
      assert.equal(o.store.listAttempts('TASK-1-1').length, 4);
      assert.deepEqual(decisions.map((m) => /requeue (\d) of 3/.exec(m)?.[1]), ['1', '2', '3']);
      assert.match(result.summaryMd, /rate limited 4 times/);
    });

    it('the scripted agent\'s exit 75 is a rate limit; the CLI says each requeue and the cap', async () => {
      const ws = workspace();
      const plan = ws.writePlan([{ id: 'TASK-1-1', prompt: 'rate-limit 20ms' }]);
      const run = await ws.cli(['run', '--plan', plan, '--agent', 'scripted']);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /rate limited \(requeue 1 of 3\)/);
      assert.match(run.stdout, /rate limited \(requeue 3 of 3\)/);
      assert.match(run.stdout, /TASK-1-1 +failed +rate limited 4 times/);
    });
  });

  describe('authentication failures', () => {
    it('exit 77 of the scripted agent fails at once without retry and blocks the profile\'s other tasks', async () => {
      const ws = workspace();
      const o = await ws.withPlan(
        [
          { id: 'TASK-1-1', prompt: 'auth-error', priority: 'high' },
          { id: 'TASK-1-2', prompt: 'write b.txt: b' },
          { id: 'TASK-1-3', prompt: 'write c.txt: c', agent: 'other' },
        ],
        {
          maxRetries: 2,
          maxParallel: 1,
          agentProfiles: { other: { command: 'sh', args: ['-c', 'exit 0'], parser: 'plain' } },
        },
      );
      const result = await o.run();
      assert.equal(result.status, 'failed');
      assert.equal(o.store.listAttempts('TASK-1-1').length, 1, 'an auth failure is not retried');
      const first = o.store.getTask('TASK-1-1')!;
      assert.equal(first.status, 'failed');
      assert.match(first.errorMessage ?? '', /"scripted" agent is not logged in/);
      const second = o.store.getTask('TASK-1-2')!;
      assert.equal(second.status, 'blocked');
      assert.match(second.errorMessage ?? '', /the "scripted" agent is not logged in \(see TASK-1-1\)/);
      assert.equal(o.store.listAttempts('TASK-1-2').length, 0);
      assert.equal(o.store.getTask('TASK-1-3')!.status, 'completed');
      // Once logged in, `retry` puts the blocked task back.
      assert.deepEqual((await o.retry(['TASK-1-2'])).sort(), ['TASK-1-2']);
    });

    it('claude\'s api_retry saying authentication_failed stops the attempt at once and says how to log in', async () => {
      const ws = workspace();
      // Like the real claude: retries 401 for minutes (here: 30 s of silence) before its result.
      const profiles = fakeCli(ws, 'claudelike', 'claude', [CLAUDE_INIT, claudeRetry(1, 401, 'authentication_failed')], 1, 30);
      const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'work', agent: 'claudelike' }], { agentProfiles: profiles, maxRetries: 2 });
      const started = Date.now();
      const result = await o.run();
      assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
      assert.equal(result.status, 'failed');
      const task = o.store.getTask('TASK-1-1')!;
      assert.match(task.errorMessage ?? '', /run `claude` once and log in, or set ANTHROPIC_API_KEY/);
      assert.equal(o.store.listAttempts('TASK-1-1').length, 1);
      assert.match(result.summaryMd, /ANTHROPIC_API_KEY/);
    });
  });

  describe('silent agents', () => {
    it('shows claude\'s API retries live, as events and progress lines', async () => {
      const ws = workspace();
      const profiles = fakeCli(ws, 'claudelike', 'claude', [CLAUDE_INIT, claudeRetry(1, null, 'unknown'), claudeRetry(2, 429, 'rate_limit'), claudeResult(false)], 0);
      const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'work', agent: 'claudelike' }], { agentProfiles: profiles });
      const seen: AgentEvent[] = [];
      const lines: string[] = [];
      o.onEvent((event: OrchestratorEvent) => {
        if (event.type !== 'agent') return;
        seen.push(event.event);
        const line = progressLine(event);
        if (line) lines.push(line);
      });
      assert.equal((await o.run()).status, 'completed');
      const retries = seen.filter((e) => e.kind === 'apiRetry');
      assert.deepEqual(retries, [
        { kind: 'apiRetry', attempt: 1, maxRetries: 10, delayMs: 600, error: 'unknown' },
        { kind: 'apiRetry', attempt: 2, maxRetries: 10, delayMs: 600, status: 429, error: 'rate_limit' },
      ]);
      assert.match(lines[0], /TASK-1-1: API unreachable, retry 1\/10$/);
      assert.match(lines[1], /TASK-1-1: rate limited \(429\), retry 2\/10$/);
    });

    it('shows codex\'s reconnects live', async () => {
      const ws = workspace();
      const profiles = fakeCli(ws, 'codexlike', 'codex', [
        { type: 'thread.started', thread_id: 't-1' },
        { type: 'error', message: 'Reconnecting... 2/5 (stream disconnected before completion)' },
        { type: 'turn.completed', usage: {} },
      ], 0);
      const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'work', agent: 'codexlike' }], { agentProfiles: profiles });
      const retries: AgentEvent[] = [];
      o.onEvent((event) => {
        if (event.type === 'agent' && event.event.kind === 'apiRetry') retries.push(event.event);
      });
      assert.equal((await o.run()).status, 'completed');
      assert.deepEqual(retries, [{ kind: 'apiRetry', attempt: 2, maxRetries: 5, message: 'stream disconnected before completion' }]);
    });

    it('fails an attempt with no output for stallMinutes as stalled, kills it, and retries it', async () => {
      const ws = workspace();
      const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'echo started; hang' }], { stallMinutes: 0.02, timeoutMinutes: 0.3, maxRetries: 1, retryDelaySeconds: 0 });
      const result = await o.run();
      assert.equal(result.status, 'failed');
      const attempts = o.store.listAttempts('TASK-1-1');
      assert.equal(attempts.length, 2, 'a stall is retried like a failure');
      for (const attempt of attempts) {
        assert.equal(attempt.outcome, 'failed');
        assert.equal(attempt.error, 'stalled: no output for 1.2 s');
      }
      assert.match(o.store.getTask('TASK-1-1')!.errorMessage ?? '', /^stalled: no output for 1\.2 s/);
    });

    it('counts an agent whose only output is API retries as stalled (codex reconnecting forever)', async () => {
      const ws = workspace();
      const reconnect = JSON.stringify({ type: 'error', message: 'Reconnecting... waiting for network' });
      const profiles = { codexlike: { command: 'sh', args: [join(FIXTURES, 'repeat-line.sh'), reconnect, '0.2'], parser: 'codex' } };
      const o = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'work', agent: 'codexlike' }], { agentProfiles: profiles, stallMinutes: 0.02, timeoutMinutes: 0.5, maxRetries: 0 });
      const result = await o.run();
      assert.equal(result.status, 'failed');
      const [attempt] = o.store.listAttempts('TASK-1-1');
      assert.match(attempt.error ?? '', /^stalled: no progress for 1\.2 s, only \d+ API retries$/);
      assert.ok((attempt.durationMs ?? Infinity) < 10_000, `stopped by the watchdog, not the ${0.5 * 60} s time-out: ${attempt.durationMs} ms`);
    });

    it('takes --stall-minutes on the CLI', async () => {
      const ws = workspace();
      const plan = ws.writePlan([{ id: 'TASK-1-1', prompt: 'hang' }]);
      const run = await ws.cli(['run', '--plan', plan, '--agent', 'scripted', '--stall-minutes', '0.02', '--timeout', '0.3', '--retries', '0']);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /TASK-1-1 +failed +stalled: no output for 1\.2 s/);
      const bad = await ws.cli(['run', '--agent', 'scripted', '--stall-minutes=-1']);
      // Like a bad --timeout: refused with the setting's name, before anything runs.
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /stallMinutes must be a number ≥ 0/);
    });
  });
});
