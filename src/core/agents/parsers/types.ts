import type { OutputStream } from '../../process/ports';

/**
 * What every agent's output is reduced to, whichever CLI produced it.
 * - `usage` carries the run's cumulative totals so far: keep the last one.
 * - `result` is the agent's own verdict; the last one wins, and the process exit code still
 *   decides together with it (docs/agent-signals.md).
 * - `rateLimited` and `authError` are *signals*, not verdicts: they decide the outcome only of an
 *   attempt that failed (a non-zero exit or a failed result). `evidence` says where one came from:
 *   `structured` (an event type or field, a status code) or `text` (words in an error message,
 *   which the verdict trusts less). Each is reported once per run.
 * - `apiRetry` is the CLI retrying its API on its own (claude's `api_retry`, codex's
 *   "Reconnecting… n/5"): shown live so a waiting agent is not a silent one.
 * - `session` is the CLI's own id for the conversation (claude's session_id, codex's thread_id),
 *   recorded with the attempt for follow-ups.
 */
export type SignalEvidence = 'structured' | 'text';

export type AgentEvent =
  | { readonly kind: 'progress'; readonly step: number; readonly total: number; readonly message: string }
  | { readonly kind: 'message'; readonly text: string }
  | { readonly kind: 'usage'; readonly costUsd?: number; readonly tokensIn?: number; readonly tokensOut?: number }
  | { readonly kind: 'result'; readonly success: boolean; readonly summary?: string; readonly error?: string }
  | { readonly kind: 'rateLimited'; readonly retryAfterMs?: number; readonly message?: string; readonly evidence?: SignalEvidence }
  | { readonly kind: 'authError'; readonly message: string; readonly evidence?: SignalEvidence }
  | ApiRetryEvent
  | { readonly kind: 'session'; readonly id: string };

/** The agent's CLI is retrying a failed API request by itself. */
export interface ApiRetryEvent {
  readonly kind: 'apiRetry';
  /** This retry's number, from 1. */
  readonly attempt: number;
  readonly maxRetries?: number;
  /** The HTTP status that failed, when the CLI says (429, 401, 500…); absent when unreachable. */
  readonly status?: number;
  /** The CLI's error category, e.g. claude's "rate_limit", "authentication_failed", "unknown". */
  readonly error?: string;
  readonly delayMs?: number;
  /** The CLI's own words, when it gives no category. */
  readonly message?: string;
}

export const PARSER_IDS = ['claude', 'codex', 'gemini', 'aider', 'copilot', 'scripted', 'plain'] as const;
export type ParserId = (typeof PARSER_IDS)[number];

export function isParserId(value: unknown): value is ParserId {
  return typeof value === 'string' && (PARSER_IDS as readonly string[]).includes(value);
}

/**
 * Parses one CLI's stdout, line by line. Implementations may keep state between lines (usage
 * totals, streamed message chunks); `end` flushes it. Create one per run.
 */
export interface StdoutParser {
  line(line: string): AgentEvent[];
  end?(): AgentEvent[];
}

/** The parser a runner feeds: both streams, with rate-limit and auth detection on top. */
export interface OutputParser {
  push(line: string, stream?: OutputStream): AgentEvent[];
  end(): AgentEvent[];
}
