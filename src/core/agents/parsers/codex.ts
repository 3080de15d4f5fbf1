import { errorText, isObject, num, obj, parseJsonObject, str, type JsonObject } from './json';
import { detectSignals } from './signals';
import type { AgentEvent, StdoutParser } from './types';

// Codex CLI `exec --json`: thread.started, turn.started, item.started/updated/completed (an item
// is an agent_message, reasoning, command_execution, file_change, todo_list, …), then
// turn.completed with token usage — or turn.failed / error. Codex reports no cost.
// thread.started carries the thread id (the session, for `codex exec resume`). While it retries a
// dropped or refused stream it prints `{"type":"error","message":"Reconnecting... 2/5 (…)"}`: a
// notice, not a failure — the turn may still complete, whatever the notice's words say.

// `Reconnecting... 2/5 (stream disconnected …)`, or without a network, where codex never gives
// up: `Reconnecting... waiting for network (Connection failed: …)`.
const RECONNECTING = /^Reconnecting\W*(?:(\d+)\s*\/\s*(\d+))?\s*([^(]*?)\s*(?:\((.*)\))?\s*$/is;

/** The notice as an apiRetry event; `count` numbers notices that carry no "n/m". */
function reconnectEvent(message: string, count: number): AgentEvent | undefined {
  const match = RECONNECTING.exec(message.trim());
  if (!match) return undefined;
  const why = [match[3], match[4]].map((part) => part?.trim()).filter(Boolean).join(': ');
  return {
    kind: 'apiRetry',
    attempt: match[1] ? Number(match[1]) : count,
    ...(match[2] ? { maxRetries: Number(match[2]) } : {}),
    ...(why ? { message: why } : {}),
  };
}

/**
 * Codex renders a refused request as `unexpected status 401 Unauthorized: …`, the HTTP status in
 * a fixed place of its own format: that status is the structured signal (a 401 or 403 is a login
 * problem, a 429 a rate limit), not the words around it.
 */
const HTTP_STATUS = /^unexpected status (\d{3})\b/i;

function statusSignals(error: string): AgentEvent[] | undefined {
  const status = Number(HTTP_STATUS.exec(error.trim())?.[1]);
  if (status === 401 || status === 403) return [{ kind: 'authError', message: error, evidence: 'structured' }];
  if (status === 429) return [{ kind: 'rateLimited', message: error, evidence: 'structured' }];
  return undefined;
}

function todoProgress(item: JsonObject): AgentEvent[] {
  const items = Array.isArray(item.items) ? item.items.filter(isObject) : [];
  if (items.length === 0) return [];
  const done = items.filter((i) => i.completed === true).length;
  const next = items.find((i) => i.completed !== true);
  return [{ kind: 'progress', step: done, total: items.length, message: str(next?.text) ?? 'all items done' }];
}

export function createCodexParser(): StdoutParser {
  let lastMessage: string | undefined;
  let tokensIn = 0;
  let tokensOut = 0;
  let reconnects = 0;

  const itemEvents = (phase: string, item: JsonObject): AgentEvent[] => {
    switch (item.type) {
      case 'agent_message':
        if (phase !== 'item.completed' || !str(item.text)) return [];
        lastMessage = item.text as string;
        return [{ kind: 'message', text: lastMessage }];
      case 'command_execution': {
        const command = str(item.command) ?? '';
        if (phase === 'item.started') return [{ kind: 'message', text: `$ ${command}` }];
        const exit = num(item.exit_code);
        if (phase === 'item.completed' && exit !== undefined && exit !== 0) {
          return [{ kind: 'message', text: `command exited ${exit}: ${command}` }];
        }
        return [];
      }
      case 'file_change': {
        if (phase !== 'item.completed') return [];
        const paths = (Array.isArray(item.changes) ? item.changes.filter(isObject) : []).map((c) => `${str(c.kind) ?? 'change'} ${str(c.path) ?? '?'}`);
        return paths.length > 0 ? [{ kind: 'message', text: `files: ${paths.join(', ')}` }] : [];
      }
      case 'todo_list':
        return todoProgress(item);
      case 'error': {
        const message = str(item.message) ?? 'error';
        return [{ kind: 'message', text: `error: ${message}` }, ...detectSignals(message, 'error')];
      }
      default:
        // reasoning, mcp_tool_call, web_search…: not needed to drive the run.
        return [];
    }
  };

  return {
    line(line) {
      const event = parseJsonObject(line);
      if (!event) return [];
      const type = str(event.type) ?? '';
      if (type.startsWith('item.')) {
        const item = obj(event.item);
        return item ? itemEvents(type, item) : [];
      }
      if (type === 'turn.completed') {
        // Usage is per turn; our usage events carry run totals.
        const usage = obj(event.usage);
        tokensIn += num(usage?.input_tokens) ?? 0;
        tokensOut += num(usage?.output_tokens) ?? 0;
        return [
          { kind: 'usage', tokensIn, tokensOut },
          { kind: 'result', success: true, summary: lastMessage },
        ];
      }
      if (type === 'thread.started') {
        const id = str(event.thread_id);
        return id ? [{ kind: 'session', id }] : [];
      }
      if (type === 'turn.failed' || type === 'error') {
        const error = errorText(event.error) ?? str(event.message) ?? type;
        const reconnect = type === 'error' ? reconnectEvent(error, reconnects + 1) : undefined;
        if (reconnect) {
          reconnects += 1;
          return [reconnect];
        }
        return [{ kind: 'result', success: false, summary: lastMessage, error }, ...statusSignals(error) ?? detectSignals(error, 'error')];
      }
      return [];
    },
  };
}
