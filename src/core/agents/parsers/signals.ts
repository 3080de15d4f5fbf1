import type { AgentEvent } from './types';

// Rate limits and authentication failures in *words*: for CLIs (or messages) that carry no
// structured status. What is found here is marked `evidence: 'text'` and is only a hint: it never
// turns an attempt that succeeded into a failure, and it never counts as an authentication
// failure that stops a profile (src/core/run/agentVerdict.ts). Two strengths, because agents
// *talk* about these things: an assistant saying "I'll add rate limit handling" is no signal.
// - 'error' text (stderr, error events, failed results): any mention counts;
// - ordinary 'text' (plain-text CLIs such as aider): only phrasings of an actual failure.

export type SignalContext = 'error' | 'text';

const AUTH_IN_ERROR =
  /invalid[ _-](?:x-)?api[ _-]?key|api[ _-]?key\b.{0,20}\b(?:invalid|missing|not (?:set|found|valid))|not logged in|\/login\b|log ?in required|not authenticated|authenticat|unauthori[sz]ed|\b401\b|oauth token|credential|auth method|\b[A-Z]+_API_KEY\b|permission_error|\bforbidden\b/i;

const RATE_IN_ERROR =
  /rate[ _-]?limit|too many requests|\b429\b|usage[ _-]limit|quota|resource[_ ]exhausted|overloaded|\b529\b/i;

const AUTH_IN_TEXT =
  /\bAuthenticationError\b|invalid[ _-](?:x-)?api[ _-]?key|not logged in|authentication (?:failed|error|required)|please (?:run )?\/login|\b401\b.{0,40}unauthori[sz]ed|unauthori[sz]ed.{0,40}\b401\b|(?:missing|no) api[ _-]?key (?:found|provided|set)?|api[ _-]?key (?:is )?(?:missing|not set|invalid)/i;

const RATE_IN_TEXT =
  /\bRateLimitError\b|rate[ _-]?limit(?:ed)?\b.{0,40}\b(?:exceeded|reached|hit|error)\b|\b(?:exceeded|reached|hit)\b.{0,40}\brate[ _-]?limit|has rate[ _-]?limited you|\b429\b.{0,40}(?:too many requests|rate|quota)|too many requests|usage[ _-]limit (?:reached|exceeded|hit)|reached (?:your|the) usage limit|\bquota\b.{0,30}\b(?:exceeded|exhausted)\b|exceeded your current quota|RESOURCE_EXHAUSTED|\bOverloadedError\b/i;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function unitFactor(unit: string | undefined): number {
  if (!unit) return 1000;
  const u = unit.toLowerCase();
  if (u.startsWith('ms') || u.startsWith('milli')) return UNIT_MS.ms;
  if (u.startsWith('h')) return UNIT_MS.h;
  if (u.startsWith('m')) return UNIT_MS.m;
  return UNIT_MS.s;
}

/**
 * How long the service asked us to wait, if the text says: "retry in 41.2s", "try again in 20
 * seconds", "Retry-After: 30", or Claude's "usage limit reached|<unix seconds>".
 */
export function parseRetryAfter(text: string, now = Date.now()): number | undefined {
  const epoch = /limit[^|]{0,40}\|(\d{10})\b/i.exec(text);
  if (epoch) {
    const ms = Number(epoch[1]) * 1000 - now;
    return ms > 0 ? ms : 0;
  }
  const match =
    /(?:retry|try again)[^0-9\n]{0,20}?(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)?\b/i.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * unitFactor(match[2]));
}

/** A rateLimited or authError event (evidence: text) when the text is one, else nothing. */
export function detectSignals(text: string, context: SignalContext, now = Date.now()): AgentEvent[] {
  const message = text.trim();
  if (message.length === 0) return [];
  const auth = context === 'error' ? AUTH_IN_ERROR : AUTH_IN_TEXT;
  const rate = context === 'error' ? RATE_IN_ERROR : RATE_IN_TEXT;
  // Checked first: a bad key is final, and "401 … retry" must not requeue forever.
  if (auth.test(message)) return [{ kind: 'authError', message, evidence: 'text' }];
  if (rate.test(message)) {
    const retryAfterMs = parseRetryAfter(message, now);
    return [retryAfterMs === undefined ? { kind: 'rateLimited', message, evidence: 'text' } : { kind: 'rateLimited', retryAfterMs, message, evidence: 'text' }];
  }
  return [];
}
