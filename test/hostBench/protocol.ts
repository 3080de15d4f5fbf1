// What the host-bench runner (test/runners/runHostBench.ts) and the bench it loads into the
// extension host (index.ts here) share: the environment variables code-server passes on to the
// host, the result file, and the bench's size. Plain Node: the runner imports it too.
import * as fs from 'node:fs';
import type { SpawnCounts } from '../../bench/spawnMeter';

/** A folder outside the workspace where the host writes its result (and its CPU profile). */
export const HOST_BENCH_DIR_ENV = 'HOST_BENCH_DIR';
/** Set to 1 to record a CPU profile of the extension host over the run (node:inspector, in-process). */
export const HOST_BENCH_PROFILE_ENV = 'HOST_BENCH_PROFILE';

export const RESULT_FILE = 'host-bench-result.json';
export const PROFILE_FILE = 'host-bench.cpuprofile';

/** The setting (docs/benchmarks.md): a 200-task run at maxParallel 8 on a database of 100,000 events. */
export const HOST_BENCH = { tasks: 200, maxParallel: 8, prefilledEvents: 100_000, agentSleepMs: 300, targetP99Ms: 20, targetMaxMs: 50 } as const;

/**
 * The workspace's .vscode/settings.json, written by the runner before VS Code starts.
 * `gitExtension: false` turns VS Code's built-in git extension off (`git.enabled`): it shares the
 * extension host and forks git whenever the repository's refs change, which every task does, so
 * the run without it shows this extension's own share of the host's stalls.
 */
export function benchSettings(gitExtension = true): Record<string, unknown> {
  return {
    'agentOrchestrator.defaultAgent': 'scripted',
    'agentOrchestrator.maxRetries': 0,
    'agentOrchestrator.maxParallel': HOST_BENCH.maxParallel,
    ...(gitExtension ? {} : { 'git.enabled': false }),
  };
}

/** One gap of the host's event loop of at least STALL_MS, as seen by a 5 ms timer. */
export interface Stall {
  /** ms since the run started. */
  readonly at_ms: number;
  readonly ms: number;
}

export interface HostBenchResult {
  readonly tasks: number;
  readonly completed: number;
  readonly max_parallel: number;
  readonly prefilled_events: number;
  readonly run_status: string;
  readonly run_ms: number;
  /** perf_hooks.monitorEventLoopDelay({ resolution: 10 }) over the run, in ms. */
  readonly event_loop_delay_p50_ms: number;
  readonly event_loop_delay_p99_ms: number;
  readonly event_loop_delay_max_ms: number;
  readonly event_loop_delay_mean_ms: number;
  /** The longest gaps, longest first (at most 20), and how many gaps of ≥ STALL_MS there were. */
  readonly longest_stalls: readonly Stall[];
  readonly stalls_over_threshold: number;
  readonly stall_threshold_ms: number;
  readonly extension_host_pid: number;
  /** Child processes the host started during the run (git, agents) and its thread's time inside spawn() (bench/spawnMeter.ts). */
  readonly spawns: SpawnCounts;
  /** Whether VS Code's git extension was on (benchSettings). */
  readonly git_extension: boolean;
  /** The extension host's resident memory at the end of the run: a fork's cost grows with it. */
  readonly host_rss_mib: number;
  /** `<task id> <status>: <error>` for each task that did not complete. */
  readonly not_completed: readonly string[];
  /** The extension host's CPU time over the run, all its threads (the store worker's too). */
  readonly host_cpu_ms: number;
  /** An idle Node process's own event loop delay over the same run: the machine's share (hostRun.ts). */
  readonly control_event_loop_delay_p99_ms: number;
  readonly control_event_loop_delay_max_ms: number;
  /** The store's flushes over the run, the database's size at the last one, and the time its worker thread was busy (event-loop utilisation). */
  readonly store_flushes: number;
  readonly store_db_mib: number;
  readonly store_worker_busy_ms: number | undefined;
}

export function sharedDir(): string {
  const dir = process.env[HOST_BENCH_DIR_ENV];
  if (!dir) throw new Error(`${HOST_BENCH_DIR_ENV} is not set: this bench is run by test/runners/runHostBench.ts`);
  return dir;
}

export function readResult(file: string): HostBenchResult | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as HostBenchResult;
  } catch {
    return undefined;
  }
}
