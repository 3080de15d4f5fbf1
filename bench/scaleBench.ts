// scale.run_500 (docs/benchmarks.md): 500 short scripted tasks at maxParallel 16 through the real
// engine, in a child process of its own (bench/scaleRun.ts, under --expose-gc) so its CPU time and
// heap are the orchestrator's alone. It runs twice, side by side: children started by the spawn
// helper (as in the extension; the helper's CPU counted in) and by the orchestrator's own process.
// `node out/bench/scaleBench.js` runs it alone and adds its keys to bench/results.json; `npm run
// bench` runs it with the rest.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { mergeIntoResults } from './resultsFile';
import { SCALE_BENCH, type ScaleRunResult } from './scaleRun';
import { REPO_ROOT } from './util';

export const SCALE_BENCH_DESCRIPTION = `${SCALE_BENCH.tasks} short tasks at maxParallel ${SCALE_BENCH.maxParallel}`;

export const SCALE_TARGET = { minSlotsBusy: 0.95, maxCpuMsPerTask: 15 } as const;

export interface ScaleBenchResult {
  /** Children started by the spawn helper, as in the extension (the figures the targets apply to). */
  readonly helper: ScaleRunResult;
  /** Children started by the orchestrator's process itself, as before the helper. */
  readonly here: ScaleRunResult;
}

export async function runScaleBench(): Promise<ScaleBenchResult> {
  const helper = await runScaleOnce(true);
  const here = await runScaleOnce(false);
  return { helper, here };
}

function runScaleOnce(withHelper: boolean): Promise<ScaleRunResult> {
  return new Promise((resolve, reject) => {
    const args = ['--expose-gc', join(REPO_ROOT, 'out', 'bench', 'scaleRun.js'), ...(withHelper ? ['--spawn-helper'] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the scale run exited with ${code}:\n${stderr.slice(-2000)}`));
      try {
        const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ScaleRunResult;
        if (result.completed !== result.tasks) return reject(new Error(`the scale run completed ${result.completed} of ${result.tasks} tasks (run ${result.run_status})`));
        resolve(result);
      } catch {
        reject(new Error(`the scale run printed no result:\n${stdout.slice(-1000)}\n${stderr.slice(-1000)}`));
      }
    });
  });
}

export function scaleKeys({ helper: r, here }: ScaleBenchResult): Record<string, unknown> {
  return {
    'scale.run_500.slots_busy': r.slots_busy,
    'scale.run_500.slots_busy_whole_run': r.slots_busy_whole_run,
    'scale.run_500.orchestrator_cpu_ms_per_task': r.orchestrator_cpu_ms_per_task,
    'scale.run_500.helper_cpu_ms_per_task': Math.round((r.helper_cpu_ms / r.tasks) * 100) / 100,
    'scale.run_500.heap_growth_mib': r.heap_growth_mib,
    'scale.run_500.wall_ms': r.wall_ms,
    'scale.run_500.spawns_per_task': r.spawns_per_task,
    'scale.run_500.spawn_ms_per_task': r.spawn_ms_per_task,
    'scale.run_500.spawned_here.orchestrator_cpu_ms_per_task': here.orchestrator_cpu_ms_per_task,
    'scale.run_500.spawned_here.spawn_ms_per_task': here.spawn_ms_per_task,
    'scale.run_500.spawned_here.slots_busy': here.slots_busy,
    'scale.run_500.target_pass': r.slots_busy >= SCALE_TARGET.minSlotsBusy && r.orchestrator_cpu_ms_per_task <= SCALE_TARGET.maxCpuMsPerTask,
  };
}

export const SCALE_TARGETS = {
  'scale.run_500.slots_busy': `>= ${SCALE_TARGET.minSlotsBusy}`,
  'scale.run_500.orchestrator_cpu_ms_per_task': `<= ${SCALE_TARGET.maxCpuMsPerTask}`,
};

if (require.main === module) {
  runScaleBench().then(
    (result) => {
      const file = mergeIntoResults(scaleKeys(result), SCALE_TARGETS, { scale: result });
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n→ ${file}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`scale bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
