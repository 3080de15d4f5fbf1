// Crash recovery: what to do with a run whose process died (a `kill -9` of the CLI, a crashed or
// killed extension host). Run by Orchestrator.open as soon as it becomes the writer, so a dead
// run's agents stop spending when the workspace is opened, not only when the next run starts:
// - its agents, still running detached, are found by their environment and stopped
//   (src/core/agents/orphans.ts);
// - a task whose work the dead run already committed (the executor commits only after the agent
//   succeeded and its verify passed) is completed from its branch, so it does not run again;
// - every other task it left running is marked interrupted, and is requeued by the next run;
// - the run is ended as interrupted, with the reason, and all of it is flushed.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, killProcessTree } from '../agents/processTree';
import { stopRunProcesses } from '../agents/orphans';
import { readStatusFile } from '../agents/statusFile';
import { attemptBranch } from '../git/naming';
import { gitOutput } from '../git/gitOutput';
import type { CommittedAttempt, OrchestratorStore } from '../store';
import { workingIn } from './workingIn';

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
  /** A run this process is running now: never recovered. */
  readonly activeRunId?: string;
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

/**
 * Attempts of the dead runs whose work is committed: the tip of an attempt branch carries the
 * executor's message ("<TASK>: <title>\n\nAgent: …, attempt N, run R", agentExecutor.ts), and the
 * agent's status file, if any, does not say it failed.
 */
async function committedAttempts(context: RecoveryContext, deadRuns: ReadonlySet<string>, taskIds: readonly string[]): Promise<CommittedAttempt[]> {
  let listing: string;
  try {
    listing = await gitOutput(context.workspaceRoot, ['for-each-ref', '--format=%(refname:short)%00%(objectname)%00%(contents)%1e', `refs/heads/${context.branchPrefix}`]);
  } catch {
    return []; // not a repository (any more): nothing can have been committed
  }
  const found = new Map<string, CommittedAttempt>();
  for (const record of listing.split('\x1e')) {
    const [branch, commit, message] = record.replace(/^\n/, '').split('\0');
    if (!branch || !commit || message === undefined) continue;
    const trailer = COMMIT_TRAILER.exec(message);
    if (!trailer || !deadRuns.has(trailer[2])) continue;
    const attemptNumber = Number(trailer[1]);
    const taskId = taskIds.find((id) => message.startsWith(`${id}: `) && attemptBranch(context.branchPrefix, id, attemptNumber) === branch);
    if (!taskId) continue;
    const status = readStatusFile(join(context.orchestratorDir, 'runs', trailer[2], 'status', `${taskId}-a${attemptNumber}.status.json`));
    if (status.state === 'ok' && status.status.status === 'failed') continue;
    const previous = found.get(taskId);
    if (!previous || previous.attemptNumber < attemptNumber) found.set(taskId, { taskId, runId: trailer[2], attemptNumber, branch, commit });
  }
  return [...found.values()];
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
  const stopped: Array<{ pid: number; runId: string; taskId?: string }> = await stopRunProcesses(deadRuns);
  for (const agent of await stopRecordedAgents(store)) if (!stopped.some((s) => s.pid === agent.pid)) stopped.push(agent);
  for (const { pid, runId, taskId } of stopped) store.recordEvent({ kind: 'orphaned_agent_stopped', runId, taskId, detail: { pid } });
  const orphans = stopped.map((agent) => agent.pid);

  const owners = new Map(recorded.map((id) => [id, store.getRun(id)]));
  const why = (runId: string) => {
    const run = owners.get(runId);
    return run?.pid ? `the process that ran it (pid ${run.pid} on ${run.hostname ?? 'this machine'}) died` : 'the process that ran it died';
  };
  for (const runId of unrecorded) store.recordAbandonedRun(runId, `Interrupted: ${why(runId)} before the run was recorded`);

  const taskIds = store.listOrchestratorTasks().map((task) => task.taskId);
  const completed: string[] = [];
  for (const found of await committedAttempts(context, deadRuns, taskIds)) {
    if (store.completeFromBranch(found, `its work was committed on ${found.branch} before the run's process died`)) completed.push(found.taskId);
  }
  const interrupted = store.recoverInterrupted('the process that ran it died', why).tasks;
  await store.flush();
  const runId = [...deadRuns].sort().at(-1);
  return { runId, interrupted, completed, orphansStopped: orphans };
}
