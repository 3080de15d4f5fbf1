// `npm run bench`: the project's benchmarks in one run — the store, scheduling quality in
// simulation, the end-to-end overhead of an orchestrated run against the same work done raw
// (information), a 500-task run's slot use and cost per task, the extension host's event loop
// during a big run in a real VS Code, and the dashboard with 1,000 tasks in a real browser
// (docs/benchmarks.md).
// Prints one table and writes bench/results.json (flat keys, plus the details of each part).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { OVERHEAD_BENCH, runOverheadBench, type OverheadBenchResult } from './overheadBench';
import { DASHBOARD_BENCH, dashboardKeys, runDashboardBench } from './dashboardBench';
import { bytes, formatTable, ms, ratio, us, type Row } from './report';
import { PLAN_LENS_BENCH, planLensKeys, runPlanLensBench } from './planLensBench';
import { REVIEW_BENCH, runReviewBench, type ReviewBenchResult } from './reviewBench';
import { runSchedulerBench, SCHEDULER_BENCH, type SchedulerBenchResult } from './schedulerBench';
import { radarKeys, runRadarBench, RADAR_BENCH } from './radarBench';
import { retentionKeys, RETENTION_BENCH, runRetentionBench, type RetentionBenchResult } from './retentionBench';
import { runStoreBench, type StoreBenchResult } from './storeBench';
import { runWorktreeBench, WORKTREE_BENCH, WORKTREE_TARGETS, worktreeKeys, type WorktreeBenchResult } from './worktreeBench';
import { REPO_ROOT, round } from './util';
import { HOST_BENCH, HOST_TARGETS, hostKeys, runHostBenchPair } from './hostBench';
import { runScaleBench, SCALE_BENCH_DESCRIPTION, SCALE_TARGET, SCALE_TARGETS, scaleKeys } from './scaleBench';
import { hostRows, scaleRows } from './scaleRows';

/** Scheduling targets: mean makespan within 3% of the lower bound, and at least 25% below wave-by-wave's ratio. */
const SCHEDULER_TARGET = { maxMeanRatio: 1.03, minBelowWaves: 0.25 } as const;

function log(line: string): void {
  process.stdout.write(`  ${line}\n`);
}

function machine(): Record<string, unknown> {
  const cores = cpus();
  let gitVersion: string | undefined;
  try {
    gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim().replace(/^git version /, '');
  } catch {
    gitVersion = undefined;
  }
  return {
    cpus: cores.length,
    cpu_model: cores[0]?.model,
    memory_gib: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    git: gitVersion,
    platform: `${platform()} ${release()}`,
    load_average_at_start: loadavg().map((l) => round(l, 2)),
    // If set, every node process parses the whole CA bundle at startup (~40 ms of CPU); the
    // end-to-end runs remove it on both sides (overheadBench.ts, e2eEnv).
    node_extra_ca_certs_set: process.env.NODE_EXTRA_CA_CERTS !== undefined,
  };
}

function storeKeys(s: StoreBenchResult): Record<string, unknown> {
  const batched = s.importCreate.find((r) => r.maxParallel === 4)!;
  const oneCall = s.importCreate.find((r) => r.maxParallel !== 4)!;
  const at = (events: number) => s.events.checkpoints.find((c) => c.events === events)!;
  return {
    'store.import_create_1000_ms': round(batched.total_ms, 1),
    'store.import_create_1000_calls': batched.calls,
    'store.import_create_1000_max_parallel': batched.maxParallel,
    'store.import_create_1000_durable_ms': round(batched.durable_ms, 1),
    'store.import_create_1000_one_call_ms': round(oneCall.total_ms, 1),
    'store.load_plan_1000_ms': round(batched.load_ms, 1),
    'store.save_plan_1000_ms': round(batched.save_ms, 1),
    'store.create_parallel_tasks_1000_ms': round(batched.create_ms, 1),
    'store.create_parallel_tasks_1000_one_call_ms': round(oneCall.create_ms, 1),
    'store.transition_us': round(s.transitions.in_memory_us, 1),
    'store.transition_with_flush_us': round(s.transitions.with_flush_us, 1),
    'store.transition_terminal_with_flush_us': round(s.transitions.terminal_with_flush_us, 1),
    'store.record_event_us': round(s.events.record_event_us, 1),
    'store.flush_10k_events_ms': round(at(10_000).flush_ms, 1),
    'store.flush_100k_events_ms': round(at(100_000).flush_ms, 1),
    'store.db_bytes_10k': at(10_000).db_bytes,
    'store.db_bytes_100k': at(100_000).db_bytes,
    // The host thread's own time per flush at 100,000 events (the store worker does export and
    // write), the loop delay during it, and the same run's before-figures: export() on the host.
    'store.flush_main_thread_ms_100k': round(at(100_000).flush_main_thread_ms, 2),
    'store.flush_loop_delay_max_ms_100k': round(at(100_000).flush_loop_delay_max_ms, 1),
    'store.flush_in_worker_100k': at(100_000).in_worker,
    'store.flush_main_thread_ms_100k_before': round(at(100_000).host_export_ms, 1),
    'store.flush_loop_delay_max_ms_100k_before': round(at(100_000).host_export_loop_delay_max_ms, 1),
  };
}

function storeRows(s: StoreBenchResult): Row[] {
  const section = 'Store';
  const rows: Row[] = [];
  for (const r of s.importCreate) {
    rows.push({
      section,
      metric: `import + create ${s.plan.tasks} tasks, ${r.calls} call${r.calls > 1 ? 's' : ''} of ≤${r.maxParallel}`,
      value: ms(r.total_ms, 1),
      target: `load ${r.load_ms.toFixed(0)} + save ${r.save_ms.toFixed(0)} + create ${r.create_ms.toFixed(0)}; on disk ${r.durable_ms.toFixed(0)} ms`,
    });
  }
  const t = s.transitions;
  rows.push(
    { section, metric: `transition(), in memory (${t.count})`, value: us(t.in_memory_us), target: `median of rounds; mean ${t.in_memory_mean_us.toFixed(1)} µs` },
    {
      section,
      metric: `transition() incl. batched flushes (${t.count})`,
      value: us(t.with_flush_us),
      target: `median of rounds; mean ${t.with_flush_mean_us.toFixed(1)} µs; ${t.with_flush_flushes} flushes`,
    },
    { section, metric: `→ completed, each flushed at once (${s.plan.tasks})`, value: us(t.terminal_with_flush_us), target: `${t.terminal_flushes} flushes` },
    { section, metric: 'recordEvent() incl. batched flushes', value: us(s.events.record_event_us) },
  );
  for (const c of s.events.checkpoints) {
    rows.push({ section, metric: `flush() with ${c.events.toLocaleString('en-US')} events`, value: ms(c.flush_ms, 1), target: `DB ${bytes(c.db_bytes)}; samples ${c.flush_samples_ms.join(', ')} ms` });
  }
  return rows;
}

function schedulerVerdicts(s: SchedulerBenchResult): { meanPass: boolean; belowWaves: number; wavesPass: boolean } {
  const belowWaves = 1 - s.ratio_to_lower_bound / s.waves_ratio_to_lower_bound;
  return { meanPass: s.ratio_to_lower_bound <= SCHEDULER_TARGET.maxMeanRatio, belowWaves, wavesPass: belowWaves >= SCHEDULER_TARGET.minBelowWaves };
}

function schedulerRows(s: SchedulerBenchResult): Row[] {
  const section = 'Scheduler';
  const v = schedulerVerdicts(s);
  return [
    { section, metric: `makespan ÷ lower bound, ours (mean of ${s.dags} DAGs × ${s.tasks_per_dag})`, value: ratio(s.ratio_to_lower_bound), target: `≤ ${SCHEDULER_TARGET.maxMeanRatio}`, pass: v.meanPass },
    {
      section,
      metric: 'ours below wave-by-wave',
      value: `${(v.belowWaves * 100).toFixed(1)} %`,
      target: `≥ ${SCHEDULER_TARGET.minBelowWaves * 100} % (ratio ≤ ${(s.waves_ratio_to_lower_bound * (1 - SCHEDULER_TARGET.minBelowWaves)).toFixed(3)})`,
      pass: v.wavesPass,
    },
    { section, metric: 'makespan ÷ lower bound, FIFO', value: ratio(s.fifo_ratio_to_lower_bound) },
    { section, metric: 'makespan ÷ lower bound, wave by wave', value: ratio(s.waves_ratio_to_lower_bound) },
    { section, metric: 'makespan ÷ lower bound, ours, worst DAG', value: ratio(s.worst_ratio_to_lower_bound) },
  ];
}

function overheadRows(o: OverheadBenchResult): Row[] {
  const section = 'End-to-end';
  const p = o.profile;
  const phase = (name: string, stats: { mean_ms: number; median_ms: number; max_ms: number }) => ({
    section,
    metric: `  per task: ${name}`,
    value: ms(stats.mean_ms, 1),
    target: `median ${stats.median_ms.toFixed(0)}, max ${stats.max_ms.toFixed(0)} ms`,
  });
  const rows: Row[] = [
    {
      section,
      metric: `${o.tasks} no-op tasks at ${o.parallelism}: CLI ÷ raw (median wall)`,
      value: ratio(o.ratio_to_raw),
      target: `information (the former gate was ≤ ${OVERHEAD_BENCH.formerGate})`,
    },
    { section, metric: 'the same, median of the pairs\' own ratios', value: ratio(o.paired_ratio_median), target: 'each CLI run ÷ the raw run after it' },
    { section, metric: 'CLI run --plan (import + run), median wall', value: ms(o.ours_ms), target: `samples ${o.ours_samples_ms.join(', ')} ms` },
    { section, metric: 'raw (xargs -P4), median wall', value: ms(o.raw_ms), target: `samples ${o.raw_samples_ms.join(', ')} ms` },
  ];
  if (o.ours_cpu_ms !== undefined && o.raw_cpu_ms !== undefined && o.cpu_ratio_to_raw !== undefined) {
    rows.push({ section, metric: 'CPU time (process trees), CLI ÷ raw', value: ratio(o.cpu_ratio_to_raw), target: `${o.ours_cpu_ms} ÷ ${o.raw_cpu_ms} ms (median)` });
  }
  rows.push(
    { section, metric: 'profile of the median CLI run:', value: '' },
    { section, metric: '  run process start → run recorded', value: ms(p.startup_ms) },
    { section, metric: '  run recorded → first attempt', value: ms(p.first_dispatch_ms) },
    phase('prepare (worktree, prompt)', p.per_task.prepare),
    phase('agent process boot', p.per_task.boot),
    phase('agent work', p.per_task.agent),
    phase('finish (exit, status, commit)', p.per_task.finish),
    phase('attempt total', p.per_task.total),
    { section, metric: '  slots busy (attempt time ÷ 4 × window)', value: `${(p.slot_utilisation * 100).toFixed(1)} %`, target: `window ${p.busy_window_ms} ms; refill gap median ${p.refill_gap_median_ms} ms` },
    { section, metric: '  last attempt end → process exit', value: ms(p.shutdown_ms) },
  );
  return rows;
}

function reviewRows(r: ReviewBenchResult): Row[] {
  const section = 'Review';
  return [
    { section, metric: `merge precheck of ${r.branches} branches (merge-tree), per task`, value: ms(r.precheck_ms_per_task, 1), target: `samples ${r.precheck_samples_ms.join(', ')} ms; ${r.conflicts_found} conflicts` },
    { section, metric: 'the same in a temporary worktree (fallback), per task', value: ms(r.fallback_ms_per_task, 1), target: 'git < 2.38 only' },
  ];
}

function retentionRows(r: RetentionBenchResult): Row[] {
  const section = 'Store';
  return [
    {
      section,
      metric: `database after ${r.runs} runs × ${r.tasks} tasks, keepRuns ${r.on.keep_runs}`,
      value: `${r.on.mib.toFixed(2)} MiB`,
      target: `≤ ${RETENTION_BENCH.targetMib} MiB; ${r.on.runs_pruned} runs pruned, ${r.on.vacuums} VACUUMs, ${r.on.seconds} s`,
      pass: r.on.mib <= RETENTION_BENCH.targetMib,
    },
    { section, metric: `the same with retention off (keepRuns ${r.off.keep_runs})`, value: `${r.off.mib.toFixed(2)} MiB`, target: `${r.off.seconds} s; agent ${r.agent}` },
  ];
}

function worktreeRows(w: WorktreeBenchResult): Row[] {
  const section = 'Worktrees';
  const at = `${w.tasks} tasks at ${w.parallelism}, ${w.repo_mib} MiB repository`;
  return [
    { section, metric: `peak checkouts, keepWorktrees failed (${at})`, value: String(w.ours.peak_checkouts), target: `≤ ${WORKTREE_BENCH.targetPeakCheckouts}; keepWorktrees all: ${w.all.peak_checkouts}`, pass: w.ours.peak_checkouts <= WORKTREE_BENCH.targetPeakCheckouts },
    { section, metric: 'peak MiB of the worktree folder, keepWorktrees failed', value: `${w.ours.peak_mib} MiB`, target: `keepWorktrees all: ${w.all.peak_mib} MiB` },
    { section, metric: 'left at the end, failed / all', value: `${w.ours.end_checkouts} / ${w.all.end_checkouts}`, target: `${w.ours.end_mib} / ${w.all.end_mib} MiB` },
    { section, metric: 'run wall time, failed / all', value: `${ms(w.ours.run_ms)} / ${ms(w.all.run_ms)}` },
  ];
}

async function main(): Promise<void> {
  const started = performance.now();
  const info = machine();
  process.stdout.write(`Agent Orchestrator benchmarks — ${info.cpus} CPUs, node ${info.node}, git ${info.git}\n\n`);

  process.stdout.write('Store...\n');
  const store = await runStoreBench(log);
  process.stdout.write('Scheduler (simulation)...\n');
  const scheduler = await runSchedulerBench();
  log(`${scheduler.dags} DAGs in ${scheduler.seconds.toFixed(1)} s`);
  process.stdout.write(`End-to-end (${OVERHEAD_BENCH.samples} × CLI and raw, alternating)...\n`);
  const overhead = await runOverheadBench(log);
  process.stdout.write(`Review (merge precheck of ${REVIEW_BENCH.branches} branches)...\n`);
  const review = await runReviewBench(log);

  process.stdout.write(`Conflict radar (${RADAR_BENCH.samples} on/off pairs of a ${RADAR_BENCH.tasks}-task run)...\n`);
  const radar = await runRadarBench(log);

  process.stdout.write('Plan CodeLens (1,000 tasks)...\n');
  const planLens = runPlanLensBench();
  process.stdout.write(`Retention (${RETENTION_BENCH.runs} runs × ${RETENTION_BENCH.tasks} tasks, keepRuns ${RETENTION_BENCH.keepRuns} and off)...\n`);
  const retention = await runRetentionBench(log);
  process.stdout.write(`Dashboard (${DASHBOARD_BENCH.samples} page loads with ${DASHBOARD_BENCH.tasks} tasks, Chromium)...\n`);
  const [dashboard] = await runDashboardBench(log);
  process.stdout.write(`Worktrees (${WORKTREE_BENCH.tasks} tasks at ${WORKTREE_BENCH.parallelism}, keepWorktrees failed and all)...\n`);
  const worktrees = await runWorktreeBench(log);
  process.stdout.write(`Scale (${SCALE_BENCH_DESCRIPTION})...\n`);
  const scale = await runScaleBench();
  process.stdout.write(`Extension host (${HOST_BENCH.tasks} tasks at ${HOST_BENCH.maxParallel} in code-server, ${HOST_BENCH.prefilledEvents.toLocaleString('en-US')} events in the database; without and with VS Code's git extension)...\n`);
  const host = await runHostBenchPair(log);

  const rows = [
    ...storeRows(store),
    ...retentionRows(retention),
    ...schedulerRows(scheduler),
    ...overheadRows(overhead),
    ...reviewRows(review),
    { section: 'Plan', metric: `CodeLens models for ${planLens.tasks} tasks (outline + lenses, median)`, value: ms(planLens.median_ms, 1), target: `≤ ${PLAN_LENS_BENCH.target}; CPU ${planLens.cpu_median_ms} ms, outline ${planLens.outline_median_ms} ms`, pass: planLens.median_ms <= PLAN_LENS_BENCH.target },
    ...worktreeRows(worktrees),
    { section: 'Review', metric: `conflict radar on ÷ off, ${radar.tasks} tasks (median of pairs)`, value: ratio(radar.ratio), target: `≤ ${RADAR_BENCH.target}; on ${radar.on_ms}, off ${radar.off_ms} ms; ${radar.pairs_found} pairs`, pass: radar.ratio <= RADAR_BENCH.target },
    { section: 'Dashboard', metric: `first paint, ${dashboard!.tasks} tasks`, value: ms(dashboard!.first_paint_ms), target: `≤ ${DASHBOARD_BENCH.targetFirstPaintMs} ms`, pass: dashboard!.first_paint_ms <= DASHBOARD_BENCH.targetFirstPaintMs },
    { section: 'Dashboard', metric: `graph layout (dagre, ${dashboard!.nodes} nodes)`, value: dashboard!.layout_ms === undefined ? '—' : ms(dashboard!.layout_ms), target: `drawn at ${dashboard!.graph_drawn_ms ?? '—'} ms; longest main-thread task ${dashboard!.longest_task_ms} ms` },
    ...scaleRows(scale, SCALE_TARGET),
    ...hostRows(host, HOST_BENCH),
  ];
  process.stdout.write(`\n${formatTable(rows)}\n`);

  const verdicts = schedulerVerdicts(scheduler);
  const results = {
    timestamp: new Date().toISOString(),
    machine: info,
    ...storeKeys(store),
    'scheduler.ratio_to_lower_bound': round(scheduler.ratio_to_lower_bound, 4),
    'scheduler.fifo_ratio_to_lower_bound': round(scheduler.fifo_ratio_to_lower_bound, 4),
    'scheduler.waves_ratio_to_lower_bound': round(scheduler.waves_ratio_to_lower_bound, 4),
    'scheduler.worst_ratio_to_lower_bound': round(scheduler.worst_ratio_to_lower_bound, 4),
    'scheduler.below_waves_fraction': round(verdicts.belowWaves, 4),
    'scheduler.target_mean_ratio_pass': verdicts.meanPass,
    'scheduler.target_below_waves_pass': verdicts.wavesPass,
    'overhead.ratio_to_raw': round(overhead.ratio_to_raw, 3),
    'overhead.paired_ratio_median': round(overhead.paired_ratio_median, 3),
    'overhead.ours_ms': Math.round(overhead.ours_ms),
    'overhead.raw_ms': Math.round(overhead.raw_ms),
    'overhead.ours_samples_ms': overhead.ours_samples_ms,
    'overhead.raw_samples_ms': overhead.raw_samples_ms,
    'overhead.ours_cpu_ms': overhead.ours_cpu_ms,
    'overhead.raw_cpu_ms': overhead.raw_cpu_ms,
    'overhead.cpu_ratio_to_raw': overhead.cpu_ratio_to_raw === undefined ? undefined : round(overhead.cpu_ratio_to_raw, 3),
    'review.merge_precheck_ms_per_task': round(review.precheck_ms_per_task, 2),
    'review.merge_precheck_fallback_ms_per_task': round(review.fallback_ms_per_task, 2),
    ...radarKeys(radar),
    ...scaleKeys(scale),
    ...hostKeys(host),
    ...planLensKeys(planLens),
    ...retentionKeys(retention),
    ...dashboardKeys(dashboard!),
    ...worktreeKeys(worktrees),
    targets: {
      ...SCALE_TARGETS,
      ...HOST_TARGETS,
      ...WORKTREE_TARGETS,
      'plan.codelens_ms_1000': `<= ${PLAN_LENS_BENCH.target}`,
      'scheduler.ratio_to_lower_bound': `<= ${SCHEDULER_TARGET.maxMeanRatio}`,
      'scheduler.below_waves_fraction': `>= ${SCHEDULER_TARGET.minBelowWaves}`,
      'review.radar_overhead_ratio': `<= ${RADAR_BENCH.target}`,
      'store.db_mib_after_100_runs': `<= ${RETENTION_BENCH.targetMib}`,
      'dashboard.first_paint_ms_1000': `<= ${DASHBOARD_BENCH.targetFirstPaintMs}`,
    },
    details: {
      store,
      scheduler: { ...scheduler, config: SCHEDULER_BENCH },
      overhead,
      review: { ...review, config: REVIEW_BENCH },
      radar,
      planLens,
      retention: { ...retention, config: RETENTION_BENCH },
      dashboard,
      worktrees: { ...worktrees, config: WORKTREE_BENCH },
      scale,
      host,
    },
    seconds: round((performance.now() - started) / 1000, 1),
  };
  const file = join(REPO_ROOT, 'bench', 'results.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nWrote ${file} (${results.seconds} s)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
