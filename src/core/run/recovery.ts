// Crash recovery: what to do with a run whose process died (a `kill -9` of the CLI, a crashed or
// killed extension host). Run by Orchestrator.open as soon as it becomes the writer, so a dead
// run's agents stop spending when the workspace is opened, not only when the next run starts:
// - its agents, still running detached, are found by their environment and stopped
//   (src/core/process/orphans.ts, by the run id in ORCH_RUN_ID);
// - a task whose work the dead run already committed (the executor commits only after the agent
//   succeeded and its verify passed) is completed from its branch, so it does not run again;
// - every other task it left running is marked interrupted, and is requeued by the next run;
// - the run is ended as interrupted, with the reason, and all of it is flushed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, killProcessTree, stopTaggedProcesses, workingIn } from '../process';
import { ENV_RUN_ID, ENV_TASK_ID } from '../agents/env';
import { readStatusFile } from '../agents/statusFile';
import { attemptBranch, attemptFolder } from '../git/naming';
import { gitOutput } from '../git/gitOutput';
import { WorktreeManager } from '../git/worktreeManager';
import type { KeepWorktrees } from '../settings';
import type { CommittedAttempt, OrchestratorStore } from '../store';
import { finishOwedRemovals, removesWorktree } from './worktreeSweeper';

/** What a recovery found and did; `runId` is the dead run (the newest, if there were several). */
export interface RecoveryReport {
  readonly runId: string | undefined;
  /** Tasks marked interrupted; the next run requeues them. */
  readonly interrupted: readonly string[];
  /** Tasks completed from the work their dead attempt had committed. */
  readonly completed: readonly string[];
  /** Agents (process ids) of the dead run that were still running, now stopped. */
  readonly orphansStopped: readonly number[];
}

export interface RecoveryContext {
  readonly store: OrchestratorStore;
  readonly workspaceRoot: string;
  /** `.agent-orchestrator`: each run has a folder under runs/ from before its row is written. */
  readonly orchestratorDir: string;
  readonly branchPrefix: string;
  /** The worktree root setting (default: beside the repository). */
  readonly worktreeRoot?: string;
  /** A run this process is running now: never recovered. */
  readonly activeRunId?: string;
  /** Whose worktrees go once their work is on the branch (default `all`: none removed here). */
  readonly keepWorktrees?: KeepWorktrees;
}

export const NOTHING_RECOVERED: RecoveryReport = { runId: undefined, interrupted: [], completed: [], orphansStopped: [] };

export function recoveredAnything(report: RecoveryReport): boolean {
  return report.runId !== undefined || report.interrupted.length + report.completed.length + report.orphansStopped.length > 0;
}

/** The CLI's one line about a recovery, e.g. "Recovered run R after its process died: 2 interrupted (requeued), …". */
export function describeRecovery(report: RecoveryReport): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return (
    `Recovered run ${report.runId ?? '(unknown)'} after its process died: ${report.interrupted.length} interrupted (requeued), ` +
    `${report.completed.length} completed from ${report.completed.length === 1 ? 'its branch' : 'their branches'}, ` +
    `${plural(report.orphansStopped.length, 'orphaned agent', 'orphaned agents')} stopped.`
  );
}

/**
 * Run folders whose run the database never recorded: the process died before its first flush. A
 * folder with a summary is a run that finished (under a database since moved aside): not dead.
 */
function unrecordedRuns(orchestratorDir: string, known: ReadonlySet<string>): string[] {
  let names: string[];
  try {
    names = readdirSync(join(orchestratorDir, 'runs'));
  } catch {
    return [];
  }
  return names.filter((name) => name.startsWith('orch-') && !known.has(name) && !existsSync(join(orchestratorDir, 'runs', name, 'summary.md')));
}

const COMMIT_TRAILER = /^Agent: .*, attempt (\d+), run (\S+)$/m;

/** An attempt branch (`<prefix><task>/a<N>`) and its tip. */
interface AttemptRef {
  readonly branch: string;
  readonly commit: string;
  readonly taskId: string;
  readonly attemptNumber: number;
  /** From the executor's commit message, when the tip is the attempt's own commit. */
  readonly committedBy: { readonly runId: string } | undefined;
}

/** The attempt branches of the plan's tasks, read in one git call; none outside a repository. */
async function attemptRefs(context: RecoveryContext, taskIds: readonly string[]): Promise<AttemptRef[]> {
  let listing: string;
  try {
    listing = await gitOutput(context.workspaceRoot, ['for-each-ref', '--format=%(refname:short)%00%(objectname)%00%(contents)%1e', `refs/heads/${context.branchPrefix}`]);
  } catch {
    return []; // not a repository (any more): nothing can have been committed
  }
  const refs: AttemptRef[] = [];
  for (const record of listing.split('\x1e')) {
    const [branch, commit, message] = record.replace(/^\n/, '').split('\0');
    const number = /\/a(\d+)$/.exec(branch ?? '');
    if (!branch || !commit || message === undefined || !number) continue;
    const attemptNumber = Number(number[1]);
    const taskId = taskIds.find((id) => attemptBranch(context.branchPrefix, id, attemptNumber) === branch);
    if (!taskId) continue;
    const trailer = COMMIT_TRAILER.exec(message);
    const own = trailer && message.startsWith(`${taskId}: `) && Number(trailer[1]) === attemptNumber;
    refs.push({ branch, commit, taskId, attemptNumber, committedBy: own ? { runId: trailer[2] } : undefined });
  }
  return refs;
}

/**
 * Attempts of the dead runs whose work is committed: the tip of the attempt's branch is the
 * executor's commit ("<TASK>: <title>\n\nAgent: …, attempt N, run R", agentExecutor.ts), made only
 * after the agent succeeded and the verify passed, and its status file does not say it failed.
 */
function committedAttempts(context: RecoveryContext, refs: readonly AttemptRef[], deadRuns: ReadonlySet<string>): CommittedAttempt[] {
  const found = new Map<string, CommittedAttempt>();
  for (const ref of refs) {
    if (!ref.committedBy || !deadRuns.has(ref.committedBy.runId)) continue;
    const status = readStatusFile(join(context.orchestratorDir, 'runs', ref.committedBy.runId, 'status', `${ref.taskId}-a${ref.attemptNumber}.status.json`));
    if (status.state === 'ok' && status.status.status === 'failed') continue;
    const previous = found.get(ref.taskId);
    if (!previous || previous.attemptNumber < ref.attemptNumber) {
      found.set(ref.taskId, { taskId: ref.taskId, runId: ref.committedBy.runId, attemptNumber: ref.attemptNumber, branch: ref.branch, commit: ref.commit });
    }
  }
  return [...found.values()];
}

/** When a run started, from its id (orch-YYYYMMDD-HHMMSS-…, UTC; orchestrator.ts). */
function runStartedAt(runId: string): number | undefined {
  const match = /^orch-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-/.exec(runId);
  return match ? Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +match[6]) : undefined;
}

/** When a branch was created (the time of its reflog's first entry), in ms; undefined without a reflog. */
async function branchCreatedAt(workspaceRoot: string, branch: string): Promise<number | undefined> {
  try {
    const entries = (await gitOutput(workspaceRoot, ['reflog', 'show', '--date=unix', '--format=%gd', `refs/heads/${branch}`, '--'])).trim().split('\n');
    const first = /@\{(\d+)\}$/.exec(entries.at(-1) ?? '');
    return first ? Number(first[1]) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** When a worktree folder was made: its `.git` file is written once, by `git worktree add`. */
function worktreeCreatedAt(folder: string): number | undefined {
  try {
    return statSync(join(folder, '.git')).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Worktrees and branches of attempts the database never recorded (the process died before the
 * attempt's row was flushed) and that hold no committed work: nothing in them is anyone's result,
 * and the next attempt of the task needs their names. Only what was made after the newest dead
 * run started is removed: with one writer at a time, that run made it. Anything else (another
 * database's run, the user's own branch) is left alone. Returns the attempts removed.
 */
async function removeUnrecordedAttempts(context: RecoveryContext, refs: readonly AttemptRef[], taskIds: readonly string[], newestDeadRun: string | undefined): Promise<string[]> {
  const since = newestDeadRun === undefined ? undefined : runStartedAt(newestDeadRun);
  if (since === undefined) return [];
  const recorded = (taskId: string, attemptNumber: number) => context.store.listAttempts(taskId).some((a) => a.attemptNumber === attemptNumber);
  const worktrees = new WorktreeManager({ repoDir: context.workspaceRoot, branchPrefix: context.branchPrefix, worktreeRoot: context.worktreeRoot });
  let root: string;
  let managed: Awaited<ReturnType<WorktreeManager['listManaged']>>;
  try {
    root = await worktrees.worktreeRoot();
    managed = await worktrees.listManaged();
  } catch {
    return []; // not a repository
  }
  const removed: string[] = [];
  for (const taskId of taskIds) {
    const attempts = new Set<number>(refs.filter((ref) => ref.taskId === taskId).map((ref) => ref.attemptNumber));
    // A folder without a branch: `worktree add` itself was cut short.
    const folderPrefix = attemptFolder(taskId, 1).replace(/1$/, '');
    for (const name of safeReaddir(root)) {
      const number = name.startsWith(folderPrefix) ? Number(name.slice(folderPrefix.length)) : NaN;
      if (Number.isInteger(number) && number > 0 && attemptFolder(taskId, number) === name) attempts.add(number);
    }
    for (const attemptNumber of attempts) {
      const ref = refs.find((r) => r.taskId === taskId && r.attemptNumber === attemptNumber);
      if (ref?.committedBy || recorded(taskId, attemptNumber)) continue;
      const branch = attemptBranch(context.branchPrefix, taskId, attemptNumber);
      const folder = managed.find((entry) => entry.branch === branch)?.path ?? join(root, attemptFolder(taskId, attemptNumber));
      const created = (ref ? await branchCreatedAt(context.workspaceRoot, branch) : undefined) ?? worktreeCreatedAt(folder);
      // Run ids have whole seconds: the run started within the second its id names.
      if (created === undefined || created < since) continue;
      try {
        await worktrees.remove(folder, { deleteBranch: true, branch });
        removed.push(branch);
      } catch (error) {
        // Tidying up is not recovery: the tasks are settled either way, and the next attempt of
        // this task reports the name clash itself if the leftover is still there.
        context.store.recordEvent({ kind: 'unrecorded_attempt_kept', taskId, detail: { branch, folder, error: error instanceof Error ? error.message : String(error) } });
      }
    }
  }
  return removed;
}

/**
 * The worktrees of tasks completed from their branch: the dead run had committed their work and
 * would have removed them next (worktreeSweeper.ts), so the setting applies as if it had.
 * Best effort, like the sweeper: a worktree that stays is `clean`'s.
 */
async function removeCompletedWorktrees(context: RecoveryContext, branches: readonly string[]): Promise<void> {
  if (!removesWorktree(context.keepWorktrees ?? 'all', 'completed') || branches.length === 0) return;
  const worktrees = new WorktreeManager({ repoDir: context.workspaceRoot, branchPrefix: context.branchPrefix, worktreeRoot: context.worktreeRoot });
  const managed = await worktrees.listManaged().catch(() => []);
  for (const entry of managed) {
    if (!entry.branch || !branches.includes(entry.branch)) continue;
    await worktrees.remove(entry.path).catch((error: unknown) => context.store.recordEvent({ kind: 'worktree_remove_failed', detail: { worktree: entry.path, message: error instanceof Error ? error.message : String(error) } }));
  }
}

function safeReaddir(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

/** Agents whose pid the database did record, still working in their attempt's worktree (any platform with /proc). */
async function stopRecordedAgents(store: OrchestratorStore): Promise<Array<{ pid: number; runId: string; taskId: string }>> {
  const stopped: Array<{ pid: number; runId: string; taskId: string }> = [];
  for (const task of store.listOrchestratorTasks({ status: 'running' })) {
    for (const attempt of store.listAttempts(task.taskId)) {
      if (attempt.endedAt !== null || attempt.pid === null || attempt.worktree === null) continue;
      if (!isAlive(attempt.pid) || !workingIn(attempt.pid, attempt.worktree)) continue;
      await killProcessTree(attempt.pid, 2000);
      stopped.push({ pid: attempt.pid, runId: attempt.runId, taskId: task.taskId });
    }
  }
  return stopped;
}

/** Recovers every run whose process died; writes nothing when there is none. */
export async function recoverAbandoned(context: RecoveryContext): Promise<RecoveryReport> {
  const { store } = context;
  const exclude = (ids: readonly string[]) => ids.filter((id) => id !== context.activeRunId);
  const recorded = exclude(store.runningRunIds());
  const unrecorded = exclude(unrecordedRuns(context.orchestratorDir, store.knownRunIds()));
  if (recorded.length === 0 && unrecorded.length === 0 && !store.hasUnfinishedWork()) return NOTHING_RECOVERED;
  const deadRuns = new Set([...recorded, ...unrecorded]);

  // First stop the agents, so nothing of the dead run writes on while its tasks are settled.
  const tagged = await stopTaggedProcesses({ variable: ENV_RUN_ID, values: deadRuns, detailVariable: ENV_TASK_ID });
  const stopped: Array<{ pid: number; runId: string; taskId?: string }> = tagged.map((p) => ({ pid: p.pid, runId: p.tag, taskId: p.detail }));
  for (const agent of await stopRecordedAgents(store)) if (!stopped.some((s) => s.pid === agent.pid)) stopped.push(agent);
  for (const { pid, runId, taskId } of stopped) store.recordEvent({ kind: 'orphaned_agent_stopped', runId, taskId, detail: { pid } });
  const orphans = stopped.map((agent) => agent.pid);

  const owners = new Map(recorded.map((id) => [id, store.getRun(id)]));
  const why = (runId: string) => {
    const run = owners.get(runId);
    return run?.pid ? `the process that ran it (pid ${run.pid} on ${run.hostname ?? 'this machine'}) died` : 'the process that ran it died';
  };
  for (const runId of unrecorded) store.recordAbandonedRun(runId, `Interrupted: ${why(runId)} before the run was recorded`);

  const planned = store.listPlanTasks().map((task) => task.id);
  const refs = await attemptRefs(context, planned);
  const completed: string[] = [];
  const completedBranches: string[] = [];
  for (const found of committedAttempts(context, refs, deadRuns)) {
    if (!store.completeFromBranch(found, `its work was committed on ${found.branch} before the run's process died`)) continue;
    completed.push(found.taskId);
    completedBranches.push(found.branch);
  }
  await removeCompletedWorktrees(context, completedBranches);
  await finishOwedRemovals({
    store,
    worktrees: new WorktreeManager({ repoDir: context.workspaceRoot, branchPrefix: context.branchPrefix, worktreeRoot: context.worktreeRoot }),
    keep: context.keepWorktrees ?? 'all',
    runIds: deadRuns,
    onFailure: (taskId, worktree, error) => store.recordEvent({ kind: 'worktree_remove_failed', taskId, detail: { worktree, message: error instanceof Error ? error.message : String(error) } }),
  }).catch(() => undefined); // not a repository: nothing to remove
  const interrupted = store.recoverInterrupted('the process that ran it died', why).tasks;
  const runId = [...deadRuns].sort().at(-1);
  const removed = await removeUnrecordedAttempts(context, refs, planned, runId);
  if (removed.length > 0) store.recordEvent({ kind: 'unrecorded_attempts_removed', runId, detail: { branches: removed } });
  await store.flush();
  return { runId, interrupted, completed, orphansStopped: orphans };
}
