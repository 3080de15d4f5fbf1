// The printed table's rows for scale.run_500 and the extension host bench (bench/index.ts).
import type { HostBenchResult } from '../test/hostBench/protocol';
import type { HostBenchPair } from './hostBench';
import { ms, ratio, type Row } from './report';
import type { ScaleBenchResult } from './scaleBench';

export function scaleRows({ helper: r, here }: ScaleBenchResult, target: { minSlotsBusy: number; maxCpuMsPerTask: number }): Row[] {
  const section = 'Scale';
  const children = Object.entries(r.children)
    .map(([program, count]) => `${program} ${count}`)
    .join(', ');
  return [
    {
      section,
      metric: `${r.tasks} tasks at ${r.max_parallel}: slots busy while work was queued`,
      value: ratio(r.slots_busy),
      target: `≥ ${target.minSlotsBusy}; whole run ${r.slots_busy_whole_run.toFixed(3)}`,
      pass: r.slots_busy >= target.minSlotsBusy,
    },
    {
      section,
      metric: 'orchestrator CPU per task (its process + the spawn helper)',
      value: ms(r.orchestrator_cpu_ms_per_task, 2),
      target: `≤ ${target.maxCpuMsPerTask}; helper ${r.helper_cpu_ms} of ${r.orchestrator_cpu_ms} ms`,
      pass: r.orchestrator_cpu_ms_per_task <= target.maxCpuMsPerTask,
    },
    {
      section,
      metric: 'the same, children spawned by its own process',
      value: ms(here.orchestrator_cpu_ms_per_task, 2),
      target: `${here.spawn_ms_per_task} ms per task inside spawn(); slots busy ${here.slots_busy.toFixed(3)}`,
    },
    { section, metric: 'heap growth over the run (after GC)', value: `${r.heap_growth_mib.toFixed(1)} MiB`, target: `${r.heap_start_mib.toFixed(1)} → ${r.heap_end_mib.toFixed(1)} MiB` },
    {
      section,
      metric: "child processes per task; the thread's time in spawn() per task",
      value: ms(r.spawn_ms_per_task, 2),
      target: `${r.children_per_task} children (${children})`,
    },
    { section, metric: 'wall time (import + run)', value: ms(r.wall_ms), target: `agents sleep ${r.agent_sleep_ms} ms each` },
  ];
}

export function hostRows({ withGit, withoutGit }: HostBenchPair, target: { targetP99Ms: number; targetMaxMs: number }): Row[] {
  return [...hostRunRows(withoutGit, target, "without VS Code's git extension"), ...hostRunRows(withGit, target, "with VS Code's git extension")];
}

function hostRunRows(r: HostBenchResult, target: { targetP99Ms: number; targetMaxMs: number }, label: string): Row[] {
  const section = `Extension host, ${label}`;
  const longest = r.longest_stalls.slice(0, 3).map((s) => `${s.ms}`).join(', ');
  const programs = Object.entries(r.spawns.byProgram)
    .map(([program, s]) => `${program} ${s.count}`)
    .join(', ');
  return [
    { section, metric: `event loop delay p99, ${r.tasks}-task run at ${r.max_parallel}`, value: ms(r.event_loop_delay_p99_ms, 1), target: `≤ ${target.targetP99Ms}`, pass: r.event_loop_delay_p99_ms <= target.targetP99Ms },
    {
      section,
      metric: 'event loop delay max',
      value: ms(r.event_loop_delay_max_ms, 1),
      target: `≤ ${target.targetMaxMs}; ${r.stalls_over_threshold} gaps ≥ ${r.stall_threshold_ms} ms${longest ? ` (longest ${longest} ms)` : ''}`,
      pass: r.event_loop_delay_max_ms <= target.targetMaxMs,
    },
    { section, metric: "the host thread's time in spawn(), any extension", value: ms(r.spawns.ms), target: `${r.spawns.count} spawns (${programs}); longest ${r.spawns.max_ms} ms; host RSS ${r.host_rss_mib} MiB` },
    {
      section,
      metric: 'an idle Node process on the same machine, same run: delay p99 / max',
      value: `${r.control_event_loop_delay_p99_ms} / ${r.control_event_loop_delay_max_ms} ms`,
      target: `the machine's share; the host's CPU ${(r.host_cpu_ms / 1000).toFixed(1)} s`,
    },
    { section, metric: 'run wall time', value: ms(r.run_ms), target: `${r.completed}/${r.tasks} completed; ${r.prefilled_events.toLocaleString('en-US')} events before` },
  ];
}
