// Runs one helper command (npm, git, code-server's CLI) to completion. Output goes to a log
// file instead of the console, so a long install stays readable; callers show the tail when a
// step fails. Always an argv array, never a shell string.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { killTree } from './processTree';

export interface CommandOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Where stdout and stderr are appended; when absent they are only kept in memory. */
  logFile?: string;
  timeoutMs?: number;
}

export interface CommandResult {
  exitCode: number | null;
  timedOut: boolean;
  /** Combined stdout and stderr (the last 64 KB). */
  output: string;
}

const KEEP_BYTES = 64 * 1024;

export function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const log = options.logFile ? fs.openSync(options.logFile, 'a') : undefined;
    if (log !== undefined) fs.writeSync(log, `\n$ (cd ${options.cwd}) ${[command, ...args].join(' ')}\n`);
    // detached: its own process group, so a timeout can end the command and all it started.
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let timedOut = false;
    const collect = (chunk: Buffer) => {
      if (log !== undefined) fs.writeSync(log, chunk);
      output = (output + chunk.toString('utf8')).slice(-KEEP_BYTES);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          if (child.pid !== undefined) void killTree(child.pid, 2000);
        }, options.timeoutMs)
      : undefined;
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (log !== undefined) fs.closeSync(log);
      finish();
    };
    child.on('error', (error) => settle(() => reject(new Error(`cannot run ${command}: ${error.message}`))));
    child.on('close', (exitCode) => settle(() => resolve({ exitCode, timedOut, output })));
  });
}

/** Like runCommand, but a non-zero exit or a timeout is an error that quotes the output's tail. */
export async function runCommandOrThrow(command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.exitCode !== 0 || result.timedOut) {
    const why = result.timedOut ? `timed out after ${options.timeoutMs} ms` : `exited with ${result.exitCode}`;
    throw new Error(`${[command, ...args].join(' ')} ${why} (in ${options.cwd})\n${tail(result.output, 25)}`);
  }
  return result;
}

/** The last `lines` lines of a text, indented for quoting under an error message. */
export function tail(text: string, lines: number): string {
  return text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `    ${line}`)
    .join('\n');
}
