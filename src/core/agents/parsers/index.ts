import type { OutputStream } from '../../process/ports';
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
 * out-of-band stdout text for rate-limit and authentication failures in words (evidence: text),
 * whatever the CLI. Each kind of signal is reported at most once per run, except that a
 * structured one still gets through after words said the same (the verdict trusts only it).
 */
export function createParser(id: ParserId): OutputParser {
  const kind = KINDS[id];
  const inner = kind.create();
  const seen = new Set<string>();

  const once = (events: AgentEvent[]): AgentEvent[] =>
    events.filter((event) => {
      if (event.kind !== 'rateLimited' && event.kind !== 'authError') return true;
      // After an authentication failure a rate-limit notice adds nothing (and must not requeue).
      if (event.kind === 'rateLimited' && (seen.has('authError:text') || seen.has('authError:structured'))) return false;
      const structured = event.evidence === 'structured';
      if (seen.has(`${event.kind}:structured`) || (!structured && seen.has(`${event.kind}:text`))) return false;
      seen.add(`${event.kind}:${structured ? 'structured' : 'text'}`);
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
