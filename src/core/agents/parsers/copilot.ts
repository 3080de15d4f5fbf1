import { errorText, num, obj, parseJsonObject, str, type JsonObject } from './json';
import { detectSignals } from './signals';
import type { AgentEvent, StdoutParser } from './types';

// Copilot CLI `-p … --output-format json`: JSON lines `{type, data}` — session.*,
// assistant.message (and _delta chunks, ignored: the full message follows), tool.execution_*,
// and a final `result`. Usage counts premium requests, not tokens or dollars, so only token
// fields are passed on when a release does report them. The format is young; fields are read
// from `data` or from the event itself.

function payload(event: JsonObject): JsonObject {
  return obj(event.data) ?? obj(event.payload) ?? event;
}

export function createCopilotParser(): StdoutParser {
  let lastMessage: string | undefined;
  return {
    line(line) {
      const event = parseJsonObject(line);
      if (!event) return [];
      const data = payload(event);
      switch (event.type) {
        case 'assistant.message': {
          const text = str(data.content);
          if (!text) return [];
          lastMessage = text;
          return [{ kind: 'message', text }];
        }
        case 'tool.execution_start':
          return [{ kind: 'message', text: `tool ${str(data.toolName) ?? str(data.name) ?? 'unknown'}` }];
        case 'session.error': {
          const message = errorText(data) ?? 'session error';
          return [{ kind: 'message', text: `error: ${message}` }, ...detectSignals(message, 'error')];
        }
        case 'result': {
          const events: AgentEvent[] = [];
          const usage = obj(data.usage);
          const tokensIn = num(usage?.inputTokens) ?? num(usage?.input_tokens);
          const tokensOut = num(usage?.outputTokens) ?? num(usage?.output_tokens);
          if (tokensIn !== undefined || tokensOut !== undefined) events.push({ kind: 'usage', tokensIn, tokensOut });
          const exitCode = num(data.exitCode) ?? num(data.exit_code);
          const error = errorText(data.error);
          const success = error === undefined && data.success !== false && (exitCode === undefined || exitCode === 0) && data.status !== 'error';
          const summary = str(data.result) ?? str(data.content) ?? lastMessage;
          if (success) {
            events.push({ kind: 'result', success, summary });
          } else {
            const reason = error ?? (exitCode !== undefined ? `exit code ${exitCode}` : 'failed');
            events.push({ kind: 'result', success, summary, error: reason }, ...detectSignals(reason, 'error'));
          }
          return events;
        }
        default:
          return [];
      }
    },
  };
}
