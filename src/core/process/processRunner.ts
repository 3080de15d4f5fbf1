import { statSync } from 'node:fs';
import { CappedLog } from './cappedLog';
import { LineSplitter } from './lineSplitter';
import type { LaunchError, LaunchRequest, OutputStream, ProcessLauncher, ProcessResult } from './ports';
import { isAlive, killProcessTree, listDescendants, signalQuietly } from './processTree';
import { spawnChild, type SpawnedChild } from './spawnChild';

const DEFAULT_KILL_GRACE_MS = 5000;
const DEFAULT_TAIL_LINES = 40;
/** After the agent exits, how long descendants holding its pipes may keep them open. */
const DRAIN_AFTER_EXIT_MS = 1000;
/**
 * After an agent exits with no process left in its group, nothing of ours holds its pipes: its
 * last output is only late (a loaded machine, the spawn helper's relay), and the agent's last
 * lines are its verdict (status, cost). So the run waits for 'close' (all output delivered), up to
 * this long, for a descendant that left the group (setsid) and kept a pipe.
 */
const CLOSE_AFTER_EXIT_MS = 10_000;
const MAX_TAIL_LINE_CHARS = 2000;

const isWindows = process.platform === 'win32';

/**
 * Process groups of agents that are still running. If the host process exits (the CLI is
 * interrupted, the extension host shuts down) we take them down with us: they are detached, so
 * nothing else would.
 */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const group of liveGroups) signalQuietly(isWindows ? group : -group, 'SIGTERM');
    });
  }
  liveGroups.add(pid);
}

function describeSpawnError(request: LaunchRequest, error: NodeJS.ErrnoException): LaunchError {
  const command = request.argv[0];
  const label = request.commandLabel ?? 'agent CLI';
  const hint = request.notFoundHint ?? 'install it or change the profile';
  const isPath = command.includes('/') || command.includes('\\');
  if (error.code === 'ENOENT') {
    return {
      code: 'not-found',
      message: isPath ? `${label} \`${command}\` not found — ${hint}` : `${label} \`${command}\` not found on PATH — ${hint}`,
    };
  }
  if (error.code === 'EACCES') {
    return { code: 'not-executable', message: `${label} \`${command}\` cannot be executed (permission denied)` };
  }
  if (error.code === 'E2BIG') {
    return {
      code: 'bad-argv',
      message: `${label} \`${command}\`: the arguments are too long for the operating system — pass the prompt as a file ({promptFile})`,
    };
  }
  if (error.code === 'EHELPER') {
    // The process that relayed it died (spawnHelperClient.ts); the agent was stopped with it.
    return { code: 'spawn-failed', message: `${label} \`${command}\` was stopped: ${error.message}` };
  }
  return { code: 'spawn-failed', message: `${label} \`${command}\` could not be started: ${error.message}` };
}

function checkRequest(request: LaunchRequest): LaunchError | undefined {
  const command = request.argv[0];
  if (request.argv.length === 0 || typeof command !== 'string' || command.length === 0) {
    return { code: 'bad-argv', message: 'nothing to run: the command is empty' };
  }
  if (request.argv.some((arg) => typeof arg !== 'string' || arg.includes('\0'))) {
    return { code: 'bad-argv', message: `${request.commandLabel ?? 'agent CLI'} \`${command}\`: an argument is not a string or contains a NUL byte` };
  }
  try {
    if (!statSync(request.cwd).isDirectory()) throw new Error('not a directory');
  } catch {
    // Node reports a missing cwd as ENOENT of the command, which would blame the wrong thing.
    return { code: 'cwd-missing', message: `working directory ${request.cwd} does not exist` };
  }
  return undefined;
}

function buildEnv(overrides: LaunchRequest['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Keeps the last N lines. */
class Tail {
  private readonly lines: string[] = [];
  constructor(private readonly size: number) {}
  push(line: string): void {
    this.lines.push(line.length > MAX_TAIL_LINE_CHARS ? `${line.slice(0, MAX_TAIL_LINE_CHARS)}…` : line);
    if (this.lines.length > this.size) this.lines.shift();
  }
  get(): string[] {
    return [...this.lines];
  }
}

/**
 * The default ProcessLauncher: a child process (spawnChild.ts: here or in the spawn helper) with no shell, the child leading its
 * own process group (detached) so that a time-out or a cancel can stop everything it started.
 */
export class NodeProcessLauncher implements ProcessLauncher {
  launch(request: LaunchRequest): Promise<ProcessResult> {
    return runProcess(request);
  }
}

export async function runProcess(request: LaunchRequest): Promise<ProcessResult> {
  const started = Date.now();
  const tail = new Tail(request.tailLines ?? DEFAULT_TAIL_LINES);
  const notStarted = (error: LaunchError | undefined, cancelled = false): ProcessResult => ({
    exitCode: null,
    signal: null,
    timedOut: false,
    cancelled,
    durationMs: Date.now() - started,
    tail: error ? [error.message] : [],
    pid: undefined,
    error,
    logTruncated: false,
  });

  const invalid = checkRequest(request);
  if (invalid) return notStarted(invalid);
  if (request.signal?.aborted) return notStarted(undefined, true);

  const log = request.logFile ? new CappedLog(request.logFile, request.logHeadBytes, request.logTailBytes) : undefined;
  const deliver = (line: string, stream: OutputStream): void => {
    tail.push(line);
    log?.writeLine(line);
    try {
      request.onLine?.(line, stream);
    } catch {
      // A consumer's bug must not stop output collection or leave the process unattended.
    }
  };

  let child: SpawnedChild;
  try {
    child = spawnChild(request.argv[0], request.argv.slice(1), { cwd: request.cwd, env: buildEnv(request.env), detached: !isWindows, stdin: 'ignore' });
  } catch (error) {
    // spawn throws synchronously for some argument problems (E2BIG on some platforms, bad args).
    const launchError = describeSpawnError(request, error as NodeJS.ErrnoException);
    log?.writeLine(launchError.message);
    log?.close();
    return notStarted(launchError);
  }

  return new Promise<ProcessResult>((resolve) => {
    const graceMs = request.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    // Known at 'spawn': at once from Node's spawn(), after a message from the spawn helper.
    let pid: number | undefined;
    let timedOut = false;
    let cancelled = false;
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let exited = false;
    let settled = false;
    let killing: Promise<void> | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;

    const stdout = new LineSplitter((line) => deliver(line, 'stdout'));
    const stderr = new LineSplitter((line) => deliver(line, 'stderr'));
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));

    const onAbort = (): void => {
      if (exited || settled) return;
      cancelled = true;
      stop();
    };

    // Snapshot descendants first: after SIGTERM the leader may die and orphan them.
    const stop = (): void => {
      const leader = pid;
      if (killing || leader === undefined) return;
      killing = listDescendants(leader).then((snapshot) => killProcessTree(leader, graceMs, snapshot));
    };

    const settle = async (launchError?: LaunchError): Promise<void> => {
      if (settled) return;
      settled = true;
      clearTimeout(timeoutTimer);
      clearTimeout(drainTimer);
      request.signal?.removeEventListener('abort', onAbort);
      stdout.end();
      stderr.end();
      if (launchError) {
        tail.push(launchError.message);
        log?.writeLine(launchError.message);
      }
      // The contract is "when launch resolves, nothing of the run is left": wait for the kill.
      if (killing) await killing;
      if (pid !== undefined) liveGroups.delete(pid);
      log?.close();
      resolve({
        exitCode,
        signal: exitSignal,
        timedOut,
        cancelled,
        durationMs: Date.now() - started,
        tail: tail.get(),
        pid,
        error: launchError,
        logTruncated: log?.truncated ?? false,
      });
    };

    child.on('error', (error: NodeJS.ErrnoException) => {
      // Emitted when the process could not be spawned (no pid) — or, rarely, when killing failed.
      if (pid === undefined || !exited) void settle(describeSpawnError(request, error));
    });

    child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      exited = true;
      exitCode = code;
      exitSignal = signal;
      // Anything the agent left running in its group is a leak: its worktree is about to be
      // committed or removed. Descendants that still hold our pipes get a short grace to flush.
      const leftBehind = pid !== undefined && !isWindows && isAlive(-pid);
      if (leftBehind && !killing) killing = killProcessTree(pid!, graceMs, []);
      drainTimer = setTimeout(
        () => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          void settle();
        },
        leftBehind || isWindows ? DRAIN_AFTER_EXIT_MS : CLOSE_AFTER_EXIT_MS,
      );
    });

    child.on('close', () => {
      void settle();
    });

    child.once('spawn', () => {
      pid = child.pid;
      if (pid === undefined) return;
      if (!isWindows) trackGroup(pid);
      try {
        request.onStart?.(pid);
      } catch {
        // See deliver(): callbacks cannot break the run.
      }
      request.signal?.addEventListener('abort', onAbort, { once: true });
      if (request.signal?.aborted) onAbort();
      if (request.timeoutMs !== undefined && request.timeoutMs > 0) {
        timeoutTimer = setTimeout(() => {
          if (exited) return;
          timedOut = true;
          stop();
        }, request.timeoutMs);
      }
    });
  });
}
