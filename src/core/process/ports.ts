// The port through which the engine starts agent processes. The Node implementation
// (processRunner.ts) is the default and is what the CLI and the unit tests use; the VS Code
// adapter implements the same interface with a CustomExecution + Pseudoterminal so each agent
// is a visible task. Keeping the contract here, free of child_process, lets both sides agree
// on what a run reports without either importing the other.

export type OutputStream = 'stdout' | 'stderr';

/** Which task attempt a launch belongs to, so a launcher can show or name it (e.g. as a VS Code task). */
export interface LaunchOrigin {
  readonly runId: string;
  readonly taskId: string;
  readonly attempt: number;
  /** The agent itself, or the task's `verify` command after it. */
  readonly step: 'agent' | 'verify';
  /** The agent profile's name. */
  readonly agent: string;
}

export interface LaunchRequest {
  /**
   * argv[0] is the executable (looked up on PATH); every other element reaches the program
   * verbatim. There is never a shell in between, so no element is ever re-parsed.
   */
  readonly argv: readonly string[];
  readonly cwd: string;
  /** Merged over the parent environment; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Kill the whole process tree after this long. No limit when absent. */
  readonly timeoutMs?: number;
  /** Aborting kills the whole process tree; the result then has `cancelled: true`. */
  readonly signal?: AbortSignal;
  /** A size-capped copy of the merged output is written here (folders are created). */
  readonly logFile?: string;
  /** Every complete output line, in arrival order per stream. */
  readonly onLine?: (line: string, stream: OutputStream) => void;
  /** Called once the process exists, so the caller can record its pid. */
  readonly onStart?: (pid: number) => void;
  /** Time between SIGTERM and SIGKILL when killing. Default 5 s. */
  readonly killGraceMs?: number;
  /** How many trailing lines `ProcessResult.tail` keeps. Default 40. */
  readonly tailLines?: number;
  /** The log keeps this many bytes from the start and this many from the end. Default 1 MiB each. */
  readonly logHeadBytes?: number;
  readonly logTailBytes?: number;
  /** Words for error messages: "agent CLI `claude` not found on PATH — install it or change the profile". */
  readonly commandLabel?: string;
  readonly notFoundHint?: string;
  /** Set by the orchestrator; launchers that only run processes may ignore it. */
  readonly origin?: LaunchOrigin;
}

export type LaunchErrorCode = 'not-found' | 'not-executable' | 'cwd-missing' | 'bad-argv' | 'spawn-failed';

/** Why a process could not run at all (as opposed to running and exiting non-zero). */
export interface LaunchError {
  readonly code: LaunchErrorCode;
  readonly message: string;
}

export interface ProcessResult {
  /** null when the process was killed by a signal or never started. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  readonly durationMs: number;
  /** The last lines of output (both streams), for error messages and retry prompts. */
  readonly tail: readonly string[];
  readonly pid: number | undefined;
  /** Present when the process could not be started. */
  readonly error?: LaunchError;
  /** True when the log file had its middle cut out to respect the size cap. */
  readonly logTruncated: boolean;
}

export interface ProcessLauncher {
  /** Resolves when the process and its output are finished; never rejects for process failures. */
  launch(request: LaunchRequest): Promise<ProcessResult>;
}

/** A run counts as a success only if it started, was not stopped, and exited 0. */
export function succeeded(result: ProcessResult): boolean {
  return result.exitCode === 0 && !result.error && !result.timedOut && !result.cancelled;
}
