// The real Codex CLI (scripts/install-agent-clis.sh) run by the orchestrator through the
// built-in `codex` profile, against a stub of the OpenAI Responses API on 127.0.0.1: what each
// answer of the service — success, 429, 401, 500s, no server, a cut stream, a slow answer —
// becomes in the task's status, its attempts and the live output (docs/agents.md).
import * as assert from 'node:assert/strict';
import type { RunResult } from '../../../src/core/orchestrator';
import type { OrchestratorSettings } from '../../../src/core/settings';
import { answersToolOutput, commandScript, startOpenAiStub, type OpenAiReply, type OpenAiScript } from '../../fixtures/modelStubs/openaiStub';
import { closedPort, type StubServer } from '../../fixtures/modelStubs/stubServer';
import { git, onlyAttempt, processesUnder, useWorkspaces, waitUntil, type Workspace } from './engineFixture';
import { codexProfiles, decisions, liveOutput, loggedEvents, progressLines } from './realCliFixture';

const TASK = 'TASK-1-1';
const WRITE = commandScript("printf 'hello from codex\\n' > hello.txt");
const RATE_LIMITED: OpenAiReply = { kind: 'error', status: 429, code: 'rate_limit_exceeded', message: 'Rate limit reached for requests. Please try again in 1s.', headers: { 'retry-after': '1' } };
const UNAUTHORIZED: OpenAiReply = { kind: 'error', status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided: sk-test.' };
const SERVER_ERROR: OpenAiReply = { kind: 'error', status: 500, code: 'server_error', message: 'The server had an error while processing your request.' };

/** The first `n` requests of a turn answered with `reply`, everything after by `then`. */
function firstTurns(n: number, reply: OpenAiReply, then: OpenAiScript): OpenAiScript {
  let left = n;
  return (request) => (!answersToolOutput(request) && left-- > 0 ? reply : then(request));
}

describe('the real Codex CLI through the orchestrator (stub OpenAI Responses API)', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();
  const stubs: StubServer[] = [];
  afterEach(async () => {
    for (const stub of stubs.splice(0)) await stub.close();
  });

  async function stub(script: OpenAiScript): Promise<StubServer> {
    const server = await startOpenAiStub(script, { maxRequests: 30 });
    stubs.push(server);
    return server;
  }

  async function openTask(ws: Workspace, baseUrl: string, settings: Partial<OrchestratorSettings> = {}, retries = 0) {
    const o = await ws.withPlan([{ id: TASK, prompt: 'Create hello.txt saying hello.' }], {
      defaultAgent: 'codex',
      agentProfiles: codexProfiles(ws, baseUrl, retries),
      ...settings,
    });
    return { o, output: liveOutput(o), decisions: decisions(o), shown: progressLines(o) };
  }

  /** One task on the `codex` profile, run to the end. */
  async function runTask(ws: Workspace, baseUrl: string, settings: Partial<OrchestratorSettings> = {}, retries = 0) {
    const { o, output, decisions: seen, shown } = await openTask(ws, baseUrl, settings, retries);
    const result: RunResult = await o.run();
    return { o, result, output: output.get(TASK) ?? [], decisions: seen, shown };
  }

  it('completes: the file is committed on the task branch, tokens are the CLI’s own', async () => {
    const ws = workspace();
    const server = await stub(WRITE);
    const { o, result } = await runTask(ws, server.url);

    assert.equal(result.status, 'completed');
    const attempt = onlyAttempt(o.store, TASK);
    assert.equal(attempt.outcome, 'completed');
    assert.equal(git(ws.repo, 'show', `${attempt.branch!}:hello.txt`), 'hello from codex');
    const turn = loggedEvents(attempt).find((e) => e.type === 'turn.completed')!;
    const usage = turn.usage as Record<string, number>;
    assert.deepEqual([attempt.tokensIn, attempt.tokensOut], [usage.input_tokens, usage.output_tokens]);
    assert.equal(attempt.tokensIn, 200, 'two requests of 100 input tokens each');
    assert.equal(attempt.costUsd, null, 'Codex reports no cost');
    assert.equal(attempt.sessionId, loggedEvents(attempt).find((e) => e.type === 'thread.started')!.thread_id, 'the thread id is kept');
    assert.equal(server.requestsTo('/v1/responses').length, 2);
    assert.deepEqual(processesUnder(ws.dir), []);
  });

  it('429: the attempt is classified as rate limited (the run pauses instead of failing the task)', async () => {
    const ws = workspace();
    const server = await stub(() => RATE_LIMITED);
    const { o, decisions: seen } = await openTask(ws, server.url, { maxRetries: 0 });
    const running = o.run();
    // Codex's message carries no delay, so the pause is the scheduler's default (a minute):
    // seeing the decision is enough, then the run is cancelled.
    await waitUntil('a rate_limited decision', () => seen.some((d) => d.startsWith('rate_limited')), 40_000);
    await o.control({ command: 'cancelAll' });
    await running;
    assert.match(seen.find((d) => d.startsWith('rate_limited'))!, /429/);
    assert.notEqual(o.store.getTask(TASK)!.status, 'failed');
    assert.equal(o.store.getTask(TASK)!.retryCount, 0, 'a rate limit does not use up a retry');
  });

  it('429 once with one retry allowed to Codex: it retries by itself and the task completes', async () => {
    const ws = workspace();
    const server = await stub(firstTurns(1, RATE_LIMITED, WRITE));
    const { o, result } = await runTask(ws, server.url, {}, 1);

    assert.equal(result.status, 'completed');
    assert.equal(onlyAttempt(o.store, TASK).outcome, 'completed');
    assert.equal(server.requestsTo('/v1/responses').length, 3);
  });

  it('401: the task fails at once without a retry, saying how to log in', async () => {
    const ws = workspace();
    const server = await stub(() => UNAUTHORIZED);
    const { o, result } = await runTask(ws, server.url, { maxRetries: 2 });

    assert.equal(result.status, 'failed');
    const task = o.store.getTask(TASK)!;
    assert.equal(o.store.listAttempts(TASK).length, 1, 'an authentication failure is not retried');
    assert.match(task.errorMessage ?? '', /log ?in/i);
    assert.match(task.errorMessage ?? '', /401/, 'the CLI’s own words are kept');
  });

  it('500s: the attempt fails with the CLI’s message, neither rate limit nor auth', async () => {
    const ws = workspace();
    const server = await stub(() => SERVER_ERROR);
    const { o, result, decisions: seen } = await runTask(ws, server.url);

    assert.equal(result.status, 'failed');
    const attempt = onlyAttempt(o.store, TASK);
    assert.equal(attempt.outcome, 'failed');
    assert.match(attempt.error ?? '', /agent exited with code 1: .+/);
    assert.equal(seen.filter((d) => d.startsWith('rate_limited') || d.startsWith('auth_failed')).length, 0, seen.join('\n'));
    assert.equal(server.requestsTo('/v1/responses').length, 1, 'request_max_retries = 0 is honoured');
  });

  it('no server (a closed port): Codex waits for the network forever, so the time-out ends it', async () => {
    // request_max_retries does not bound this: Codex 0.171 prints "Reconnecting... waiting for
    // network" at growing intervals and never gives up (docs/agents.md).
    const ws = workspace();
    const { o, result, output } = await runTask(ws, `http://127.0.0.1:${await closedPort()}`, { timeoutMinutes: 0.2 });

    assert.equal(result.status, 'failed');
    assert.equal(onlyAttempt(o.store, TASK).outcome, 'timed_out');
    assert.ok(output.some((line) => /waiting for network/i.test(line)), output.join('\n'));
    assert.deepEqual(processesUnder(ws.dir), [], 'nothing of the CLI is left running');
  });

  it('a stream cut mid-answer once: Codex reconnects by itself (shown live) and the task completes', async () => {
    const ws = workspace();
    const server = await stub(firstTurns(1, { kind: 'cut' }, WRITE));
    const { o, result, shown } = await runTask(ws, server.url, {}, 1);

    assert.equal(result.status, 'completed');
    assert.equal(git(ws.repo, 'show', `${onlyAttempt(o.store, TASK).branch!}:hello.txt`), 'hello from codex');
    assert.ok(shown.some((line) => line.includes(`${TASK}: reconnecting (`)), shown.join('\n'));
  });

  it('a stream cut every time: the attempt fails with the disconnect', async () => {
    const ws = workspace();
    const server = await stub(() => ({ kind: 'cut' }));
    const { o, result } = await runTask(ws, server.url);

    assert.equal(result.status, 'failed');
    assert.match(onlyAttempt(o.store, TASK).error ?? '', /disconnected|stream/i);
  });

  it('an answer slower than the time-out: the attempt times out and the CLI is killed', async () => {
    const ws = workspace();
    const server = await stub(() => ({ kind: 'slow', delayMs: 45_000, reply: { kind: 'text', text: 'late' } }));
    const { o, result } = await runTask(ws, server.url, { timeoutMinutes: 0.2 });

    assert.equal(result.status, 'failed');
    assert.equal(onlyAttempt(o.store, TASK).outcome, 'timed_out');
    assert.equal(server.requestsTo('/v1/responses').length, 1, 'the CLI was waiting on the stub');
    assert.deepEqual(processesUnder(ws.dir), [], 'nothing of the CLI is left running');
  });

  it('a slow answer (2 s of silence) is waited for and the task completes', async () => {
    const ws = workspace();
    const server = await stub((request) => ({ kind: 'slow', delayMs: 2000, reply: WRITE(request) }));
    const { o, result } = await runTask(ws, server.url);

    assert.equal(result.status, 'completed');
    assert.equal(git(ws.repo, 'show', `${onlyAttempt(o.store, TASK).branch!}:hello.txt`), 'hello from codex');
  });
});

