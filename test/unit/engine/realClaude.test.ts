// The real Claude Code CLI (scripts/install-agent-clis.sh) run by the orchestrator through the
// built-in `claude` profile, against a stub of the Anthropic Messages API on 127.0.0.1: what
// each answer of the service — success, 429, 401, 500s, no server, a cut stream, a slow answer —
// becomes in the task's status, its attempts and the live output (docs/agents.md).
import * as assert from 'node:assert/strict';
import type { OrchestratorSettings } from '../../../src/core/settings';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answersToolResult, isAgentTurn, startAnthropicStub, writeFileScript, type AnthropicReply, type AnthropicScript } from '../../fixtures/modelStubs/anthropicStub';
import { closedPort, type StubServer } from '../../fixtures/modelStubs/stubServer';
import { git, onlyAttempt, processesUnder, useWorkspaces, type Workspace } from './engineFixture';
import { claudeProfiles, decisions, liveOutput, loggedEvents, progressLines } from './realCliFixture';

const TASK = 'TASK-1-1';
const RATE_LIMITED: AnthropicReply = {
  kind: 'error',
  status: 429,
  type: 'rate_limit_error',
  message: 'Number of requests has exceeded your rate limit, please try again in 1 seconds',
  headers: { 'retry-after': '1' },
};
const UNAUTHORIZED: AnthropicReply = { kind: 'error', status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
const SERVER_ERROR: AnthropicReply = { kind: 'error', status: 500, type: 'api_error', message: 'Internal server error' };

/** The agent loop's first `n` requests answered with `reply`, everything after by `then`. */
function firstTurns(n: number, reply: AnthropicReply, then: AnthropicScript): AnthropicScript {
  let left = n;
  return (request) => (isAgentTurn(request) && !answersToolResult(request) && left-- > 0 ? reply : then(request));
}

describe('the real Claude Code CLI through the orchestrator (stub Anthropic API)', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();
  const stubs: StubServer[] = [];
  afterEach(async () => {
    for (const stub of stubs.splice(0)) await stub.close();
  });

  async function stub(script: AnthropicScript): Promise<StubServer> {
    const server = await startAnthropicStub(script, { maxRequests: 40 });
    stubs.push(server);
    return server;
  }

  /** One task on the `claude` profile, run to the end. */
  async function runTask(ws: Workspace, baseUrl: string, settings: Partial<OrchestratorSettings> = {}, retries = 1) {
    const o = await ws.withPlan([{ id: TASK, prompt: 'Create hello.txt saying hello.' }], {
      defaultAgent: 'claude',
      agentProfiles: claudeProfiles(ws, baseUrl, retries),
      ...settings,
    });
    const output = liveOutput(o);
    const seen = decisions(o);
    const shown = progressLines(o);
    const result = await o.run();
    return { o, result, output: output.get(TASK) ?? [], decisions: seen, shown };
  }

  it('completes: the file is committed on the task branch, cost and tokens are the CLI’s own', async () => {
    const ws = workspace();
    const server = await stub(writeFileScript('hello.txt', 'hello from the stub\n'));
    const { o, result } = await runTask(ws, server.url);

    assert.equal(result.status, 'completed');
    assert.equal(o.store.getTask(TASK)!.status, 'completed');
    const attempt = onlyAttempt(o.store, TASK);
    assert.equal(attempt.outcome, 'completed');
    assert.equal(git(ws.repo, 'show', `${attempt.branch!}:hello.txt`), 'hello from the stub');
    // The attempt row holds what Claude Code itself reported in its final `result` event.
    const final = loggedEvents(attempt).filter((e) => e.type === 'result').at(-1)!;
    assert.equal(final.subtype, 'success');
    assert.equal(attempt.sessionId, final.session_id, 'the CLI’s session id is kept for follow-ups');
    const usage = final.usage as Record<string, number>;
    assert.ok((final.total_cost_usd as number) > 0, 'the CLI priced the stub’s tokens');
    assert.equal(attempt.costUsd, final.total_cost_usd);
    assert.equal(attempt.tokensIn, usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0));
    assert.equal(attempt.tokensOut, usage.output_tokens);
    // It went through the stub, twice in the agent loop: the Write call, then its result.
    assert.equal(server.requestsTo('/v1/messages').filter(isAgentTurn).length, 2);
    assert.equal(server.overBudget, false);
    assert.deepEqual(processesUnder(ws.dir), []);
  });

  it('from the headless CLI, with the profile extended in the workspace’s .vscode/settings.json', async () => {
    const ws = workspace();
    const server = await stub(writeFileScript('hello.txt', 'via the CLI\n'));
    mkdirSync(join(ws.repo, '.vscode'));
    writeFileSync(
      join(ws.repo, '.vscode', 'settings.json'),
      JSON.stringify({ 'agentOrchestrator.defaultAgent': 'claude', 'agentOrchestrator.agentProfiles': claudeProfiles(ws, server.url) }),
    );
    const plan = ws.writePlan([{ id: TASK, prompt: 'Create hello.txt saying hello.' }]);
    const run = await ws.cli(['run', '--plan', plan, '--retries', '0']);

    assert.equal(run.code, 0, run.stderr);
    assert.equal(git(ws.repo, 'show', `orch/${TASK}/a1:hello.txt`), 'via the CLI');
    assert.equal(server.requestsTo('/v1/messages').filter(isAgentTurn).length, 2);
  });

  it('429 (twice, outlasting the CLI’s own retry): rate limited, requeued, then completed', async () => {
    const ws = workspace();
    // Two 429s: Claude Code's own retry (one allowed) meets the second, so the attempt fails;
    // its api_retry event says how long it waited, and the scheduler pauses that long.
    const server = await stub(firstTurns(2, RATE_LIMITED, writeFileScript('hello.txt', 'after the limit\n')));
    const { o, result, decisions: seen } = await runTask(ws, server.url, { maxRetries: 0 });

    assert.equal(result.status, 'completed');
    assert.ok(seen.some((d) => d.startsWith('rate_limited')), `no rate_limited decision in ${JSON.stringify(seen)}`);
    const attempts = o.store.listAttempts(TASK);
    assert.equal(attempts.length, 2);
    assert.notEqual(attempts[0].outcome, 'failed', 'a rate limit is not a failure');
    assert.equal(attempts[1].outcome, 'completed');
    assert.equal(o.store.getTask(TASK)!.retryCount, 0, 'a rate limit does not use up a retry');
    assert.equal(git(ws.repo, 'show', `${attempts[1].branch!}:hello.txt`), 'after the limit');
  });

  it('429 every time: requeued a bounded number of times, then the task fails as rate limited', async () => {
    const ws = workspace();
    const server = await stub(() => RATE_LIMITED);
    const { o, result } = await runTask(ws, server.url, { maxRetries: 0 });

    assert.equal(result.status, 'failed');
    const task = o.store.getTask(TASK)!;
    assert.equal(task.status, 'failed');
    assert.match(task.errorMessage ?? '', /rate limited 4 times/);
    // The scheduler's cap (3 requeues), not the stub's request budget, ended it.
    assert.equal(o.store.listAttempts(TASK).length, 4);
    assert.equal(server.overBudget, false);
  });

  it('401: the task fails at once without a retry, saying how to log in; the CLI’s retries show live', async () => {
    const ws = workspace();
    const server = await stub(() => UNAUTHORIZED);
    const { o, result, shown } = await runTask(ws, server.url, { maxRetries: 2 });

    assert.equal(result.status, 'failed');
    const task = o.store.getTask(TASK)!;
    assert.equal(task.status, 'failed');
    assert.equal(o.store.listAttempts(TASK).length, 1, 'an authentication failure is not retried');
    assert.match(task.errorMessage ?? '', /log ?in/i);
    assert.match(task.errorMessage ?? '', /401|authentication/i, 'the cause is kept');
    // Claude Code's api_retry event (one retry allowed here) reaches the live view.
    assert.ok(shown.some((line) => line.includes(`${TASK}: API authentication failed (401), retry 1/1`)), shown.join('\n'));
  });

  it('500s: the CLI gives up after its retries; the attempt fails (retried as usual), neither rate limit nor auth', async () => {
    const ws = workspace();
    const server = await stub(() => SERVER_ERROR);
    const { o, result, decisions: seen } = await runTask(ws, server.url, { maxRetries: 1, retryDelaySeconds: 0 });

    assert.equal(result.status, 'failed');
    const attempts = o.store.listAttempts(TASK);
    assert.deepEqual(attempts.map((a) => a.outcome), ['failed', 'failed']);
    assert.match(attempts[0].error ?? '', /500/);
    assert.equal(seen.filter((d) => d.startsWith('rate_limited') || d.startsWith('auth_failed')).length, 0, seen.join('\n'));
    // Claude Code's own retry (one) happened inside each attempt: two agent-loop requests per attempt.
    assert.equal(server.requestsTo('/v1/messages').filter(isAgentTurn).length, 4);
  });

  it('no server (a closed port): the attempt fails with the CLI’s connection error', async () => {
    const ws = workspace();
    const { o, result } = await runTask(ws, `http://127.0.0.1:${await closedPort()}`);

    assert.equal(result.status, 'failed');
    const attempt = onlyAttempt(o.store, TASK);
    assert.equal(attempt.outcome, 'failed');
    assert.match(attempt.error ?? '', /connect|ECONNREFUSED/i);
  });

  it('a stream cut mid-answer once: the CLI retries by itself and the task completes', async () => {
    const ws = workspace();
    const server = await stub(firstTurns(1, { kind: 'cut' }, writeFileScript('hello.txt', 'after the cut\n')));
    const { o, result } = await runTask(ws, server.url);

    assert.equal(result.status, 'completed');
    const attempt = onlyAttempt(o.store, TASK);
    assert.equal(git(ws.repo, 'show', `${attempt.branch!}:hello.txt`), 'after the cut');
    // Claude Code asked again by itself (within the one attempt) after the cut.
    assert.ok(server.requestsTo('/v1/messages').filter((r) => isAgentTurn(r) && !answersToolResult(r)).length >= 2);
  });

  it('a stream cut every time: the attempt fails with the connection error', async () => {
    const ws = workspace();
    const server = await stub((request) => (isAgentTurn(request) ? { kind: 'cut' } : { kind: 'text', text: 'title' }));
    const { o, result } = await runTask(ws, server.url);

    assert.equal(result.status, 'failed');
    assert.match(onlyAttempt(o.store, TASK).error ?? '', /ECONNRESET|connect|stream/i);
  });

  it('a slow answer (2 s of silence) is waited for and the task completes', async () => {
    const ws = workspace();
    const write = writeFileScript('hello.txt', 'slowly\n');
    const server = await stub((request) => ({ kind: 'slow', delayMs: 2000, reply: write(request) }));
    const { o, result } = await runTask(ws, server.url);

    assert.equal(result.status, 'completed');
    assert.equal(git(ws.repo, 'show', `${onlyAttempt(o.store, TASK).branch!}:hello.txt`), 'slowly');
  });

  it('an answer slower than the time-out: the attempt times out and the CLI is killed', async () => {
    const ws = workspace();
    const server = await stub((request) => (isAgentTurn(request) ? { kind: 'slow', delayMs: 45_000, reply: { kind: 'text', text: 'late' } } : { kind: 'text', text: 'title' }));
    // 15 s: Claude Code starts in 1-2 s on an idle machine (up to ~10 on a loaded one), then waits.
    const { o, result } = await runTask(ws, server.url, { timeoutMinutes: 0.25 });

    assert.equal(result.status, 'failed');
    const attempt = onlyAttempt(o.store, TASK);
    assert.equal(attempt.outcome, 'timed_out');
    assert.ok(server.requestsTo('/v1/messages').some(isAgentTurn), 'the CLI was waiting on the stub');
    assert.deepEqual(processesUnder(ws.dir), [], 'nothing of the CLI is left running');
  });
});
