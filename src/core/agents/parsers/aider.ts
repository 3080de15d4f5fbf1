import type { AgentEvent, StdoutParser } from './types';

// aider `--no-pretty --no-stream` prints plain text. After each exchange it prints a line like
//   Tokens: 4.2k sent, 1.1k cache hit, 310 received. Cost: $0.02 message, $0.05 session.
// The session cost is already a total; token counts are per message and are summed here.
// aider has no final event: its exit code decides.

const TOKENS = /^Tokens:\s*([\d.,]+)\s*([kKmM]?)\s+sent\b.*?([\d.,]+)\s*([kKmM]?)\s+received\b/;
const SESSION_COST = /Cost:\s*\$([\d.,]+)\s+message,\s*\$([\d.,]+)\s+session/;

function count(value: string, suffix: string): number {
  const n = Number(value.replace(/,/g, ''));
  const factor = suffix.toLowerCase() === 'k' ? 1e3 : suffix.toLowerCase() === 'm' ? 1e6 : 1;
  return Math.round(n * factor);
}

export function createAiderParser(): StdoutParser {
  let tokensIn = 0;
  let tokensOut = 0;
  return {
    line(line) {
      const text = line.trim();
      if (text.length === 0) return [];
      const tokens = TOKENS.exec(text);
      if (!tokens) return [{ kind: 'message', text: line }];
      tokensIn += count(tokens[1], tokens[2]);
      tokensOut += count(tokens[3], tokens[4]);
      const cost = SESSION_COST.exec(text);
      const event: AgentEvent = cost
        ? { kind: 'usage', costUsd: Number(cost[2].replace(/,/g, '')), tokensIn, tokensOut }
        : { kind: 'usage', tokensIn, tokensOut };
      return [event];
    },
  };
}
