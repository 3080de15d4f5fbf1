// plan.codelens_ms_1000: what the editor computes for a 1,000-task plan's CodeLens — the outline
// of the text (src/core/plan/planOutline.ts) plus the lens models from in-memory task rows
// (src/vscode/plan/planLensModel.ts), both free of VS Code, so timed here in plain Node. The
// rows mix every state a lens distinguishes. The figure is the median wall time of the samples
// after a warm-up (the editor computes it again and again, so warm is the case that matters),
// with the CPU time beside it, which a loaded machine moves less. Target ≤ 50 ms.
// `node out/bench/planLensBench.js` runs it alone and adds its keys to bench/results.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DisplayStatus } from '../src/core';
import { markdownOutline } from '../src/core/plan/planOutline';
import { planLenses } from '../src/vscode/plan/planLensModel';
import type { ShownTask } from '../src/vscode/tree/taskTreeText';
import { largeMarkdownPlan } from './planFixtures';
import { median, REPO_ROOT, round } from './util';

export const PLAN_LENS_BENCH = { specs: 10, tasksPerSpec: 100, warmup: 5, samples: Number(process.env.BENCH_PLAN_LENS_SAMPLES) || 30, target: 50 } as const;

export interface PlanLensBenchResult {
  readonly tasks: number;
  readonly lenses: number;
  readonly samples_ms: number[];
  readonly median_ms: number;
  readonly best_ms: number;
  readonly cpu_median_ms: number;
  readonly outline_median_ms: number;
}

const STATES: readonly DisplayStatus[] = ['completed', 'failed', 'running', 'pending', 'ready', 'cancelled', 'blocked', 'timed_out'];

function rowFor(taskId: string, at: number): ShownTask {
  const status = STATES[at % STATES.length];
  const ran = status !== 'pending' && status !== 'ready' && status !== 'blocked';
  return {
    taskId,
    specId: `SPEC-${String(Math.floor(at / PLAN_LENS_BENCH.tasksPerSpec) + 1).padStart(3, '0')}`,
    displayStatus: status,
    parentTaskId: null,
    title: `Task ${taskId}`,
    priority: 'medium',
    estimatedHours: 1,
    agent: 'scripted',
    routedBy: null,
    dependsOn: [],
    retryCount: 0,
    errorMessage: status === 'failed' ? 'exit code 1' : null,
    startedAt: ran ? new Date(Date.now() - 60_000).toISOString() : null,
    latestAttempt: ran
      ? { attemptNumber: 1, durationMs: 42_000, exitCode: 0, worktree: `/w/${taskId}`, branch: `orch/${taskId}/a1`, sessionId: null, logPath: `/l/${taskId}.log`, costUsd: 0.12, tokensIn: 100, tokensOut: 20 }
      : null,
  };
}

export function runPlanLensBench(): PlanLensBenchResult {
  const { markdown, tasks } = largeMarkdownPlan(PLAN_LENS_BENCH.specs, PLAN_LENS_BENCH.tasksPerSpec);
  const rows = new Map<string, ShownTask>();
  for (const [at, task] of markdownOutline(markdown).tasks.entries()) rows.set(task.id, rowFor(task.id, at));
  const once = () => {
    const outline = markdownOutline(markdown);
    const outlined = performance.now();
    const lenses = planLenses({ outline, imported: true, stale: false, file: 'bench.plan.md', row: (id) => rows.get(id), review: () => undefined, running: true, now: Date.now() });
    return { lenses: lenses.length, outlined };
  };
  for (let run = 0; run < PLAN_LENS_BENCH.warmup; run++) once();
  const wall: number[] = [];
  const cpu: number[] = [];
  const outlineWall: number[] = [];
  let lenses = 0;
  for (let run = 0; run < PLAN_LENS_BENCH.samples; run++) {
    const before = process.cpuUsage();
    const started = performance.now();
    const result = once();
    wall.push(performance.now() - started);
    outlineWall.push(result.outlined - started);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
    lenses = result.lenses;
  }
  return {
    tasks,
    lenses,
    samples_ms: wall.map((value) => round(value, 2)),
    median_ms: round(median(wall), 2),
    best_ms: round(Math.min(...wall), 2),
    cpu_median_ms: round(median(cpu), 2),
    outline_median_ms: round(median(outlineWall), 2),
  };
}

/** The flat keys of bench/results.json. */
export function planLensKeys(r: PlanLensBenchResult): Record<string, unknown> {
  return {
    'plan.codelens_ms_1000': r.median_ms,
    'plan.codelens_cpu_ms_1000': r.cpu_median_ms,
    'plan.outline_ms_1000': r.outline_median_ms,
    'plan.codelens_target_pass': r.median_ms <= PLAN_LENS_BENCH.target,
  };
}

if (require.main === module) {
  const result = runPlanLensBench();
  const file = join(REPO_ROOT, 'bench', 'results.json');
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const details = { ...((previous.details as Record<string, unknown> | undefined) ?? {}), planLens: result };
  const targets = { ...((previous.targets as Record<string, unknown> | undefined) ?? {}), 'plan.codelens_ms_1000': `<= ${PLAN_LENS_BENCH.target}` };
  writeFileSync(file, `${JSON.stringify({ ...previous, ...planLensKeys(result), targets, details }, null, 2)}\n`);
  process.stdout.write(
    `plan.codelens_ms_1000 ${result.median_ms} ms (best ${result.best_ms}, CPU ${result.cpu_median_ms}, outline ${result.outline_median_ms}; ${result.lenses} lenses for ${result.tasks} tasks) → ${file}\n`,
  );
}
