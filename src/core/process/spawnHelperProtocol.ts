// The messages between the host and the spawn helper (spawnHelper.ts), over the IPC channel of a
// forked Node process with 'advanced' serialization, so output chunks travel as bytes.
// One helper serves many children; `id` names the child a message is about.

/** What the host asks the helper to start: the subset of spawn()'s options the engine uses. */
export interface SpawnRequest {
  readonly t: 'spawn';
  readonly id: number;
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Always the complete environment: the helper's own is the host's at the helper's start. */
  readonly env: Record<string, string>;
  readonly detached: boolean;
  /** Whether the child gets a stdin pipe (else /dev/null). */
  readonly stdin: boolean;
}

export type ToHelper =
  | SpawnRequest
  | { readonly t: 'stdin'; readonly id: number; readonly data: Uint8Array }
  | { readonly t: 'stdinEnd'; readonly id: number }
  | { readonly t: 'kill'; readonly id: number; readonly signal: NodeJS.Signals | number }
  /** The host stopped reading: close the child's output pipes (a descendant may hold them open). */
  | { readonly t: 'destroy'; readonly id: number };

/** A spawn error as the host rebuilds it: the fields callers read (code ENOENT, EACCES, …). */
export interface SpawnErrorInfo {
  readonly message: string;
  readonly code?: string;
  readonly errno?: number;
  readonly syscall?: string;
  readonly path?: string;
}

export type FromHelper =
  | { readonly t: 'spawned'; readonly id: number; readonly pid: number }
  | { readonly t: 'out'; readonly id: number; readonly fd: 1 | 2; readonly data: Uint8Array }
  | { readonly t: 'error'; readonly id: number; readonly error: SpawnErrorInfo }
  | { readonly t: 'exit'; readonly id: number; readonly code: number | null; readonly signal: NodeJS.Signals | null }
  | { readonly t: 'close'; readonly id: number; readonly code: number | null; readonly signal: NodeJS.Signals | null };

/** The helper's file, beside the module that starts it (dist/ for the bundles, out/ for the tests). */
export const SPAWN_HELPER_FILE = 'spawnHelper.js';
