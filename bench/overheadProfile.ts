// Where the time of an orchestrated run goes, from what the run left behind: the database (run,
// attempts, events) and the agents' status files (when the agent's own code started and ended).
//
// Per task attempt:
//   prepare  attempt start → agent spawned   (worktree create, prompt file, bookkeeping)
//   boot     agent spawned → agent code runs  (node startup of the agent process)
//   agent    agent code start → its completion
//   finish   agent completion → attempt end    (exit, output drain, status file, commit, transition)
// The agent's spawn time is its completion time minus the runner's measured duration.
// Per run: process start → run row, run row → first attempt, slot use, last attempt → exit.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OrchestratorStore } from '../src/core/store';
import { mean, median, round } from './util';

export interface PhaseStats {
  readonly mean_ms: number;
  readonly median_ms: number;
  readonly max_ms: number;
}

export interface RunProfile {
  readonly tasks: number;
  readonly per_task: {
    readonly prepare: PhaseStats;
    readonly boot: PhaseStats;
    readonly agent: PhaseStats;
    readonly finish: PhaseStats;
    readonly total: PhaseStats;
  };
  /** Run process spawned → run row written (node start, database open, repository checks). */
  readonly startup_ms: number;
  /** Run row → first attempt start. */
  readonly first_dispatch_ms: number;
  /** Last attempt end → process exit (report, final flush, close). */
  readonly shutdown_ms: number;
  /** Between the first attempt start and the last attempt end. */
  readonly busy_window_ms: number;
  /** Sum of attempt durations ÷ (parallelism × busy window): how full the slots were. */
  readonly slot_utilisation: number;
  /** Attempt start minus the latest earlier attempt end: how long a freed slot waited (median). */
  readonly refill_gap_median_ms: number;
}

function stats(values: readonly number[]): PhaseStats {
  return { mean_ms: round(mean(values), 1), median_ms: round(median(values), 1), max_ms: round(Math.max(...values), 1) };
}

interface StatusTimes {
  readonly start: number;
  readonly end: number;
}

function statusTimes(runDir: string, name: string): StatusTimes | undefined {
  try {
    const status = JSON.parse(readFileSync(join(runDir, 'status', `${name}.status.json`), 'utf8')) as { start_time?: string; completion_time?: string };
    if (!status.start_time || !status.completion_time) return undefined;
    return { start: Date.parse(status.start_time), end: Date.parse(status.completion_time) };
  } catch {
    return undefined;
  }
}

export async function profileRun(workspace: string, options: { processStartedAt: number; processMs: number; parallelism: number }): Promise<RunProfile> {
  const store = await OrchestratorStore.open(OrchestratorStore.defaultPath(workspace), { readOnly: true });
  try {
    const runRecord = store.listRuns(1)[0];
    if (!runRecord) throw new Error('profile: no run recorded');
    const runDir = join(dirname(store.path), 'runs', runRecord.runId);
    const attempts = store.listTasks({ runId: runRecord.runId }).flatMap((task) => store.listAttempts(task.taskId).filter((a) => a.runId === runRecord.runId));
    const phases = { prepare: [] as number[], boot: [] as number[], agent: [] as number[], finish: [] as number[], total: [] as number[] };
    const windows: { start: number; end: number }[] = [];
    for (const attempt of attempts) {
      if (!attempt.endedAt || attempt.durationMs === null) continue;
      const start = Date.parse(attempt.startedAt);
      const end = Date.parse(attempt.endedAt);
      windows.push({ start, end });
      phases.total.push(end - start);
      const agent = statusTimes(runDir, `${attempt.taskId}-a${attempt.attemptNumber}`);
      if (!agent) continue;
      const spawnedAt = agent.end - attempt.durationMs;
      phases.prepare.push(spawnedAt - start);
      phases.boot.push(agent.start - spawnedAt);
      phases.agent.push(agent.end - agent.start);
      phases.finish.push(end - agent.end);
    }
    if (windows.length === 0) throw new Error('profile: no finished attempts');
    const firstStart = Math.min(...windows.map((w) => w.start));
    const lastEnd = Math.max(...windows.map((w) => w.end));
    const busy = lastEnd - firstStart;
    const ends = windows.map((w) => w.end).sort((a, b) => a - b);
    const gaps = windows
      .map((w) => {
        const before = ends.filter((e) => e <= w.start);
        return before.length ? w.start - before[before.length - 1] : undefined;
      })
      .filter((g): g is number => g !== undefined);
    const runStart = Date.parse(runRecord.startedAt);
    return {
      tasks: windows.length,
      per_task: {
        prepare: stats(phases.prepare),
        boot: stats(phases.boot),
        agent: stats(phases.agent),
        finish: stats(phases.finish),
        total: stats(phases.total),
      },
      startup_ms: runStart - options.processStartedAt,
      first_dispatch_ms: firstStart - runStart,
      shutdown_ms: options.processStartedAt + options.processMs - lastEnd,
      busy_window_ms: busy,
      slot_utilisation: round(phases.total.reduce((a, b) => a + b, 0) / (options.parallelism * busy), 3),
      refill_gap_median_ms: gaps.length ? median(gaps) : 0,
    };
  } finally {
    await store.close();
  }
}
