import { errorText, isObject, num, obj, parseJsonObject, str, sum, type JsonObject } from './json';
import { detectSignals, parseRetryAfter } from './signals';
import type { AgentEvent, StdoutParser } from './types';

// Claude Code `-p --output-format stream-json --verbose`: one JSON event per line —
// system/init (session_id), assistant, user (tool results), system/api_retry while it retries a
// failed API request by itself (attempt, max_retries, retry_delay_ms, error_status, error), and a
// final `result` carrying subtype (success | error_max_turns | error_during_execution |
// error_max_budget_usd), is_error, result text, total_cost_usd, usage, session_id and, after an
// API failure, api_error_status. Rate limits and authentication failures are read from those
// fields (evidence: structured); words in a failed result are only a fallback (signals.ts).

/** claude's error categories and HTTP statuses that mean "not logged in" or "slow down". */
const AUTH_CATEGORIES = new Set(['authentication_failed', 'oauth_org_not_allowed', 'billing_error']);
const isAuthStatus = (status: number | undefined): boolean => status === 401 || status === 403;

/** A short description of a tool call, so the live view shows what the agent is doing. */
export function describeToolUse(name: string, input: JsonObject | undefined): string {
  const target =
    str(input?.file_path) ?? str(input?.path) ?? str(input?.command) ?? str(input?.pattern) ?? str(input?.url) ?? str(input?.description);
  return target ? `tool ${name}: ${target.length > 200 ? `${target.slice(0, 200)}…` : target}` : `tool ${name}`;
}

/** Claude's TodoWrite list doubles as a progress report. */
function todoProgress(input: JsonObject | undefined): AgentEvent[] {
  const todos = Array.isArray(input?.todos) ? input.todos.filter(isObject) : [];
  if (todos.length === 0) return [];
  const done = todos.filter((t) => t.status === 'completed').length;
  const current = todos.find((t) => t.status === 'in_progress') ?? todos.find((t) => t.status !== 'completed');
  const message = str(current?.activeForm) ?? str(current?.content) ?? 'all items done';
  return [{ kind: 'progress', step: done, total: todos.length, message }];
}

function assistantEvents(event: JsonObject): AgentEvent[] {
  const events: AgentEvent[] = [];
  const content = obj(event.message)?.content;
  const texts: string[] = [];
  for (const block of Array.isArray(content) ? content.filter(isObject) : []) {
    if (block.type === 'text' && str(block.text)) {
      texts.push(block.text as string);
      events.push({ kind: 'message', text: block.text as string });
    } else if (block.type === 'tool_use') {
      const name = str(block.name) ?? 'unknown';
      const input = obj(block.input);
      const progress = name === 'TodoWrite' ? todoProgress(input) : [];
      events.push(...(progress.length > 0 ? progress : [{ kind: 'message', text: describeToolUse(name, input) } as const]));
    }
  }
  // Newer releases flag an API failure on the assistant message itself ("authentication_failed",
  // "rate_limit") and put the human text in the content.
  const flagged = str(event.error);
  if (flagged) events.push(...flaggedSignal(flagged, undefined, texts.join(' ') || flagged, undefined));
  return events;
}

/** A structured rate-limit or authentication signal from claude's error category or HTTP status. */
function flaggedSignal(category: string | undefined, status: number | undefined, message: string, retryAfterMs: number | undefined): AgentEvent[] {
  if ((category !== undefined && AUTH_CATEGORIES.has(category)) || isAuthStatus(status)) {
    return [{ kind: 'authError', message, evidence: 'structured' }];
  }
  if (category === 'rate_limit' || status === 429) {
    return [{ kind: 'rateLimited', message, evidence: 'structured', ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }];
  }
  return [];
}

function apiRetryEvents(event: JsonObject): AgentEvent[] {
  const status = num(event.error_status);
  const error = str(event.error);
  const delayMs = num(event.retry_delay_ms);
  const retry: AgentEvent = {
    kind: 'apiRetry',
    attempt: num(event.attempt) ?? 1,
    ...(num(event.max_retries) === undefined ? {} : { maxRetries: num(event.max_retries) }),
    ...(delayMs === undefined ? {} : { delayMs }),
    ...(status === undefined ? {} : { status }),
    ...(error === undefined ? {} : { error }),
  };
  const what = error === 'authentication_failed' || isAuthStatus(status) ? 'API authentication failed' : error === 'rate_limit' || status === 429 ? 'API rate limit' : 'API error';
  // A retry is no verdict: the signal counts only if the attempt then fails (agentVerdict.ts) —
  // except an authentication failure, which the executor stops at once instead of waiting minutes.
  return [retry, ...flaggedSignal(error, status, status === undefined ? what : `${what} (${status})`, delayMs)];
}

function resultEvents(event: JsonObject): AgentEvent[] {
  const events: AgentEvent[] = [];
  const usage = obj(event.usage);
  const costUsd = num(event.total_cost_usd) ?? num(event.cost_usd);
  const tokensIn = sum(usage?.input_tokens, usage?.cache_creation_input_tokens, usage?.cache_read_input_tokens);
  const tokensOut = num(usage?.output_tokens);
  if (costUsd !== undefined || tokensIn !== undefined || tokensOut !== undefined) {
    events.push({ kind: 'usage', costUsd, tokensIn, tokensOut });
  }
  const subtype = str(event.subtype) ?? 'success';
  const text = str(event.result);
  const success = subtype === 'success' && event.is_error !== true;
  if (success) {
    events.push({ kind: 'result', success, summary: text });
  } else {
    const error = text && event.is_error === true ? text : (errorText(event.error) ?? subtype);
    events.push({ kind: 'result', success, summary: text, error });
    const status = num(event.api_error_status);
    // A usage limit's text carries its reset time ("…|1700000100"): words for *when*, never for *whether*.
    const structured = flaggedSignal(undefined, status, status === undefined ? error : `${error} (${status})`, parseRetryAfter(error));
    events.push(...(structured.length > 0 ? structured : detectSignals(error, 'error')));
  }
  return events;
}

function sessionEvents(event: JsonObject): AgentEvent[] {
  const id = str(event.session_id);
  return id ? [{ kind: 'session', id }] : [];
}

export function createClaudeParser(): StdoutParser {
  return {
    line(line) {
      const event = parseJsonObject(line);
      if (!event) return [];
      switch (event.type) {
        case 'assistant':
          return assistantEvents(event);
        case 'result':
          return [...sessionEvents(event), ...resultEvents(event)];
        case 'system':
          if (event.subtype === 'init') return sessionEvents(event);
          if (event.subtype === 'api_retry') return apiRetryEvents(event);
          return [];
        default:
          // user (tool results), stream_event…: nothing the scheduler needs.
          return [];
      }
    },
  };
}
