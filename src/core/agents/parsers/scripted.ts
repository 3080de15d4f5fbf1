import { num, parseJsonObject, str } from './json';
import type { AgentEvent, StdoutParser } from './types';

// The project's own scripted agent prints `{"event": …}` lines (scripted/protocol.ts); this maps
// them onto AgentEvent one to one. Its events for files and child processes are not needed by the
// scheduler and are ignored like any unknown event.

export function createScriptedParser(): StdoutParser {
  return {
    line(line) {
      const e = parseJsonObject(line);
      if (!e) return [];
      switch (e.event) {
        case 'progress':
          return [{ kind: 'progress', step: num(e.step) ?? 0, total: num(e.total) ?? 0, message: str(e.message) ?? '' }];
        case 'message':
          return [{ kind: 'message', text: str(e.text) ?? '' }];
        case 'usage':
          return [{ kind: 'usage', costUsd: num(e.costUsd), tokensIn: num(e.tokensIn), tokensOut: num(e.tokensOut) }];
        case 'result':
          return [{ kind: 'result', success: e.success === true, summary: str(e.summary), error: str(e.error) }];
        case 'rateLimited': {
          const event: AgentEvent = { kind: 'rateLimited', retryAfterMs: num(e.retryAfterMs), message: str(e.message), evidence: 'structured' };
          return [event];
        }
        case 'session': {
          const id = str(e.id);
          return id ? [{ kind: 'session', id }] : [];
        }
        case 'authError':
          return [{ kind: 'authError', message: str(e.message) ?? 'authentication failed', evidence: 'structured' }];
        default:
          return [];
      }
    },
  };
}
