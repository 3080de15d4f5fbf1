// review.radar_overhead_ratio: what the conflict radar costs a run. The same 50-task run through the
// CLI (real worktrees, the scripted agent writing a file and working for a moment, ten of the tasks
// sharing five files so the radar finds pairs and judges them), once with the radar on (the default,
// every 3 s) and once off (`agentOrchestrator.conflictRadar: false` in the workspace's settings),
// alternating on/off pairs because the machine is noisy; the figure is the median of the pairs' own
// ratios. Target ≤ 1.05. `node out/bench/radarBench.js` runs it alone and adds its keys to
// bench/results.json; `npm run bench` runs it with the rest.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eEnv } from './overheadBench';
import { childrenCpuMs, CLI, git, makeRepo, median, REPO_ROOT, removeDir, round, tempDir } from './util';

export const RADAR_BENCH = { tasks: 50, parallelism: 4, workMs: 300, samples: Number(process.env.BENCH_RADAR_SAMPLES) || 5, target: 1.05 } as const;

export interface RadarBenchResult {
  readonly tasks: number;
  readonly parallelism: number;
  readonly work_ms: number;
  readonly on_samples_ms: number[];
  readonly off_samples_ms: number[];
  readonly on_ms: number;
  readonly off_ms: number;
  /** Median of each pair's on ÷ off (wall time). */
  readonly ratio: number;
  /** The same for the CPU time of the CLI's whole process tree: far less moved by the machine's load. */
  readonly cpu_ratio: number | undefined;
  readonly on_cpu_samples_ms: Array<number | undefined>;
  readonly off_cpu_samples_ms: Array<number | undefined>;
  /** Pairs the radar recorded in the last "on" run (it must have found the five). */
  readonly pairs_found: number;
  readonly seconds: number;
}

/** Ten tasks share five files two by two; the other forty write files of their own. */
function plan(): string {
  const tasks = Array.from({ length: RADAR_BENCH.tasks }, (_, k) => {
    const i = k + 1;
    const file = i <= 10 ? `shared-${(i - 1) % 5}.txt` : `own-${i}.txt`;
    return { id: `TASK-1-${i}`, title: `Task ${i}`, prompt: `write ${file}: from task ${i}\nsleep ${RADAR_BENCH.workMs}ms` };
  });
  return JSON.stringify({ specs: [{ id: 'SPEC-001', title: 'Radar bench', tasks }] });
}

function runCli(args: readonly string[], cwd: string): Promise<{ code: number | null; ms: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: e2eEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: performance.now() - started, stdout, stderr }));
  });
}

async function sample(radar: boolean, dirs: string[]): Promise<{ ms: number; cpu: number | undefined; pairs: number }> {
  const dir = tempDir(radar ? 'radar-on' : 'radar-off');
  dirs.push(dir);
  const repo = makeRepo(dir);
  mkdirSync(join(repo, '.vscode'), { recursive: true });
  writeFileSync(join(repo, '.vscode', 'settings.json'), JSON.stringify({ 'agentOrchestrator.conflictRadar': radar }));
  // Committed, so the worktrees hold it too and no task touches it.
  git(repo, 'add', '.vscode');
  git(repo, 'commit', '-q', '-m', 'settings');
  writeFileSync(join(dir, 'radar.plan.json'), plan());
  const cpuBefore = childrenCpuMs();
  const ran = await runCli(['run', '--plan', join(dir, 'radar.plan.json'), '--agent', 'scripted', '--max-parallel', String(RADAR_BENCH.parallelism), '--json'], repo);
  const cpuAfter = childrenCpuMs();
  if (ran.code !== 0) throw new Error(`radar bench run (${radar ? 'on' : 'off'}) exited ${ran.code}:\n${ran.stderr.slice(-2000)}`);
  const pairs = radar ? countPairs(ran.stdout) : 0;
  return { ms: ran.ms, cpu: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined, pairs };
}

/** The pairs in the run's summary.md (its Conflict radar table has one row per pair). */
function countPairs(runJson: string): number {
  const summary = (JSON.parse(runJson) as { summaryMd: string }).summaryMd;
  return summary.split('\n').filter((line) => /^\| TASK-\S+ ↔ TASK-\S+ \|/.test(line)).length;
}

export async function runRadarBench(log: (line: string) => void = () => undefined): Promise<RadarBenchResult> {
  const started = performance.now();
  const dirs: string[] = [];
  const on: number[] = [];
  const off: number[] = [];
  const onCpu: Array<number | undefined> = [];
  const offCpu: Array<number | undefined> = [];
  let pairs = 0;
  try {
    // One unmeasured pair: the first CLI run after a build writes V8's code cache.
    await sample(true, dirs);
    await sample(false, dirs);
    for (let i = 0; i < RADAR_BENCH.samples; i++) {
      // Alternate which side goes first, so a drift of the machine's load favours neither.
      const order = i % 2 === 0 ? [true, false] : [false, true];
      for (const radar of order) {
        const s = await sample(radar, dirs);
        (radar ? on : off).push(s.ms);
        (radar ? onCpu : offCpu).push(s.cpu);
        if (radar) pairs = s.pairs;
        log(`radar ${radar ? 'on ' : 'off'} #${i + 1}: ${s.ms.toFixed(0)} ms, CPU ${s.cpu ?? '?'} ms${radar ? `, ${s.pairs} pairs` : ''}`);
      }
    }
  } finally {
    for (const dir of dirs) removeDir(dir);
  }
  return {
    tasks: RADAR_BENCH.tasks,
    parallelism: RADAR_BENCH.parallelism,
    work_ms: RADAR_BENCH.workMs,
    on_samples_ms: on.map(Math.round),
    off_samples_ms: off.map(Math.round),
    on_ms: Math.round(median(on)),
    off_ms: Math.round(median(off)),
    ratio: median(on.map((ms, i) => ms / off[i])),
    cpu_ratio: onCpu.every((c) => c !== undefined) && offCpu.every((c) => c) ? median(onCpu.map((c, i) => (c as number) / (offCpu[i] as number))) : undefined,
    on_cpu_samples_ms: onCpu,
    off_cpu_samples_ms: offCpu,
    pairs_found: pairs,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The flat keys of bench/results.json. */
export function radarKeys(r: RadarBenchResult): Record<string, unknown> {
  return {
    'review.radar_overhead_ratio': round(r.ratio, 3),
    'review.radar_cpu_ratio': r.cpu_ratio === undefined ? undefined : round(r.cpu_ratio, 3),
    'review.radar_on_ms': r.on_ms,
    'review.radar_off_ms': r.off_ms,
    'review.radar_pairs_found': r.pairs_found,
    'review.radar_target_pass': r.ratio <= RADAR_BENCH.target,
  };
}

if (require.main === module) {
  runRadarBench((line) => process.stdout.write(`  ${line}\n`))
    .then((result) => {
      const file = join(REPO_ROOT, 'bench', 'results.json');
      const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
      const details = { ...((previous.details as Record<string, unknown> | undefined) ?? {}), radar: result };
      const targets = { ...((previous.targets as Record<string, unknown> | undefined) ?? {}), 'review.radar_overhead_ratio': `<= ${RADAR_BENCH.target}` };
      writeFileSync(file, `${JSON.stringify({ ...previous, ...radarKeys(result), targets, details }, null, 2)}\n`);
      process.stdout.write(`review.radar_overhead_ratio ${result.ratio.toFixed(3)}, CPU ${result.cpu_ratio?.toFixed(3) ?? '?'} (on ${result.on_ms} ms, off ${result.off_ms} ms, ${result.pairs_found} pairs) → ${file}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`radar bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
