// worktrees.peak_checkouts and worktrees.peak_mib: how many checkouts, and how much disk, a run
// holds at its worst, with the default keepWorktrees (`failed`: a completed task's worktree is
// removed once its work is on its branch) side by side with `all` (every attempt keeps its checkout,
// the behaviour before the setting). One 50-task run at maxParallel 4 per side, through the façade
// in this process, on a repository of 50 MiB of random files (generated and committed once per
// bench, cloned for each side). Checkouts are counted as the entries of the worktree folder — at
// every move to or from `running`, and every 20 ms between — so a removal still under way counts;
// the folder's size is walked (src/core/git/folderSize.ts) every 250 ms and at the end.
// Targets: peak_checkouts ≤ 6 (maxParallel + the removals in flight). `node out/bench/worktreeBench.js`
// runs it alone and adds its keys to bench/results.json; `npm run bench` runs it with the rest.
// BENCH_WORKTREE_TASKS and BENCH_WORKTREE_MIB make it smaller for a quick look.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { folderSize } from '../src/core/git/folderSize';
import { Orchestrator } from '../src/core/orchestrator';
import type { KeepWorktrees } from '../src/core/settings';
import { git, makeRepo, removeDir, REPO_ROOT, round, SCRIPTED_AGENT, tempDir } from './util';

export const WORKTREE_BENCH = {
  tasks: Number(process.env.BENCH_WORKTREE_TASKS) || 50,
  parallelism: 4,
  repoMib: Number(process.env.BENCH_WORKTREE_MIB) || 50,
  /** Files of the generated repository (each repoMib / files MiB of random bytes). */
  files: 100,
  workMs: 200,
  targetPeakCheckouts: 6,
} as const;

export interface WorktreeSide {
  readonly keep: KeepWorktrees;
  readonly peak_checkouts: number;
  readonly peak_mib: number;
  readonly end_checkouts: number;
  readonly end_mib: number;
  readonly run_ms: number;
  readonly samples: number;
  readonly completed: number;
}

export interface WorktreeBenchResult {
  readonly tasks: number;
  readonly parallelism: number;
  readonly repo_mib: number;
  readonly ours: WorktreeSide;
  readonly all: WorktreeSide;
  readonly seconds: number;
}

/** A repository holding `mib` MiB of incompressible files, committed. */
function bigRepo(dir: string): string {
  const repo = makeRepo(dir);
  const perFile = Math.ceil((WORKTREE_BENCH.repoMib * 1024 * 1024) / WORKTREE_BENCH.files);
  for (let i = 0; i < WORKTREE_BENCH.files; i++) {
    const folder = join(repo, 'data', `d${i % 10}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `blob-${i}.bin`), randomBytes(perFile));
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'data');
  return repo;
}

function plan(): string {
  const tasks = Array.from({ length: WORKTREE_BENCH.tasks }, (_, k) => ({ id: `TASK-1-${k + 1}`, title: `Task ${k + 1}`, prompt: `write out-${k + 1}.txt: from task ${k + 1}\nsleep ${WORKTREE_BENCH.workMs}ms` }));
  return JSON.stringify({ specs: [{ id: 'SPEC-001', title: 'Worktree bench', tasks }] });
}

async function side(template: string, keep: KeepWorktrees, dirs: string[]): Promise<WorktreeSide> {
  const dir = tempDir(`worktrees-${keep}`);
  dirs.push(dir);
  const repo = join(dir, 'repo');
  git(dir, 'clone', '-q', template, repo);
  const planFile = join(dir, 'bench.plan.json');
  writeFileSync(planFile, plan());
  const orchestrator = await Orchestrator.open({
    workspaceRoot: repo,
    settings: { defaultAgent: 'scripted', maxParallel: WORKTREE_BENCH.parallelism, maxRetries: 0, keepWorktrees: keep, conflictRadar: false },
    scriptedAgentPath: SCRIPTED_AGENT,
    nodeCommand: process.execPath,
  });
  // Default worktree folder: `.<repo>-worktrees` beside the repository (worktreeLifecycle.ts).
  const root = join(dir, '.repo-worktrees');
  let peakCheckouts = 0;
  let peakBytes = 0;
  let samples = 0;
  const count = () => {
    samples++;
    const n = existsSync(root) ? readdirSync(root).length : 0;
    if (n > peakCheckouts) peakCheckouts = n;
  };
  let walking = false;
  const measure = async () => {
    if (walking) return;
    walking = true;
    try {
      peakBytes = Math.max(peakBytes, (await folderSize(root)).bytes);
    } finally {
      walking = false;
    }
  };
  const off = orchestrator.onEvent((event) => {
    if (event.type === 'transition' && (event.notice.to === 'running' || event.notice.from === 'running')) count();
  });
  const poll = setInterval(count, 20);
  const walk = setInterval(() => void measure(), 250);
  try {
    await orchestrator.importPlan(planFile);
    const started = performance.now();
    const result = await orchestrator.run();
    const runMs = performance.now() - started;
    clearInterval(poll);
    clearInterval(walk);
    count();
    while (walking) await new Promise((resolve) => setTimeout(resolve, 10));
    await measure();
    const end = result.metrics.worktrees;
    return {
      keep,
      peak_checkouts: peakCheckouts,
      peak_mib: round(peakBytes / 1024 / 1024, 1),
      end_checkouts: end?.kept ?? -1,
      end_mib: end?.mib ?? -1,
      run_ms: Math.round(runMs),
      samples,
      completed: result.metrics.successful_agents,
    };
  } finally {
    clearInterval(poll);
    clearInterval(walk);
    off();
    await orchestrator.close();
  }
}

export async function runWorktreeBench(log: (line: string) => void = () => undefined): Promise<WorktreeBenchResult> {
  const started = performance.now();
  const dirs: string[] = [];
  try {
    const templateDir = tempDir('worktrees-template');
    dirs.push(templateDir);
    const template = bigRepo(templateDir);
    log(`repository of ${WORKTREE_BENCH.repoMib} MiB (${WORKTREE_BENCH.files} random files) made`);
    const report = (s: WorktreeSide) =>
      log(`keepWorktrees ${s.keep.padEnd(6)}: peak ${s.peak_checkouts} checkouts, ${s.peak_mib} MiB; at the end ${s.end_checkouts}, ${s.end_mib} MiB; run ${s.run_ms} ms, ${s.completed}/${WORKTREE_BENCH.tasks} completed`);
    const ours = await side(template, 'failed', dirs);
    report(ours);
    const all = await side(template, 'all', dirs);
    report(all);
    return { tasks: WORKTREE_BENCH.tasks, parallelism: WORKTREE_BENCH.parallelism, repo_mib: WORKTREE_BENCH.repoMib, ours, all, seconds: (performance.now() - started) / 1000 };
  } finally {
    for (const dir of dirs) removeDir(dir);
  }
}

/** The flat keys of bench/results.json. */
export function worktreeKeys(r: WorktreeBenchResult): Record<string, unknown> {
  return {
    'worktrees.peak_checkouts': r.ours.peak_checkouts,
    'worktrees.peak_checkouts_all': r.all.peak_checkouts,
    'worktrees.peak_mib': r.ours.peak_mib,
    'worktrees.peak_mib_all': r.all.peak_mib,
    'worktrees.end_checkouts': r.ours.end_checkouts,
    'worktrees.end_checkouts_all': r.all.end_checkouts,
    'worktrees.run_ms': r.ours.run_ms,
    'worktrees.run_ms_all': r.all.run_ms,
    'worktrees.target_pass': r.ours.peak_checkouts <= WORKTREE_BENCH.targetPeakCheckouts,
  };
}

export const WORKTREE_TARGETS = { 'worktrees.peak_checkouts': `<= ${WORKTREE_BENCH.targetPeakCheckouts}` } as const;

if (require.main === module) {
  runWorktreeBench((line) => process.stdout.write(`  ${line}\n`))
    .then((result) => {
      const file = join(REPO_ROOT, 'bench', 'results.json');
      const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
      const details = { ...((previous.details as Record<string, unknown> | undefined) ?? {}), worktrees: { ...result, config: WORKTREE_BENCH } };
      const targets = { ...((previous.targets as Record<string, unknown> | undefined) ?? {}), ...WORKTREE_TARGETS };
      writeFileSync(file, `${JSON.stringify({ ...previous, ...worktreeKeys(result), targets, details }, null, 2)}\n`);
      process.stdout.write(`worktrees.peak_checkouts ${result.ours.peak_checkouts} (all: ${result.all.peak_checkouts}), peak_mib ${result.ours.peak_mib} (all: ${result.all.peak_mib}) → ${file}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`worktree bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
