// The terminal of one agent attempt (or its verify command), run as a VS Code task. The process
// itself is started by the engine's own `runProcess`, exactly as the CLI starts it, so output
// capture, the log file, time-outs and killing the whole process tree behave the same; this class
// only mirrors the output into the terminal and turns "the user closed the terminal" into a cancel.
//
// The agent starts at once, not when VS Code gets round to opening the terminal (a few hundred
// milliseconds per task, more for the first): output until then is kept and shown on open, and an
// agent's run never depends on the terminal UI.
import { constants } from 'node:os';
import * as vscode from 'vscode';
import { runProcess, type LaunchRequest, type ProcessResult } from '../../core';

const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const YELLOW = '\x1b[33m';
const RESET = '\x1b[0m';

/** Lines kept for the terminal until it opens; the log file has everything. */
const MAX_BUFFERED_LINES = 2000;

export class AgentPseudoterminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;

  private readonly controller = new AbortController();
  private execution: Promise<ProcessResult> | undefined;
  private settle!: (result: ProcessResult) => void;
  private finished = false;
  private opened = false;
  private buffered: string[] | undefined = [];
  private exitCode: number | undefined;
  private ended = false;
  /** Resolves when the process ran (or could not start) and its output is complete. */
  readonly result = new Promise<ProcessResult>((resolve) => (this.settle = resolve));

  constructor(
    private readonly request: LaunchRequest,
    private readonly title: string,
    /** The user closed the terminal or terminated the task while it ran. */
    private readonly onUserStop: () => void,
  ) {
    const outer = request.signal;
    if (outer?.aborted) this.controller.abort();
    else outer?.addEventListener('abort', () => this.controller.abort(), { once: true });
  }

  /** VS Code opened the task's terminal: show what was said so far, and end it if the agent already has. */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    const earlier = this.buffered ?? [];
    this.buffered = undefined;
    if (earlier.length > 0) this.writeEmitter.fire(earlier.join(''));
    // The terminal renders in batches; closing in the same tick would drop the replayed output.
    if (this.ended) setTimeout(() => this.closeTerminal(), 100);
  }

  close(): void {
    if (this.finished) return;
    this.write(`${YELLOW}Stopped from the terminal: cancelling the task…${RESET}`);
    try {
      this.onUserStop();
    } finally {
      // Whatever the orchestrator does with the cancel, the process tree goes now.
      this.controller.abort();
    }
  }

  /** Runs the process (once). */
  start(): void {
    this.execution ??= this.execute().then((result) => {
      this.settle(result);
      return result;
    });
  }

  private async execute(): Promise<ProcessResult> {
    const { request } = this;
    this.write(`${BOLD}${this.title}${RESET}`);
    this.write(`${DIM}$ ${request.argv.map(quoteForDisplay).join(' ')}${RESET}`);
    this.write(`${DIM}in ${request.cwd}${RESET}`);
    let result: ProcessResult;
    try {
      result = await runProcess({
        ...request,
        signal: this.controller.signal,
        onLine: (line, stream) => {
          this.write(stream === 'stderr' ? `${RED}${line}${RESET}` : line);
          request.onLine?.(line, stream);
        },
      });
    } catch (error) {
      // runProcess reports failures in its result; this is a bug, but the run must go on.
      const message = error instanceof Error ? error.message : String(error);
      result = { exitCode: null, signal: null, timedOut: false, cancelled: false, durationMs: 0, tail: [message], pid: undefined, error: { code: 'spawn-failed', message }, logTruncated: false };
    }
    this.finished = true;
    this.write(summaryLine(result));
    this.exitCode = exitCodeOf(result);
    this.ended = true;
    if (this.opened) this.closeTerminal();
    return result;
  }

  /**
   * Success closes with 0. A failure, time-out or cancel closes with no exit code: the
   * orchestrator reports those itself (tree, log, summary line above), and a code would make VS
   * Code add its own "terminal process terminated with exit code" toast for an ordinary outcome.
   */
  private closeTerminal(): void {
    if (this.exitCode === 0) this.closeEmitter.fire(0);
    else this.closeEmitter.fire();
  }

  private write(line: string): void {
    const text = `${line.replace(/\r?\n/g, '\r\n')}\r\n`;
    if (this.opened) this.writeEmitter.fire(text);
    else if (this.buffered && this.buffered.length < MAX_BUFFERED_LINES) this.buffered.push(text);
  }
}

/** What the task reports as its exit code: the process's, else the shell convention for how it ended. */
export function exitCodeOf(result: ProcessResult): number {
  if (result.exitCode !== null) return result.exitCode;
  if (result.error) return result.error.code === 'not-found' ? 127 : 126;
  if (result.signal) return 128 + (constants.signals[result.signal] ?? 15);
  return result.cancelled ? 130 : 1;
}

function summaryLine(result: ProcessResult): string {
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  if (result.error) return `${RED}✘ ${result.error.message}${RESET}`;
  if (result.timedOut) return `${RED}✘ timed out after ${seconds}; the process tree was killed${RESET}`;
  if (result.cancelled) return `${YELLOW}■ cancelled after ${seconds}; the process tree was killed${RESET}`;
  if (result.exitCode === 0) return `${GREEN}✔ exited with code 0 after ${seconds}${RESET}`;
  return `${RED}✘ exited with ${result.exitCode === null ? `signal ${result.signal}` : `code ${result.exitCode}`} after ${seconds}${RESET}`;
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
