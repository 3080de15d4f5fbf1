// The measured process of scale.run_500 (bench/scaleBench.ts spawns it with --expose-gc): one
// orchestrator in this process, the real engine (Orchestrator façade, sql.js store, git
// worktrees) running SCALE_BENCH.tasks short scripted tasks at SCALE_BENCH.maxParallel. The agents
// are child processes, so process.cpuUsage() here is the orchestrator's own CPU and nothing
// else. Prints one JSON line (ScaleRunResult) on stdout.
// `--spawn-helper`: children start from the spawn helper, as in the extension
// (src/core/process/spawnHelperClient.ts); the helper's own CPU is then added to the orchestrator's.
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Orchestrator, SpawnHelperClient, spawnHere, useSpawner, type Spawner } from '../src/core';
import { procStat } from '../src/core/process/processTree';
import { busyFractions } from './slotUse';
import { meterSpawns, type SpawnCounts } from './spawnMeter';
import { e2eEnv } from './overheadBench';
import { makeRepo, removeDir, SCRIPTED_AGENT, tempDir } from './util';

export const SCALE_BENCH = { tasks: 500, maxParallel: 16, agentSleepMs: 1000 } as const;

export interface ScaleRunResult {
  readonly tasks: number;
  readonly completed: number;
  readonly max_parallel: number;
  readonly agent_sleep_ms: number;
  readonly run_status: string;
  /** importPlan + run, wall. */
  readonly wall_ms: number;
  /** Attempt time ÷ (maxParallel × window), the window from the first attempt start to the last attempt start (while work was queued). */
  readonly slots_busy: number;
  /** The same over the first start → the last end (includes the drain at the end, where too few tasks are left to fill the slots). */
  readonly slots_busy_whole_run: number;
  readonly orchestrator_cpu_ms: number;
  readonly orchestrator_cpu_ms_per_task: number;
  /** heapUsed after a full GC at the end minus after one at the start (the orchestrator still open). */
  readonly heap_growth_mib: number;
  readonly heap_start_mib: number;
  readonly heap_end_mib: number;
  /** Child processes started per task (git commands and the agent), and this thread's time inside spawn() per task. */
  readonly spawns_per_task: number;
  readonly spawn_ms_per_task: number;
  readonly spawns: SpawnCounts;
  /** Where children started: this process, or the spawn helper (whose CPU is in orchestrator_cpu_ms). */
  readonly spawned_from: 'here' | 'helper';
  /** Children started through the engine's spawner, by program, and per task (both ways alike). */
  readonly children: Record<string, number>;
  readonly children_per_task: number;
  readonly helper_cpu_ms: number;
}

/** A process's user + system CPU so far, from /proc (Linux; 0 elsewhere), in ms. */
function processCpuMs(pid: number | undefined): number {
  const fields = pid === undefined ? undefined : procStat(pid);
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 : 0;
}

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('scaleRun: run node with --expose-gc (bench/scaleBench.ts does)');
  gc();
  gc();
}

function plan(): string {
  const tasks = Array.from({ length: SCALE_BENCH.tasks }, (_, k) => ({
    id: `TASK-1-${k + 1}`,
    title: `Scale task ${k + 1}`,
    prompt: `progress 1/2 writing\nwrite out/t${k + 1}.txt: ${k + 1}\nsleep ${SCALE_BENCH.agentSleepMs}ms\nprogress 2/2 done`,
    files: [`out/t${k + 1}.txt`],
  }));
  return JSON.stringify({ specs: [{ id: 'SPEC-001', title: 'Scale bench', tasks }] });
}

export async function scaleRun(withHelper = false): Promise<ScaleRunResult> {
  const dir = tempDir('scale');
  const helper = withHelper ? new SpawnHelperClient() : undefined;
  const children: Record<string, number> = {};
  const base: Spawner = helper?.spawner ?? spawnHere;
  useSpawner((file, args, options) => {
    children[basename(file)] = (children[basename(file)] ?? 0) + 1;
    return base(file, args, options);
  });
  try {
    const repo = makeRepo(dir);
    const planFile = join(dir, 'scale.plan.json');
    writeFileSync(planFile, plan());
    const orchestrator = await Orchestrator.open({
      workspaceRoot: repo,
      settings: { defaultAgent: 'scripted', maxRetries: 0, maxParallel: SCALE_BENCH.maxParallel },
      scriptedAgentPath: SCRIPTED_AGENT,
      nodeCommand: process.execPath,
    });
    try {
      fullGc();
      const heapStart = process.memoryUsage().heapUsed;
      const spawns = meterSpawns();
      for (const program of Object.keys(children)) delete children[program];
      const cpuStart = process.cpuUsage();
      const helperStart = processCpuMs(helper?.helperPid);
      const started = performance.now();
      await orchestrator.importPlan(planFile);
      const run = await orchestrator.run();
      const wall = performance.now() - started;
      const cpu = process.cpuUsage(cpuStart);
      const helperMs = processCpuMs(helper?.helperPid) - helperStart;
      const spawned = spawns.stop();
      fullGc();
      const heapEnd = process.memoryUsage().heapUsed;
      const attempts = orchestrator.store.listRunAttempts(run.runId);
      const windows = attempts.filter((a) => a.endedAt).map((a) => ({ start: Date.parse(a.startedAt), end: Date.parse(a.endedAt!) }));
      const busy = busyFractions(windows, SCALE_BENCH.maxParallel);
      const cpuMs = (cpu.user + cpu.system) / 1000 + helperMs;
      const mib = (bytes: number) => Math.round((bytes / 1024 ** 2) * 100) / 100;
      return {
        tasks: SCALE_BENCH.tasks,
        completed: orchestrator.store.listTasks({ runId: run.runId }).filter((t) => t.status === 'completed').length,
        max_parallel: SCALE_BENCH.maxParallel,
        agent_sleep_ms: SCALE_BENCH.agentSleepMs,
        run_status: run.status,
        wall_ms: Math.round(wall),
        slots_busy: busy.whileQueued,
        slots_busy_whole_run: busy.wholeRun,
        orchestrator_cpu_ms: Math.round(cpuMs),
        orchestrator_cpu_ms_per_task: Math.round((cpuMs / SCALE_BENCH.tasks) * 100) / 100,
        heap_growth_mib: mib(heapEnd - heapStart),
        heap_start_mib: mib(heapStart),
        heap_end_mib: mib(heapEnd),
        spawns_per_task: Math.round((spawned.count / SCALE_BENCH.tasks) * 10) / 10,
        spawn_ms_per_task: Math.round((spawned.ms / SCALE_BENCH.tasks) * 100) / 100,
        spawns: spawned,
        spawned_from: helper ? 'helper' : 'here',
        children,
        children_per_task: Math.round((Object.values(children).reduce((a, b) => a + b, 0) / SCALE_BENCH.tasks) * 10) / 10,
        helper_cpu_ms: Math.round(helperMs),
      };
    } finally {
      await orchestrator.close();
    }
  } finally {
    useSpawner(undefined);
    helper?.close();
    // The worktrees are in <dir>/.repo-worktrees (beside the repository), so this removes them too.
    removeDir(dir);
  }
}

if (require.main === module) {
  // The agents get the same environment as the end-to-end bench's (no NODE_EXTRA_CA_CERTS).
  process.env = e2eEnv();
  scaleRun(process.argv.includes('--spawn-helper')).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`scale run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
