import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  createParser,
  expandArgv,
  orchestratorEnv,
  usesPlaceholder,
  type AgentEvent,
  type AgentProfile,
} from '../agents';
import type { LaunchOrigin, ProcessLauncher, ProcessResult } from '../process';
import { MergeConflictError, type WorktreeManager } from '../git';
import type { PlanTask, TaskStatus } from '../model';
import type { AttemptContext, AttemptResult, TaskExecutor } from '../scheduler/types';
import { DEFAULT_VERIFY_TIMEOUT_MS } from '../settings';
import type { AttemptEnd, AttemptProgress, AttemptRecord, AttemptStart } from '../store';
import { ENV_RUN_ID, ENV_TASK_ID } from '../agents/env';
import { agentVerdict, type ExecutorStop } from './agentVerdict';
import { parseCommandLine } from './commandLine';
import { describeQuiet } from './describeQuiet';
import { faultPoint } from './faultInjection';
import type { FollowUpStart } from './followUpAttempt';
import type { WorktreeSweeper } from './worktreeSweeper';

/** The part of the store an executor writes: one attempt row per agent run. */
export interface AttemptLog {
  startAttempt(start: AttemptStart): AttemptRecord;
  updateAttempt(attemptId: number, progress: AttemptProgress): AttemptRecord;
  finishAttempt(attemptId: number, end: AttemptEnd): AttemptRecord;
}

export interface AgentExecutorOptions {
  readonly runId: string;
  /** The commit every task's worktree starts from (plus its dependencies' branches). */
  readonly baseCommit: string;
  /** Where prompts, status files and logs of this run go (`.agent-orchestrator/runs/<runId>`). */
  readonly runDir: string;
  readonly attempts: AttemptLog;
  readonly worktrees: WorktreeManager;
  readonly launcher: ProcessLauncher;
  readonly profiles: ReadonlyMap<string, AgentProfile>;
  /** The profile name a task runs with (explicit, routed, or the default agent). */
  readonly agentOf: (task: PlanTask) => string;
  /** Branches holding the completed work this task builds on, merged into its worktree first. */
  readonly dependencyBranches: (task: PlanTask) => readonly string[];
  /** Live agent output reduced to events, for progress in the UI and the CLI. */
  readonly onAgentEvent?: (taskId: string, event: AgentEvent) => void;
  readonly onOutputLine?: (taskId: string, line: string) => void;
  /** The `verify` command's limit (the agent's own is the scheduler's time-out). Default 15 min. */
  readonly verifyTimeoutMs?: number;
  /**
   * An agent that prints no line for this long is stopped and its attempt fails as stalled (a CLI
   * waiting forever on a dead connection would otherwise hold its slot until the time-out).
   * 0 or absent: no watchdog.
   */
  readonly stallMs?: number;
  /** Removes worktrees whose work is committed, as the keepWorktrees setting says (worktreeSweeper.ts); absent: all kept. */
  readonly sweeper?: Pick<WorktreeSweeper, 'attemptClosed'>;
  /** The follow-up this attempt carries out, if the task has one waiting (followUpAttempt.ts). */
  readonly followUps?: (task: PlanTask, attempt: AttemptRecord, profile: AgentProfile) => FollowUpStart | undefined;
}

interface OpenAttempt {
  readonly record: AttemptRecord;
  facts: Omit<AttemptEnd, 'outcome'>;
  /** Everything in its worktree is on its branch: the work, or a failed attempt's leftovers. */
  committed?: boolean;
}

/**
 * Runs one attempt of a task as a real agent: a fresh worktree and branch (with the dependencies'
 * branches merged in), the prompt in a file, the profile's argv (never a shell string), output
 * parsed into events and logged, the agent's status file read, the `verify` command run, and the
 * agent's changes committed to the branch (a failed or stopped attempt's leftovers too, marked as such). The attempt row is opened here and closed by
 * `closeAttempt` once the scheduler has decided the task's status (a time-out or cancel is the
 * scheduler's verdict, not the agent's).
 */
export class AgentExecutor implements TaskExecutor {
  private readonly open = new Map<string, OpenAttempt>();
  private statusFolderMade: Promise<unknown> | undefined;

  constructor(private readonly options: AgentExecutorOptions) {}

  async execute(task: PlanTask, context: AttemptContext): Promise<AttemptResult> {
    const { options } = this;
    const agent = options.agentOf(task);
    const profile = options.profiles.get(agent);
    const record = options.attempts.startAttempt({ taskId: task.id, runId: options.runId, agent });
    const attempt: OpenAttempt = { record, facts: {} };
    this.open.set(task.id, attempt);
    if (!profile) {
      return this.failed(attempt, `unknown agent profile "${agent}" (known: ${[...options.profiles.keys()].join(', ')})`);
    }

    const name = `${task.id}-a${record.attemptNumber}`;
    // A follow-up continues the task's branch (or resolves its merge into a target) instead.
    const followUp = options.followUps?.(task, record, profile);
    let worktree: { path: string; branch: string; startCommit: string };
    try {
      worktree = await options.worktrees.create({
        taskId: task.id,
        attempt: record.attemptNumber,
        baseCommit: followUp?.baseRef ?? options.baseCommit,
        mergeBranches: followUp ? [] : [...options.dependencyBranches(task)],
        setupLogFile: join(options.runDir, 'logs', `${name}.setup.log`),
        signal: context.signal,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof MergeConflictError) {
        attempt.facts = { error: message };
        return { outcome: 'blocked', error: message };
      }
      return this.failed(attempt, `could not prepare the worktree: ${message}`);
    }
    const logFile = join(options.runDir, 'logs', `${name}.log`);
    // startCommit: the left side of the task's review (src/core/review/), its own work only.
    attempt.facts = { worktree: worktree.path, branch: worktree.branch, logPath: logFile, startCommit: worktree.startCommit };
    options.attempts.updateAttempt(record.attemptId, attempt.facts);

    const promptFile = join(options.runDir, 'prompts', `${name}.md`);
    const statusFile = join(options.runDir, 'status', `${name}.status.json`);
    let prompt: string;
    try {
      prompt = promptFor(followUp ? await followUp.prepare(worktree.path) : task.prompt, context);
    } catch (error) {
      await followUp?.release?.();
      return this.failed(attempt, `could not prepare the follow-up: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Resuming the agent CLI's own session: the same profile with its resume arguments.
    const launched = followUp?.sessionId && profile.resumeArgs ? { ...profile, args: profile.resumeArgs } : profile;
    await this.statusFolder();
    // Only for a profile that reads its prompt from a file (aider, custom ones), and for a follow-up
    // (its prompt is composed here, worth keeping): creating a file is not free, and the others get
    // the prompt in their arguments. Synchronous: a small file, and one asynchronous write is three
    // thread-pool round trips.
    if (usesPlaceholder(launched, 'promptFile') || followUp) {
      mkdirSync(dirname(promptFile), { recursive: true });
      writeFileSync(promptFile, prompt, 'utf8');
    }

    let argv: string[];
    try {
      argv = expandArgv(launched, { prompt, promptFile, taskId: task.id, worktree: worktree.path, sessionId: followUp?.sessionId });
    } catch (error) {
      return this.failed(attempt, error instanceof Error ? error.message : String(error));
    }

    const parser = createParser(profile.parser);
    const seen: AgentEvent[] = [];
    // The executor stops an agent itself when it went quiet for too long, or when its CLI said it
    // is not authenticated (claude would retry a 401 for three minutes): one signal for both, tied
    // to the scheduler's so a time-out or cancel still reaches the process.
    const stopper = new AbortController();
    const forward = () => stopper.abort(context.signal.reason);
    context.signal.addEventListener('abort', forward, { once: true });
    if (context.signal.aborted) forward();
    let stop: ExecutorStop | undefined;
    const stopWith = (why: ExecutorStop) => {
      if (stop || stopper.signal.aborted) return;
      stop = why;
      stopper.abort(new Error(why.why));
    };
    const stallMs = options.stallMs ?? 0;
    // An agent whose only output is its CLI's own API retries (codex without a network reconnects
    // forever) makes no progress either: those lines do not reset the watchdog.
    let retriesSinceProgress = 0;
    const stalled = () =>
      stopWith({
        why: 'stalled',
        error: retriesSinceProgress > 0 ? `stalled: no progress for ${describeQuiet(stallMs)}, only ${retriesSinceProgress} API retries` : `stalled: no output for ${describeQuiet(stallMs)}`,
      });
    const watchdog = stallMs > 0 ? setTimeout(stalled, stallMs) : undefined;
    watchdog?.unref();
    let sessionId: string | undefined;
    const take = (events: readonly AgentEvent[]) => {
      for (const event of events) {
        seen.push(event);
        options.onAgentEvent?.(task.id, event);
        if (event.kind === 'authError' && event.evidence === 'structured') stopWith({ why: 'authError', message: event.message });
        if (event.kind === 'session' && event.id !== sessionId) {
          sessionId = event.id;
          attempt.facts = { ...attempt.facts, sessionId };
          options.attempts.updateAttempt(record.attemptId, { sessionId });
        }
      }
    };
    let result;
    try {
      result = await options.launcher.launch({
        argv,
        cwd: worktree.path,
        env: { ...profile.env, ...orchestratorEnv({ taskId: task.id, runId: options.runId, worktree: worktree.path, statusFile }) },
        signal: stopper.signal,
        logFile,
        commandLabel: 'agent CLI',
        notFoundHint: `install it or change the "${profile.name}" profile`,
        origin: { runId: options.runId, taskId: task.id, attempt: record.attemptNumber, step: 'agent', agent: profile.name },
        onStart: (pid) => {
          attempt.facts = { ...attempt.facts, pid };
          options.attempts.updateAttempt(record.attemptId, { pid });
          faultPoint('agent-spawned');
        },
        onLine: (line, stream) => {
          options.onOutputLine?.(task.id, line);
          const events = parser.push(line, stream);
          if (events.some((event) => event.kind === 'apiRetry')) retriesSinceProgress += 1;
          else {
            retriesSinceProgress = 0;
            watchdog?.refresh();
          }
          take(events);
        },
      });
    } finally {
      clearTimeout(watchdog);
      context.signal.removeEventListener('abort', forward);
      await followUp?.release?.();
    }
    take(parser.end());
    let judged = await this.judge(task, context, attempt, { result, seen, statusFile, profile, stop, worktreePath: worktree.path, name });
    if (judged.outcome === 'succeeded' && followUp) judged = await this.finishFollowUp(attempt, followUp, worktree.path);
    // Only a success is committed as the task's work; whatever a failed, timed-out or stopped agent
    // left is kept on its branch too, so it can be reviewed from git objects after `clean`.
    if (judged.outcome !== 'succeeded') attempt.committed = await this.snapshotLeftovers(task, record, profile.name, worktree.path);
    return judged;
  }

  /** The attempt's outcome once its agent has ended: the verdict, the verify command, the commit. */
  private async judge(
    task: PlanTask,
    context: AttemptContext,
    attempt: OpenAttempt,
    ran: { result: ProcessResult; seen: readonly AgentEvent[]; statusFile: string; profile: AgentProfile; stop: ExecutorStop | undefined; worktreePath: string; name: string },
  ): Promise<AttemptResult> {
    const { options } = this;
    const { result, seen, statusFile, profile, stop, name, worktreePath } = ran;
    const record = attempt.record;
    const usage = [...seen].reverse().find((e) => e.kind === 'usage');
    attempt.facts = {
      ...attempt.facts,
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      ...(usage?.kind === 'usage' ? { costUsd: usage.costUsd, tokensIn: usage.tokensIn, tokensOut: usage.tokensOut } : {}),
    };
    if (context.signal.aborted) return { outcome: 'failed', error: 'stopped by the orchestrator' };

    const verdict = agentVerdict(result, seen, statusFile, profile, stop);
    if (verdict) {
      if (verdict.outcome === 'failed') return this.failed(attempt, verdict.error, verdict.tail);
      if (verdict.outcome === 'auth_failed') attempt.facts = { ...attempt.facts, error: verdict.error };
      return verdict;
    }

    if (task.verify) {
      const verified = await this.verify(task.verify, worktreePath, name, context.signal, { runId: options.runId, taskId: task.id, attempt: record.attemptNumber, step: 'verify', agent: profile.name });
      if (verified) return this.failed(attempt, verified.error, verified.tail);
    }
    // Recovery recognises this message on the branch (src/core/run/recovery.ts): keep its shape.
    await options.worktrees.commitAll(worktreePath, `${task.id}: ${task.title}\n\nAgent: ${profile.name}, attempt ${record.attemptNumber}, run ${options.runId}`);
    attempt.committed = true;
    faultPoint('work-committed');
    return { outcome: 'succeeded' };
  }

  /**
   * Commits what an attempt that did not succeed left in its worktree, on its own branch. The
   * message is deliberately not the completed-task shape ("<TASK>: <title>" + "Agent: …, attempt
   * N, run R") that crash recovery takes as finished work (src/core/run/recovery.ts): this must
   * never complete a task. Best effort: a snapshot that fails leaves the attempt's outcome alone,
   * and its worktree on disk (returns false).
   */
  private async snapshotLeftovers(task: PlanTask, record: AttemptRecord, agent: string, worktreePath: string): Promise<boolean> {
    const message = `Leftovers of ${task.id} attempt ${record.attemptNumber} (not completed)\n\nSnapshot by the orchestrator of what agent ${agent} left in its worktree; run ${this.options.runId}`;
    return this.options.worktrees.commitAll(worktreePath, message).then(
      () => true,
      () => false,
    );
  }

  /** A follow-up's last step once its work is committed (resolve: the merge concluded, the target moved). */
  private async finishFollowUp(attempt: OpenAttempt, followUp: FollowUpStart, worktreePath: string): Promise<AttemptResult> {
    try {
      await followUp.finish(worktreePath);
      return { outcome: 'succeeded' };
    } catch (error) {
      return this.failed(attempt, error instanceof Error ? error.message : String(error));
    }
  }

  /** Records how the scheduler settled this task's open attempt; called on every move out of `running`. */
  closeAttempt(taskId: string, outcome: TaskStatus, error?: string): void {
    const attempt = this.open.get(taskId);
    if (!attempt) return;
    this.open.delete(taskId);
    this.options.attempts.finishAttempt(attempt.record.attemptId, { ...attempt.facts, outcome, error: error ?? attempt.facts.error });
    if (attempt.committed && attempt.facts.worktree) this.options.sweeper?.attemptClosed(taskId, attempt.facts.worktree, outcome);
  }

  /** The run's status/ folder, made by the first attempt rather than by every one. */
  private statusFolder(): Promise<unknown> {
    if (!this.statusFolderMade) {
      const made = mkdir(join(this.options.runDir, 'status'), { recursive: true });
      this.statusFolderMade = made;
      made.catch(() => {
        if (this.statusFolderMade === made) this.statusFolderMade = undefined; // the next attempt tries again
      });
    }
    return this.statusFolderMade;
  }

  private failed(attempt: OpenAttempt, error: string, tail?: string): AttemptResult {
    attempt.facts = { ...attempt.facts, error };
    return { outcome: 'failed', error, tail };
  }

  /** Runs the task's verify command in its worktree; returns the failure, or undefined when it passed. */
  private async verify(command: string, cwd: string, name: string, signal: AbortSignal, origin: LaunchOrigin): Promise<{ error: string; tail: string } | undefined> {
    let argv: string[];
    try {
      argv = parseCommandLine(command);
    } catch (error) {
      return { error: `verify: ${error instanceof Error ? error.message : String(error)}`, tail: '' };
    }
    const result = await this.options.launcher.launch({
      argv,
      cwd,
      // Like the agent, a verify command left behind by a dead host is found by its run id.
      env: { [ENV_RUN_ID]: origin.runId, [ENV_TASK_ID]: origin.taskId },
      signal,
      timeoutMs: this.options.verifyTimeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS,
      logFile: join(this.options.runDir, 'logs', `${name}.verify.log`),
      commandLabel: 'verify command',
      origin,
    });
    if (result.exitCode === 0 && !result.error && !result.timedOut && !result.cancelled) return undefined;
    const why = result.error?.message ?? (result.timedOut ? 'timed out' : `exited with code ${result.exitCode ?? result.signal}`);
    return { error: `verify command \`${command}\` failed: ${why}`, tail: result.tail.join('\n') };
  }
}

/** The prompt, plus on a retry what went wrong last time: the previous failure's tail. */
function promptFor(prompt: string, context: AttemptContext): string {
  if (!context.previousFailure) return prompt;
  return `${prompt}\n\n---\nAttempt ${context.attempt}. The previous attempt failed:\n${context.previousFailure}\n`;
}
