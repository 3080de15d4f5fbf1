// store.db_mib_after_100_runs: the database file after 100 runs of 50 tasks with the default
// retention (keepRuns 20; target ≤ 10 MiB), beside the same runs with retention off (keepRuns
// 1,000,000). The real engine (the Orchestrator in this process) runs each plan in a real
// repository: worktrees, the agent processes, commits, the store writing every event as in a
// user's run; each run imports a plan of its own (a new spec of 50 tasks), as a long-lived
// workspace does, and its worktrees are cleaned after it (`clean`) so git does not slow down
// with thousands of them. The agent is `BENCH_RETENTION_AGENT`: `noop` (default: a profile
// running `true`, the fastest real agent, so 10,000 attempts fit in a bench) or `scripted` (the
// scripted agent writing a file; slower, the same rows). BENCH_RETENTION_RUNS and
// BENCH_RETENTION_TASKS shrink it for a quick look (the keys then say so in *_runs/*_tasks).
// `node out/bench/retentionBench.js` runs it alone and adds its keys to bench/results.json.
// Cost: 2 × runs × tasks attempts. Measured on 2 CPUs shared with much other work (load average
// about 30), a 50-task run of the noop agent took about 60 s, so the full 2 × 100 runs are hours
// there; the per-run figure on a quiet machine decides how long it takes (each sequence logs its
// elapsed time every ten runs).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Orchestrator } from '../src/core';
import { makeRepo, REPO_ROOT, removeDir, round, SCRIPTED_AGENT, tempDir } from './util';

export const RETENTION_BENCH = {
  runs: Number(process.env.BENCH_RETENTION_RUNS) || 100,
  tasks: Number(process.env.BENCH_RETENTION_TASKS) || 50,
  maxParallel: 8,
  keepRuns: 20,
  keepRunsOff: 1_000_000,
  agent: process.env.BENCH_RETENTION_AGENT === 'scripted' ? 'scripted' : 'noop',
  targetMib: 10,
} as const;

const MIB = 1024 * 1024;

export interface RetentionSequence {
  readonly keep_runs: number;
  readonly mib: number;
  /** The file after every tenth run (and the last), MiB. */
  readonly mib_by_run: Array<[number, number]>;
  readonly events_at_end: number;
  readonly runs_pruned: number;
  readonly vacuums: number;
  readonly seconds: number;
}

export interface RetentionBenchResult {
  readonly runs: number;
  readonly tasks: number;
  readonly agent: string;
  readonly on: RetentionSequence;
  readonly off: RetentionSequence;
  readonly seconds: number;
}

function plan(run: number, tasks: number): string {
  const specTasks = Array.from({ length: tasks }, (_, k) => ({ id: `TASK-${run}-${k + 1}`, title: `Run ${run} task ${k + 1}`, prompt: `progress 1/1 working\nwrite r${run}-${k + 1}.txt: run ${run} task ${k + 1}` }));
  return JSON.stringify({ specs: [{ id: `SPEC-${String(run).padStart(3, '0')}`, title: `Retention bench run ${run}`, tasks: specTasks }] });
}

/** `runs` runs of `tasks` tasks each in a fresh repository, keeping `keepRuns`; the file's size along the way. */
async function sequence(keepRuns: number, log: (line: string) => void): Promise<RetentionSequence> {
  const started = performance.now();
  const dir = tempDir(`retention-${keepRuns}`);
  const repo = makeRepo(dir);
  const noop = { noop: { command: 'true', args: [], parser: 'plain' } };
  const orchestrator = await Orchestrator.open({
    workspaceRoot: repo,
    settings: { keepRuns, maxParallel: RETENTION_BENCH.maxParallel, maxRetries: 0, defaultAgent: RETENTION_BENCH.agent, agentProfiles: RETENTION_BENCH.agent === 'noop' ? noop : {}, conflictRadar: false },
    scriptedAgentPath: SCRIPTED_AGENT,
    nodeCommand: process.execPath,
  });
  const sizes: Array<[number, number]> = [];
  let runsPruned = 0;
  let vacuums = 0;
  orchestrator.onEvent((event) => {
    if (event.type !== 'runsPruned') return;
    runsPruned += event.report.runIds.length;
    if (event.report.vacuum) vacuums++;
  });
  try {
    for (let run = 1; run <= RETENTION_BENCH.runs; run++) {
      const file = join(dir, `plan-${run}.json`);
      writeFileSync(file, plan(run, RETENTION_BENCH.tasks));
      await orchestrator.importPlan(file, { waitForDisk: false });
      const result = await orchestrator.run();
      if (result.status !== 'completed') throw new Error(`retention bench run ${run} (keepRuns ${keepRuns}) ended ${result.status}:\n${result.summaryMd}`);
      await orchestrator.clean();
      if (run % 10 === 0 || run === RETENTION_BENCH.runs) {
        const mib = statSync(orchestrator.databasePath).size / MIB;
        sizes.push([run, round(mib, 2)]);
        log(`keepRuns ${keepRuns}: after run ${run}, ${mib.toFixed(2)} MiB (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
    }
    const events = orchestrator.store.listEvents().length;
    await orchestrator.close();
    return {
      keep_runs: keepRuns,
      mib: round(statSync(orchestrator.databasePath).size / MIB, 2),
      mib_by_run: sizes,
      events_at_end: events,
      runs_pruned: runsPruned,
      vacuums,
      seconds: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await orchestrator.close().catch(() => undefined);
    removeDir(dir);
  }
}

export async function runRetentionBench(log: (line: string) => void = () => undefined): Promise<RetentionBenchResult> {
  const started = performance.now();
  const on = await sequence(RETENTION_BENCH.keepRuns, log);
  const off = await sequence(RETENTION_BENCH.keepRunsOff, log);
  return { runs: RETENTION_BENCH.runs, tasks: RETENTION_BENCH.tasks, agent: RETENTION_BENCH.agent, on, off, seconds: round((performance.now() - started) / 1000, 1) };
}

/** The flat keys of bench/results.json. */
export function retentionKeys(r: RetentionBenchResult): Record<string, unknown> {
  return {
    'store.db_mib_after_100_runs': r.on.mib,
    'store.db_mib_after_100_runs_retention_off': r.off.mib,
    'store.db_mib_after_100_runs_runs': r.runs,
    'store.db_mib_after_100_runs_tasks': r.tasks,
    'store.db_mib_after_100_runs_target_pass': r.on.mib <= RETENTION_BENCH.targetMib,
  };
}

if (require.main === module) {
  runRetentionBench((line) => process.stdout.write(`  ${line}\n`))
    .then((result) => {
      const file = join(REPO_ROOT, 'bench', 'results.json');
      const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
      const details = { ...((previous.details as Record<string, unknown> | undefined) ?? {}), retention: result };
      const targets = { ...((previous.targets as Record<string, unknown> | undefined) ?? {}), 'store.db_mib_after_100_runs': `<= ${RETENTION_BENCH.targetMib}` };
      writeFileSync(file, `${JSON.stringify({ ...previous, ...retentionKeys(result), targets, details }, null, 2)}\n`);
      process.stdout.write(
        `store.db_mib_after_100_runs ${result.on.mib} MiB (keepRuns ${result.on.keep_runs}, ${result.on.seconds} s) vs ${result.off.mib} MiB with retention off (${result.off.seconds} s); ${result.runs} runs × ${result.tasks} tasks, agent ${result.agent} → ${file}\n`,
      );
    })
    .catch((error: unknown) => {
      process.stderr.write(`retention bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
