import { succeeded, type ProcessLauncher } from '../process';
import { SetupCommandError } from './errors';

// The setup command (e.g. `npm ci`) a new worktree gets after its merges and include copies,
// before the agent starts: a fresh checkout has no installed dependencies. It is started like any
// other program, through the process layer's launcher (src/core/process), so the extension can
// show it as a VS Code task and the CLI as a child process.

const DEFAULT_SETUP_TIMEOUT_MS = 10 * 60 * 1000;

export interface SetupRun {
  /** argv; nothing runs when it is empty. */
  readonly command: readonly string[] | undefined;
  readonly taskId: string;
  /** The new worktree: the command's working folder. */
  readonly worktreePath: string;
  /** Default 10 minutes. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** The command's output goes here. */
  readonly logFile?: string;
}

/** Runs the setup command in the worktree; SetupCommandError saying why when it does not succeed. */
export async function runSetupCommand(launcher: ProcessLauncher, setup: SetupRun): Promise<void> {
  const { command, worktreePath: path } = setup;
  if (!command || command.length === 0) return;
  const result = await launcher.launch({
    argv: command,
    cwd: path,
    env: { ORCH_TASK_ID: setup.taskId, ORCH_WORKTREE: path },
    timeoutMs: setup.timeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS,
    signal: setup.signal,
    logFile: setup.logFile,
    commandLabel: 'setup command',
    notFoundHint: 'install it or change the setup command',
  });
  if (succeeded(result)) return;
  const reason = result.error
    ? result.error.message
    : result.timedOut
      ? 'timed out'
      : result.cancelled
        ? 'cancelled'
        : `exit code ${result.exitCode ?? result.signal}`;
  throw new SetupCommandError(command, result.exitCode, result.tail, reason);
}
