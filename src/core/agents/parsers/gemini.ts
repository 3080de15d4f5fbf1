import { errorText, isObject, num, obj, parseJsonObject, str, sum, type JsonObject } from './json';
import { detectSignals } from './signals';
import type { AgentEvent, StdoutParser } from './types';

// Gemini CLI `-o stream-json`: init, message (user/assistant; assistant text may arrive as
// `delta: true` chunks), tool_use, tool_result, error (non-fatal warnings and errors), and a final
// `result` with `status` and `stats`. Gemini reports tokens but no cost.

/** Token totals from either stats shape: flat (input_tokens…) or per model (models.*.tokens). */
function tokens(stats: JsonObject | undefined): { tokensIn?: number; tokensOut?: number } {
  if (!stats) return {};
  let tokensIn = num(stats.input_tokens) ?? num(stats.inputTokens) ?? num(stats.input);
  let tokensOut = num(stats.output_tokens) ?? num(stats.outputTokens) ?? num(stats.output);
  const models = obj(stats.models);
  if (models && (tokensIn === undefined || tokensOut === undefined)) {
    const perModel = Object.values(models).filter(isObject).map((m) => obj(m.tokens));
    tokensIn ??= sum(...perModel.map((t) => t?.prompt ?? t?.input));
    tokensOut ??= sum(...perModel.map((t) => t?.candidates ?? t?.output));
  }
  return { tokensIn, tokensOut };
}

export function createGeminiParser(): StdoutParser {
  let streamed = '';
  let lastMessage: string | undefined;

  // Chunks of one assistant reply become one message, sent when something else happens.
  const flush = (): AgentEvent[] => {
    if (streamed.trim().length === 0) return [];
    lastMessage = streamed;
    streamed = '';
    return [{ kind: 'message', text: lastMessage }];
  };

  return {
    line(line) {
      const event = parseJsonObject(line);
      if (!event) return [];
      if (event.type === 'message') {
        if (event.role !== 'assistant') return [];
        const content = str(event.content) ?? '';
        if (event.delta === true) {
          streamed += content;
          return [];
        }
        const events = flush();
        if (content.length > 0) {
          lastMessage = content;
          events.push({ kind: 'message', text: content });
        }
        return events;
      }
      const events = flush();
      switch (event.type) {
        case 'tool_use':
          events.push({ kind: 'message', text: `tool ${str(event.tool_name) ?? 'unknown'}` });
          break;
        case 'tool_result':
          if (event.status === 'error') events.push({ kind: 'message', text: `tool failed: ${errorText(event.error) ?? str(event.output) ?? ''}` });
          break;
        case 'error': {
          const message = errorText(event) ?? 'error';
          events.push({ kind: 'message', text: `${str(event.severity) ?? 'error'}: ${message}` }, ...detectSignals(message, 'error'));
          break;
        }
        case 'result': {
          const usage = tokens(obj(event.stats));
          if (usage.tokensIn !== undefined || usage.tokensOut !== undefined) events.push({ kind: 'usage', ...usage });
          const success = (str(event.status) ?? 'success') === 'success' && event.error === undefined;
          const summary = str(event.response) ?? lastMessage;
          if (success) {
            events.push({ kind: 'result', success, summary });
          } else {
            const error = errorText(event.error) ?? str(event.status) ?? 'error';
            // The error type (e.g. FatalAuthenticationError) says more than some messages do.
            const type = str(obj(event.error)?.type);
            events.push({ kind: 'result', success, summary, error }, ...detectSignals(type ? `${type}: ${error}` : error, 'error'));
          }
          break;
        }
        default:
          break;
      }
      return events;
    },
    end: flush,
  };
}
