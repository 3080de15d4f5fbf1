import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createParser, detectSignals, parseRetryAfter, type AgentEvent, type ParserId } from '../../../src/core/agents/parsers';
import type { OutputStream } from '../../../src/core/process/ports';
import { FIXTURES } from './testPaths';

function feed(id: ParserId, lines: ReadonlyArray<string | [string, OutputStream]>): AgentEvent[] {
  const parser = createParser(id);
  const events: AgentEvent[] = [];
  for (const entry of lines) {
    const [line, stream] = typeof entry === 'string' ? [entry, 'stdout' as const] : entry;
    events.push(...parser.push(line, stream));
  }
  events.push(...parser.end());
  return events;
}

function fixture(name: string): string[] {
  return readFileSync(join(FIXTURES, name), 'utf8').split('\n').filter((l) => l.length > 0);
}

const ofKind = <K extends AgentEvent['kind']>(events: AgentEvent[], kind: K) =>
  events.filter((e): e is Extract<AgentEvent, { kind: K }> => e.kind === kind);

describe('parsers', () => {
  describe('claude (stream-json)', () => {
    it('reads messages, tool use, TodoWrite progress, usage and the final result', () => {
      const events = feed('claude', fixture('claude-success.jsonl'));
      assert.deepEqual(ofKind(events, 'message').map((e) => e.text), [
        "I'll add rate limit handling to the API client.",
        'tool Edit: /work/wt/TASK-1-2-a1/src/client.ts',
      ]);
      assert.deepEqual(ofKind(events, 'progress'), [{ kind: 'progress', step: 1, total: 3, message: 'Adding retry with backoff' }]);
      assert.deepEqual(ofKind(events, 'usage'), [{ kind: 'usage', costUsd: 0.1234, tokensIn: 14200, tokensOut: 850 }]);
      assert.deepEqual(ofKind(events, 'result'), [
        { kind: 'result', success: true, summary: 'Added retry with exponential backoff for 429 responses; tests pass.' },
      ]);
      // Talking about rate limits and 429s is not being rate limited.
      assert.equal(ofKind(events, 'rateLimited').length, 0);
    });

    it('reports an authentication failure once and a failed result', () => {
      const events = feed('claude', fixture('claude-auth-error.jsonl'));
      assert.equal(ofKind(events, 'authError').length, 1);
      assert.match(ofKind(events, 'authError')[0].message, /Invalid API key/);
      const [result] = ofKind(events, 'result');
      assert.equal(result.success, false);
      assert.equal(result.error, 'Invalid API key · Please run /login');
      assert.equal(ofKind(events, 'rateLimited').length, 0);
    });

    it('turns a usage limit into rateLimited with the reset time', () => {
      const events = feed('claude', fixture('claude-usage-limit.jsonl'));
      const [limited] = ofKind(events, 'rateLimited');
      assert.ok(limited);
      assert.ok(limited.retryAfterMs !== undefined && limited.retryAfterMs > 0);
      assert.equal(ofKind(events, 'result')[0].success, false);
    });

    it('treats error subtypes as failures', () => {
      const events = feed('claude', fixture('claude-max-turns.jsonl'));
      assert.deepEqual(ofKind(events, 'result'), [{ kind: 'result', success: false, summary: undefined, error: 'error_max_turns' }]);
      assert.deepEqual(ofKind(events, 'usage'), [{ kind: 'usage', costUsd: 0.55, tokensIn: 25000, tokensOut: 4000 }]);
    });

    it('catches plain-text errors outside the JSON stream and on stderr', () => {
      const events = feed('claude', ['Error: Invalid API key · Please run /login', ['API Error: 429 {"type":"rate_limit_error"}', 'stderr']]);
      assert.equal(ofKind(events, 'authError').length, 1);
      // Auth failures win: no rate-limit requeue loop on a bad key.
      assert.equal(ofKind(events, 'rateLimited').length, 0);
    });
  });

  describe('codex (exec --json)', () => {
    it('reads items, todo progress, usage and completion', () => {
      const events = feed('codex', fixture('codex-success.jsonl'));
      assert.deepEqual(ofKind(events, 'progress').map((e) => [e.step, e.total, e.message]), [
        [0, 3, 'Inspect parser'],
        [2, 3, 'Run tests'],
      ]);
      assert.deepEqual(ofKind(events, 'message').map((e) => e.text), [
        "$ bash -lc 'npm test'",
        "command exited 1: bash -lc 'npm test'",
        'files: update src/parser.ts, add test/parser.test.ts',
        'Fixed the off-by-one in the parser and added a regression test.',
      ]);
      assert.deepEqual(ofKind(events, 'usage'), [{ kind: 'usage', tokensIn: 24763, tokensOut: 1220 }]);
      assert.deepEqual(ofKind(events, 'result'), [
        { kind: 'result', success: true, summary: 'Fixed the off-by-one in the parser and added a regression test.' },
      ]);
    });

    it('reports turn.failed and error, and a rate limit once with its retry time', () => {
      const events = feed('codex', fixture('codex-failed.jsonl'));
      const results = ofKind(events, 'result');
      assert.equal(results.length, 2);
      assert.ok(results.every((r) => !r.success));
      assert.equal(results[1].error, 'exceeded retry limit, last status: 429 Too Many Requests');
      assert.deepEqual(ofKind(events, 'rateLimited').map((e) => e.retryAfterMs), [30000]);
    });
  });

  describe('gemini (stream-json)', () => {
    it('joins streamed chunks into messages and reads the final stats', () => {
      const events = feed('gemini', fixture('gemini-success.jsonl'));
      assert.deepEqual(ofKind(events, 'message').map((e) => e.text), [
        'I will update README.md now.',
        'tool write_file',
        'warning: Loop detection disabled',
        'Done: README has a Usage section.',
      ]);
      assert.deepEqual(ofKind(events, 'usage'), [{ kind: 'usage', tokensIn: 1400, tokensOut: 230 }]);
      assert.deepEqual(ofKind(events, 'result'), [{ kind: 'result', success: true, summary: 'Done: README has a Usage section.' }]);
    });

    it('reads an error result and recognises missing credentials', () => {
      const events = feed('gemini', fixture('gemini-error.jsonl'));
      const [result] = ofKind(events, 'result');
      assert.equal(result.success, false);
      assert.match(result.error ?? '', /default credentials/);
      assert.equal(ofKind(events, 'authError').length, 1);
    });

    it('reads per-model token stats of older releases', () => {
      const line = JSON.stringify({
        type: 'result',
        status: 'success',
        stats: { models: { 'gemini-2.5-pro': { tokens: { prompt: 100, candidates: 20 } }, 'gemini-2.5-flash': { tokens: { prompt: 5, candidates: 1 } } } },
      });
      assert.deepEqual(ofKind(feed('gemini', [line]), 'usage'), [{ kind: 'usage', tokensIn: 105, tokensOut: 21 }]);
    });
  });

  describe('aider (plain text)', () => {
    it('sums tokens, keeps the session cost and passes other lines as messages', () => {
      const events = feed('aider', fixture('aider-output.txt'));
      assert.deepEqual(ofKind(events, 'usage'), [
        { kind: 'usage', costUsd: 0.02, tokensIn: 4200, tokensOut: 310 },
        { kind: 'usage', costUsd: 0.03, tokensIn: 9200, tokensOut: 560 },
      ]);
      assert.ok(ofKind(events, 'message').some((e) => e.text === 'Applied edit to src/cli.py'));
      assert.equal(ofKind(events, 'result').length, 0);
      assert.equal(ofKind(events, 'rateLimited').length, 0);
    });

    it('recognises litellm rate-limit errors', () => {
      const events = feed('aider', fixture('aider-rate-limit.txt'));
      assert.equal(ofKind(events, 'rateLimited').length, 1);
    });
  });

  describe('copilot (json)', () => {
    it('reads messages, tools and the final result', () => {
      const events = feed('copilot', fixture('copilot-success.jsonl'));
      assert.deepEqual(ofKind(events, 'message').map((e) => e.text), ['Updating the changelog.', 'tool edit', 'Changelog updated for 1.2.0.']);
      assert.deepEqual(ofKind(events, 'result'), [{ kind: 'result', success: true, summary: 'Changelog updated for 1.2.0.' }]);
      assert.equal(ofKind(events, 'usage').length, 0, 'premium requests are not tokens or dollars');
    });

    it('reports a session error and a failed result', () => {
      const events = feed('copilot', fixture('copilot-error.jsonl'));
      assert.equal(ofKind(events, 'authError').length, 1);
      assert.deepEqual(ofKind(events, 'result').map((r) => [r.success, r.error]), [[false, 'exit code 1']]);
    });
  });

  describe('scripted and plain', () => {
    it('maps the scripted agent protocol one to one and ignores unknown events', () => {
      const events = feed('scripted', [
        '{"event":"start","taskId":"T","instructions":3}',
        '{"event":"progress","step":2,"total":5,"message":"half"}',
        '{"event":"message","text":"hello"}',
        '{"event":"usage","costUsd":0.12,"tokensIn":1000,"tokensOut":200}',
        '{"event":"brand-new","x":1}',
        'not json at all',
        '{"event":"result","success":true,"summary":"done"}',
      ]);
      assert.deepEqual(events, [
        { kind: 'progress', step: 2, total: 5, message: 'half' },
        { kind: 'message', text: 'hello' },
        { kind: 'usage', costUsd: 0.12, tokensIn: 1000, tokensOut: 200 },
        { kind: 'result', success: true, summary: 'done', error: undefined },
      ]);
    });

    it('plain: every line is a message; failures are still recognised', () => {
      const events = feed('plain', ['working…', '', ['Error: 401 Unauthorized', 'stderr']]);
      assert.deepEqual(events, [
        { kind: 'message', text: 'working…' },
        { kind: 'authError', message: 'Error: 401 Unauthorized', evidence: 'text' },
      ]);
    });

    it('ignores truncated and non-object JSON', () => {
      assert.deepEqual(feed('claude', ['{"type":"result","subtype":"succ', '[1,2]', '"text"', '{}']), []);
    });
  });

  describe('signals', () => {
    it('tells failures from talk', () => {
      const kinds = (text: string, context: 'error' | 'text') => detectSignals(text, context).map((e) => e.kind);
      assert.deepEqual(kinds('I will add rate limit handling', 'text'), []);
      assert.deepEqual(kinds('Implementing authentication middleware', 'text'), []);
      assert.deepEqual(kinds('rate limit exceeded', 'text'), ['rateLimited']);
      assert.deepEqual(kinds('Error: 429 Too Many Requests', 'text'), ['rateLimited']);
      assert.deepEqual(kinds('You have reached your usage limit', 'text'), ['rateLimited']);
      assert.deepEqual(kinds('Invalid API key', 'text'), ['authError']);
      assert.deepEqual(kinds('Not logged in · Please run /login', 'text'), ['authError']);
      assert.deepEqual(kinds('request failed: rate limit', 'error'), ['rateLimited']);
      assert.deepEqual(kinds('authentication failed', 'error'), ['authError']);
      assert.deepEqual(kinds('something else broke', 'error'), []);
    });

    it('parses retry-after hints', () => {
      assert.equal(parseRetryAfter('Please retry in 41.2s'), 41200);
      assert.equal(parseRetryAfter('try again in 20 seconds'), 20000);
      assert.equal(parseRetryAfter('Retry-After: 30'), 30000);
      assert.equal(parseRetryAfter('retry after 250ms'), 250);
      assert.equal(parseRetryAfter('try again in 2 minutes'), 120000);
      assert.equal(parseRetryAfter('usage limit reached|1700000100', 1700000000000), 100000);
      assert.equal(parseRetryAfter('no hint here'), undefined);
    });
  });

  describe('structured signals, retries and sessions', () => {
    const line = (o: object) => JSON.stringify(o);

    it('claude: session ids, api_retry as apiRetry, and status fields as structured signals', () => {
      const events = feed('claude', [
        line({ type: 'system', subtype: 'init', session_id: 's-1' }),
        line({ type: 'system', subtype: 'api_retry', attempt: 3, max_retries: 10, retry_delay_ms: 2400, error_status: 429, error: 'rate_limit' }),
        line({ type: 'result', subtype: 'success', is_error: true, result: 'API Error: overloaded', api_error_status: 429, session_id: 's-1' }),
      ]);
      assert.deepEqual(ofKind(events, 'session'), [{ kind: 'session', id: 's-1' }, { kind: 'session', id: 's-1' }]);
      assert.deepEqual(ofKind(events, 'apiRetry'), [{ kind: 'apiRetry', attempt: 3, maxRetries: 10, delayMs: 2400, status: 429, error: 'rate_limit' }]);
      assert.deepEqual(ofKind(events, 'rateLimited'), [{ kind: 'rateLimited', message: 'API rate limit (429)', retryAfterMs: 2400, evidence: 'structured' }]);
    });

    it('claude: a 401 in api_retry or api_error_status is a structured authentication failure', () => {
      const retry = feed('claude', [line({ type: 'system', subtype: 'api_retry', attempt: 1, max_retries: 10, error_status: 401, error: 'authentication_failed' })]);
      assert.deepEqual(ofKind(retry, 'authError'), [{ kind: 'authError', message: 'API authentication failed (401)', evidence: 'structured' }]);
      const result = feed('claude', [line({ type: 'result', subtype: 'success', is_error: true, result: 'Failed to authenticate', api_error_status: 401 })]);
      assert.deepEqual(ofKind(result, 'authError'), [{ kind: 'authError', message: 'Failed to authenticate (401)', evidence: 'structured' }]);
    });

    it('codex: the thread id is the session; "Reconnecting… n/m" is a retry, not a failure, whatever its words', () => {
      const events = feed('codex', [
        line({ type: 'thread.started', thread_id: 't-9' }),
        line({ type: 'error', message: 'Reconnecting... 1/5 (429 Too Many Requests: high demand)' }),
        line({ type: 'error', message: 'Reconnecting…' }),
        line({ type: 'turn.completed', usage: { input_tokens: 1, output_tokens: 1 } }),
      ]);
      assert.deepEqual(ofKind(events, 'session'), [{ kind: 'session', id: 't-9' }]);
      assert.deepEqual(ofKind(events, 'apiRetry'), [
        { kind: 'apiRetry', attempt: 1, maxRetries: 5, message: '429 Too Many Requests: high demand' },
        { kind: 'apiRetry', attempt: 2 },
      ]);
      assert.deepEqual([ofKind(events, 'rateLimited').length, ofKind(events, 'result').length], [0, 1]);
      assert.equal(ofKind(events, 'result')[0].success, true);
    });

    it('codex: "Reconnecting... waiting for network" (no network: it never gives up) is a retry, not a failed result', () => {
      const events = feed('codex', [line({ type: 'error', message: 'Reconnecting... waiting for network (Connection failed: error sending request)' })]);
      assert.deepEqual(events, [{ kind: 'apiRetry', attempt: 1, message: 'waiting for network: Connection failed: error sending request' }]);
    });

    it('codex: a failed turn with "unexpected status 401/403/429" carries that HTTP status as a structured signal', () => {
      const failed = (message: string) => feed('codex', [line({ type: 'turn.failed', error: { message } })]);
      const unauthorized = failed('unexpected status 401 Unauthorized: Incorrect API key provided: sk-test.');
      assert.deepEqual(ofKind(unauthorized, 'authError'), [
        { kind: 'authError', message: 'unexpected status 401 Unauthorized: Incorrect API key provided: sk-test.', evidence: 'structured' },
      ]);
      assert.deepEqual(ofKind(failed('unexpected status 429 Too Many Requests: slow down'), 'rateLimited'), [
        { kind: 'rateLimited', message: 'unexpected status 429 Too Many Requests: slow down', evidence: 'structured' },
      ]);
      // Words alone stay a hint, as for every CLI.
      assert.equal(ofKind(failed('the model said 401 things'), 'authError')[0]?.evidence, 'text');
    });
  });
});
