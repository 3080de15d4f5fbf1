import type { OutputStream } from '../ports';
import { createAiderParser } from './aider';
import { createClaudeParser } from './claude';
import { createCodexParser } from './codex';
import { createCopilotParser } from './copilot';
import { createGeminiParser } from './gemini';
import { parseJsonObject } from './json';
import { createPlainParser } from './plain';
import { createScriptedParser } from './scripted';
import { detectSignals } from './signals';
import type { AgentEvent, OutputParser, ParserId, StdoutParser } from './types';

export * from './types';
export { detectSignals, parseRetryAfter } from './signals';

interface ParserKind {
  readonly create: () => StdoutParser;
  /** JSON-stream CLIs: a stdout line that is not JSON is out-of-band text (often an error). */
  readonly json: boolean;
}

const KINDS: Readonly<Record<ParserId, ParserKind>> = {
  claude: { create: createClaudeParser, json: true },
  codex: { create: createCodexParser, json: true },
  gemini: { create: createGeminiParser, json: true },
  copilot: { create: createCopilotParser, json: true },
  scripted: { create: createScriptedParser, json: true },
  aider: { create: createAiderParser, json: false },
  plain: { create: createPlainParser, json: false },
};

/**
 * A fresh parser for one run. On top of the CLI-specific parser it watches stderr and
 * out-of-band stdout text for rate-limit and authentication failures (whatever the CLI), and
 * reports each of those at most once per run.
 */
export function createParser(id: ParserId): OutputParser {
  const kind = KINDS[id];
  const inner = kind.create();
  let rateLimitSeen = false;
  let authSeen = false;

  const once = (events: AgentEvent[]): AgentEvent[] =>
    events.filter((event) => {
      if (event.kind === 'rateLimited') {
        if (rateLimitSeen || authSeen) return false;
        rateLimitSeen = true;
      } else if (event.kind === 'authError') {
        if (authSeen) return false;
        authSeen = true;
      }
      return true;
    });

  return {
    push(line: string, stream: OutputStream = 'stdout'): AgentEvent[] {
      if (stream === 'stderr') return once(detectSignals(line, 'error'));
      const events = inner.line(line);
      const outOfBand = !kind.json || parseJsonObject(line) === undefined;
      return once(outOfBand ? [...events, ...detectSignals(line, 'text')] : events);
    },
    end(): AgentEvent[] {
      return once(inner.end?.() ?? []);
    },
  };
}
