// Shared set-up for the engine's end-to-end tests: real git repositories in temp folders, the real
// scripted agent as a child process, driven through the Orchestrator façade or the CLI binary.
// Nothing is mocked. Every workspace made here is torn down after its test: orchestrators closed,
// CLI children and any process still working inside the temp folder killed, the folder (with the
// sibling `.repo-worktrees` folder the WorktreeManager creates) removed.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Orchestrator, type OrchestratorEvent } from '../../../src/core/orchestrator';
import { peakOverlap } from '../../../src/core/intervals';
import type { Priority } from '../../../src/core/model';
import type { OrchestratorSettings } from '../../../src/core/settings';
import { OrchestratorStore, type AttemptRecord, type StoreOptions } from '../../../src/core/store';
import { REPO_ROOT, SCRIPTED_AGENT } from '../agents/testPaths';
import { makeRepo, type Sandbox } from '../git/gitFixture';

export { git } from '../git/gitFixture';

/** The bundled CLI, as users run it. */
export const CLI = join(REPO_ROOT, 'dist', 'cli.js');

export interface TaskSpec {
  readonly id: string;
  readonly prompt: string;
  readonly title?: string;
  readonly priority?: Priority;
  readonly dependsOn?: readonly string[];
  readonly files?: readonly string[];
  readonly agent?: string;
  readonly estimatedHours?: number;
}

/** A JSON plan with one spec (SPEC-001), so every task id is TASK-1-n; the prompt is exactly `prompt`. */
export function jsonPlan(tasks: readonly TaskSpec[]): string {
  return JSON.stringify(
    {
      specs: [
        {
          id: 'SPEC-001',
          title: 'Engine test',
          tasks: tasks.map((t) => ({
            id: t.id,
            title: t.title ?? `Task ${t.id}`,
            prompt: t.prompt,
            ...(t.priority && { priority: t.priority }),
            ...(t.dependsOn && { dependsOn: t.dependsOn }),
            ...(t.files && { files: t.files }),
            ...(t.agent && { agent: t.agent }),
            ...(t.estimatedHours && { estimatedHours: t.estimatedHours }),
          })),
        },
      ],
    },
    null,
    2,
  );
}

/** TASK-1-1 … TASK-1-n, each running `prompt(i)`. */
export function manyTasks(n: number, prompt: (i: number) => string, extra: (i: number) => Partial<TaskSpec> = () => ({})): TaskSpec[] {
  return Array.from({ length: n }, (_, k) => ({ id: `TASK-1-${k + 1}`, prompt: prompt(k + 1), ...extra(k + 1) }));
}

/** Fast, quiet defaults for tests; a test states what it depends on explicitly. */
const TEST_SETTINGS: Partial<OrchestratorSettings> = { defaultAgent: 'scripted', maxRetries: 0, maxParallel: 4 };

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI process still running: its output so far, and a way to wait for a line. */
export class LiveCli {
  stdout = '';
  stderr = '';
  readonly exited: Promise<CliResult>;

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout: this.stdout, stderr: this.stderr })));
  }

  /** Resolves once stdout matches; rejects if the process ends first or `timeoutMs` passes. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    void this.exited.then(() => (ended = true));
    while (!pattern.test(this.stdout)) {
      if (ended) throw new Error(`the CLI exited before printing ${pattern}:\n${this.stdout}\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} from the CLI within ${timeoutMs} ms:\n${this.stdout}\n${this.stderr}`);
      await sleep(50);
    }
  }
}

/** A temp folder with `repo/` in it (a repository by default), and everything the tests start there. */
export class Workspace {
  readonly dir: string;
  readonly repo: string;
  private readonly sandbox: Sandbox;
  private readonly opened: Orchestrator[] = [];
  private readonly children: ChildProcess[] = [];

  /** `repo` (default): a repository with one commit; `empty`: `git init` only; `plain`: no repository. */
  constructor(kind: 'repo' | 'empty' | 'plain' = 'repo') {
    this.sandbox = makeRepo({ 'README.md': '# engine test\n' }, kind === 'repo');
    this.dir = this.sandbox.dir;
    this.repo = this.sandbox.repo;
    if (kind === 'plain') rmSync(join(this.repo, '.git'), { recursive: true, force: true });
  }

  /** Writes `engine.plan.json` (or `name`) into the repository folder; returns its path. */
  writePlan(tasks: readonly TaskSpec[] | string, name = 'engine.plan.json'): string {
    const file = join(this.repo, name);
    writeFileSync(file, typeof tasks === 'string' ? tasks : jsonPlan(tasks));
    return file;
  }

  async open(settings: Partial<OrchestratorSettings> = {}): Promise<Orchestrator> {
    const orchestrator = await Orchestrator.open({
      workspaceRoot: this.repo,
      settings: { ...TEST_SETTINGS, ...settings },
      scriptedAgentPath: SCRIPTED_AGENT,
      nodeCommand: process.execPath,
    });
    this.opened.push(orchestrator);
    return orchestrator;
  }

  /** Opens the workspace's orchestrator and imports a plan of `tasks`. */
  async withPlan(tasks: readonly TaskSpec[], settings: Partial<OrchestratorSettings> = {}): Promise<Orchestrator> {
    const orchestrator = await this.open(settings);
    await orchestrator.importPlan(this.writePlan(tasks));
    return orchestrator;
  }

  /** Runs the CLI to completion, in the repository folder, with `--workspace` pointing at it. */
  cli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
    return this.spawnCli(args, env).exited;
  }

  /** Starts the CLI and returns at once. */
  spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): LiveCli {
    const child = spawn(process.execPath, [CLI, ...args, '--workspace', this.repo], { cwd: this.repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(child);
    return new LiveCli(child);
  }

  /**
   * A PATH holding only node and git (symlinked into the temp folder), so an agent CLI a developer
   * has installed cannot be found.
   */
  isolatedPath(): string {
    const bin = join(this.dir, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const tool of ['node', 'git']) {
      const target = tool === 'node' ? process.execPath : execFileSync('which', ['git'], { encoding: 'utf8' }).trim();
      symlinkSync(target, join(bin, tool));
    }
    return bin;
  }

  async dispose(): Promise<void> {
    for (const orchestrator of this.opened.splice(0)) await orchestrator.close().catch(() => undefined);
    for (const child of this.children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    killProcessesUnder(this.dir);
    this.sandbox.cleanup();
  }
}

/** One Workspace per call, all torn down after each test of the calling `describe`. */
export function useWorkspaces(): (kind?: ConstructorParameters<typeof Workspace>[0]) => Workspace {
  const made: Workspace[] = [];
  afterEach(async () => {
    for (const workspace of made.splice(0)) await workspace.dispose();
  });
  return (kind) => {
    const workspace = new Workspace(kind);
    made.push(workspace);
    return workspace;
  };
}

/** Every process whose working directory is inside `dir` (agents, their children, CLI runs). Linux only. */
export function processesUnder(dir: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) found.push(Number(name));
    } catch {
      // Gone, or not ours to look at.
    }
  }
  return found;
}

function killProcessesUnder(dir: string): void {
  for (const pid of processesUnder(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns something truthy; throws after `timeoutMs`. */
export async function waitUntil<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Resolves when the orchestrator reports `taskId` moving to `status` (e.g. running). */
export function whenStatus(orchestrator: Orchestrator, taskId: string, status: string): Promise<void> {
  return new Promise((resolve) => {
    const off = orchestrator.onEvent((event: OrchestratorEvent) => {
      if (event.type === 'transition' && event.notice.taskId === taskId && event.notice.to === status) {
        off();
        resolve();
      }
    });
  });
}

/** Each attempt as a [start, end) interval in ms, from the timestamps the store recorded. */
export interface Interval {
  readonly taskId: string;
  readonly start: number;
  readonly end: number;
}

export function attemptsOf(store: OrchestratorStore, taskIds?: readonly string[]): AttemptRecord[] {
  const ids = taskIds ?? store.listTasks().map((t) => t.taskId);
  return ids.flatMap((id) => store.listAttempts(id));
}

export function intervals(store: OrchestratorStore, taskIds?: readonly string[]): Interval[] {
  return attemptsOf(store, taskIds).map((a) => ({
    taskId: a.taskId,
    start: Date.parse(a.startedAt),
    end: a.endedAt === null ? Number.POSITIVE_INFINITY : Date.parse(a.endedAt),
  }));
}

export function peak(store: OrchestratorStore, taskIds?: readonly string[]): number {
  return peakOverlap(intervals(store, taskIds));
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The one attempt of a task (asserting there is exactly one). */
export function onlyAttempt(store: OrchestratorStore, taskId: string): AttemptRecord {
  const attempts = store.listAttempts(taskId);
  if (attempts.length !== 1) throw new Error(`${taskId} has ${attempts.length} attempts, expected 1`);
  return attempts[0];
}

/** Status of every task, by id. */
export function statuses(store: OrchestratorStore): Record<string, string | null> {
  return Object.fromEntries(store.listTasks().map((t) => [t.taskId, t.status]));
}

/** The scripted agent's `{"event":"child","pid":N}` lines in a log file or output. */
export function childPids(output: string): number[] {
  return output
    .split('\n')
    .flatMap((line) => {
      try {
        const event = JSON.parse(line) as { event?: string; pid?: number };
        return event.event === 'child' && typeof event.pid === 'number' ? [event.pid] : [];
      } catch {
        return [];
      }
    });
}


async function withDatabase<T>(ws: Workspace, body: (store: OrchestratorStore) => T | Promise<T>, options: StoreOptions): Promise<T> {
  const store = await OrchestratorStore.open(OrchestratorStore.defaultPath(ws.repo), options);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/** The workspace's database as its writer (opening recovers a dead run first), once no CLI holds it. */
export function withStore<T>(ws: Workspace, body: (store: OrchestratorStore) => T | Promise<T>): Promise<T> {
  return withDatabase(ws, body, {});
}

/** The workspace's database read-only, as `status` reads it: while a run goes on, or to see what a dead one left. */
export function readStore<T>(ws: Workspace, body: (store: OrchestratorStore) => T | Promise<T>): Promise<T> {
  return withDatabase(ws, body, { readOnly: true });
}
