// What the scripted agent prints: one JSON object a line, `{"event": …}`. Shared by the agent
// (which writes it) and its parser (which reads it) so the two cannot drift apart.

export type ScriptedEvent =
  | { readonly event: 'start'; readonly taskId: string; readonly instructions: number }
  | { readonly event: 'progress'; readonly step: number; readonly total: number; readonly message: string }
  | { readonly event: 'message'; readonly text: string }
  | { readonly event: 'file'; readonly action: 'write' | 'append' | 'delete'; readonly path: string }
  | { readonly event: 'usage'; readonly costUsd: number; readonly tokensIn: number; readonly tokensOut: number }
  | { readonly event: 'child'; readonly pid: number; readonly detached: boolean }
  | { readonly event: 'session'; readonly id: string }
  | { readonly event: 'rateLimited'; readonly retryAfterMs: number; readonly message: string }
  | { readonly event: 'authError'; readonly message: string }
  | { readonly event: 'result'; readonly success: boolean; readonly summary?: string; readonly error?: string };

/** Exit codes, so a caller can tell outcomes apart without parsing. */
export const SCRIPTED_EXIT = {
  ok: 0,
  failed: 1,
  usage: 64,
  rateLimited: 75, // EX_TEMPFAIL: try again later
  authError: 77, // EX_NOPERM
  terminated: 143,
} as const;
