// The project's own agent: deterministic, offline, and fast, for the demo and for tests that need
// a real child process behaving like an AI coding agent. It reads a prompt of simple instructions
// (instructions.ts; docs/scripted-agent.md) and carries them out in its working directory.
//
// Usage:  node scripted-agent.js (--prompt TEXT | --prompt-file PATH) [--task ID] [--resume SESSION]
//
// Contract with the orchestrator:
// - stdout carries one JSON event per line (protocol.ts), read by parsers/scripted.ts;
// - when ORCH_STATUS_FILE is set it writes the status JSON (docs/database.md) there: in_progress
//   at the start, completed or failed at the end (also when terminated by SIGTERM);
// - it never commits: the orchestrator commits the worktree after a successful run
//   (WorktreeManager.commitAll), so every agent's work reaches its branch the same way.
//
// Built by esbuild as dist/scripted-agent.js; in tests run out/src/core/agents/scripted/scriptedAgent.js.

import { spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { writeStatusFile, type AgentStatus } from '../statusFile';
import { parseInstructions, type Instruction } from './instructions';
import { SCRIPTED_EXIT, type ScriptedEvent } from './protocol';

interface Options {
  readonly prompt: string;
  readonly taskId: string;
  /** A session an earlier run reported (`session ID`): said at the start, as a resumed CLI would know it. */
  readonly resume: string | undefined;
}

function emit(event: ScriptedEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function usage(message: string): never {
  process.stderr.write(`scripted-agent: ${message}\nusage: scripted-agent (--prompt TEXT | --prompt-file PATH) [--task ID] [--resume SESSION]\n`);
  process.exit(SCRIPTED_EXIT.usage);
}

function parseArgs(argv: readonly string[]): Options {
  let prompt: string | undefined;
  let taskId: string | undefined;
  let resume: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag !== '--prompt' && flag !== '--prompt-file' && flag !== '--task' && flag !== '--resume') usage(`unknown argument ${JSON.stringify(flag)}`);
    if (value === undefined) usage(`${flag} needs a value`);
    i++;
    if (flag === '--prompt') prompt = value;
    else if (flag === '--task') taskId = value;
    else if (flag === '--resume') resume = value;
    else {
      try {
        prompt = readFileSync(value, 'utf8');
      } catch (error) {
        usage(`cannot read prompt file ${value}: ${(error as Error).message}`);
      }
    }
  }
  if (prompt === undefined) usage('no prompt given');
  return { prompt, taskId: taskId ?? process.env.ORCH_TASK_ID ?? 'scripted', resume };
}

/** Resolves a path inside the working directory; the agent never writes outside its worktree. */
function insideCwd(path: string): string {
  const full = resolve(process.cwd(), path);
  const rel = relative(process.cwd(), full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`path ${JSON.stringify(path)} is outside the working directory`);
  return full;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const forever = (): Promise<never> => new Promise<never>(() => setInterval(() => undefined, 1 << 30));

class Outcome extends Error {
  constructor(
    readonly exitCode: number,
    readonly error?: string,
  ) {
    super(error ?? `exit ${exitCode}`);
  }
}

class ScriptedAgent {
  private readonly startTime = new Date().toISOString();
  private readonly statusFile = process.env.ORCH_STATUS_FILE;
  private costUsd = 0;
  private tokensIn = 0;
  private tokensOut = 0;
  private filesTouched = 0;
  private finished = false;

  constructor(private readonly options: Options) {}

  private writeStatus(status: AgentStatus['status'], error: string | null = null): void {
    if (!this.statusFile) return;
    const done = status === 'completed' || status === 'failed';
    writeStatusFile(this.statusFile, {
      agent_id: `scripted:${this.options.taskId}`,
      sub_issue: this.options.taskId,
      status,
      start_time: this.startTime,
      pr_number: null,
      completion_time: done ? new Date().toISOString() : null,
      error,
    });
  }

  /** SIGTERM (a time-out or a cancel) still leaves a final status behind. */
  onTerminate(signal: NodeJS.Signals): void {
    if (this.finished) return;
    this.finished = true;
    emit({ event: 'result', success: false, error: `terminated by ${signal}` });
    try {
      this.writeStatus('failed', `terminated by ${signal}`);
    } finally {
      process.exit(SCRIPTED_EXIT.terminated);
    }
  }

  async run(): Promise<number> {
    const instructions = parseInstructions(this.options.prompt);
    emit({ event: 'start', taskId: this.options.taskId, instructions: instructions.length });
    if (this.options.resume) emit({ event: 'message', text: `resumed session ${this.options.resume}` });
    this.writeStatus('in_progress');
    let exitCode: number = SCRIPTED_EXIT.ok;
    let error: string | undefined;
    try {
      for (const instruction of instructions) await this.execute(instruction);
    } catch (caught) {
      if (caught instanceof Outcome) {
        exitCode = caught.exitCode;
        error = caught.error;
      } else {
        exitCode = SCRIPTED_EXIT.failed;
        error = (caught as Error).message;
      }
    }
    if (this.finished) return exitCode;
    this.finished = true;
    const success = exitCode === 0;
    emit(
      success
        ? { event: 'result', success, summary: `${instructions.length} instructions done, ${this.filesTouched} file changes` }
        : { event: 'result', success, error: error ?? `exit code ${exitCode}` },
    );
    this.writeStatus(success ? 'completed' : 'failed', success ? null : (error ?? `exit code ${exitCode}`));
    return exitCode;
  }

  private async execute(instruction: Instruction): Promise<void> {
    switch (instruction.op) {
      case 'write':
      case 'append': {
        const path = insideCwd(instruction.path);
        await fs.mkdir(dirname(path), { recursive: true });
        if (instruction.op === 'write') await fs.writeFile(path, `${instruction.content}\n`);
        else await fs.appendFile(path, `${instruction.content}\n`);
        this.filesTouched++;
        emit({ event: 'file', action: instruction.op, path: instruction.path });
        return;
      }
      case 'delete':
        await fs.rm(insideCwd(instruction.path), { force: true });
        this.filesTouched++;
        emit({ event: 'file', action: 'delete', path: instruction.path });
        return;
      case 'sleep':
        await sleep(instruction.ms);
        return;
      case 'progress':
        emit({ event: 'progress', step: instruction.step, total: instruction.total, message: instruction.message });
        return;
      case 'echo':
        emit({ event: 'message', text: instruction.text });
        return;
      case 'note':
        emit({ event: 'message', text: `note: ${instruction.text}` });
        return;
      case 'cost':
        this.costUsd = Math.round((this.costUsd + instruction.usd) * 1e6) / 1e6;
        this.tokensIn += instruction.tokensIn;
        this.tokensOut += instruction.tokensOut;
        emit({ event: 'usage', costUsd: this.costUsd, tokensIn: this.tokensIn, tokensOut: this.tokensOut });
        return;
      case 'fail':
        throw new Outcome(SCRIPTED_EXIT.failed, instruction.message);
      case 'failOnce': {
        // The one path allowed outside the working directory: the marker must outlive the attempt's
        // worktree. Exclusive create, so of any number of attempts exactly one fails.
        const marker = resolve(process.cwd(), instruction.marker);
        await fs.mkdir(dirname(marker), { recursive: true });
        try {
          await fs.writeFile(marker, '', { flag: 'wx' });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
          throw error;
        }
        throw new Outcome(SCRIPTED_EXIT.failed, `failed once as instructed (created ${instruction.marker})`);
      }
      case 'exit':
        throw new Outcome(instruction.code, instruction.code === 0 ? undefined : `exit code ${instruction.code}`);
      case 'session':
        emit({ event: 'session', id: instruction.id });
        return;
      case 'waitFor': {
        // Like fail-once's marker, the one other path outside the working directory: a file the
        // test (or a person) creates when the agent may go on.
        const path = resolve(process.cwd(), instruction.path);
        while (!(await fs.access(path).then(() => true, () => false))) await sleep(20);
        return;
      }
      case 'hang':
        await forever();
        return;
      case 'spawnChild': {
        // A child that outlives nothing on its own: only the orchestrator's tree kill stops it.
        const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
          detached: instruction.detached,
          stdio: 'ignore',
        });
        if (child.pid === undefined) throw new Error('could not start the child process');
        emit({ event: 'child', pid: child.pid, detached: instruction.detached });
        await forever();
        return;
      }
      case 'rateLimit': {
        const seconds = instruction.retryAfterMs / 1000;
        const message = `Error: 429 Too Many Requests — rate limit exceeded, retry after ${seconds}s`;
        process.stderr.write(`${message}\n`);
        emit({ event: 'rateLimited', retryAfterMs: instruction.retryAfterMs, message });
        throw new Outcome(SCRIPTED_EXIT.rateLimited, 'rate limited');
      }
      case 'authError':
        process.stderr.write(`${instruction.message}\n`);
        emit({ event: 'authError', message: instruction.message });
        throw new Outcome(SCRIPTED_EXIT.authError, instruction.message);
    }
  }
}

function main(): void {
  const agent = new ScriptedAgent(parseArgs(process.argv.slice(2)));
  // `on`, not `once`: a second signal during clean-up must not kill us before the status is written.
  process.on('SIGTERM', () => agent.onTerminate('SIGTERM'));
  process.on('SIGINT', () => agent.onTerminate('SIGINT'));
  // Like real agent CLIs, it keeps working when its host dies and its output pipes close: the
  // orchestrator's crash recovery (src/core/run/recovery.ts) has to find and stop it.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  agent.run().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`scripted-agent: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = SCRIPTED_EXIT.failed;
    },
  );
}

main();
