import type { OutputStream } from '../ports';

/**
 * What every agent's output is reduced to, whichever CLI produced it.
 * - `usage` carries the run's cumulative totals so far: keep the last one.
 * - `result` is the agent's own verdict; the last one wins, and the process exit code still
 *   decides together with it (AGENT-CLIS.md).
 * - `rateLimited` asks the scheduler to pause and requeue instead of failing the task;
 *   `authError` is a configuration problem no retry will fix. Each is reported once per run.
 */
export type AgentEvent =
  | { readonly kind: 'progress'; readonly step: number; readonly total: number; readonly message: string }
  | { readonly kind: 'message'; readonly text: string }
  | { readonly kind: 'usage'; readonly costUsd?: number; readonly tokensIn?: number; readonly tokensOut?: number }
  | { readonly kind: 'result'; readonly success: boolean; readonly summary?: string; readonly error?: string }
  | { readonly kind: 'rateLimited'; readonly retryAfterMs?: number; readonly message?: string }
  | { readonly kind: 'authError'; readonly message: string };

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
