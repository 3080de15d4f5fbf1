// End-to-end overhead: 50 no-op tasks at parallelism 4 through the CLI (import + run with the
// scripted agent) against the same work done "raw" — per task a `git worktree add` of a new branch,
// the same no-op agent run in it, `git add -A` and a commit if anything changed — driven by
// `xargs -P4`. Samples alternate (ours, raw, ours, raw, ...) because the machine is noisy; the ratio
// is median(ours) ÷ median(raw). The CPU time of each side's whole process tree is recorded too:
// unlike wall time it hardly changes with what else the machine is doing. Sample folders are
// removed only at the end: a burst of deletions makes the next file creations slow on ext4. One
// unmeasured pair runs first (see runOverheadBench).
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileRun, type RunProfile } from './overheadProfile';
import { noopMarkdownPlan } from './planFixtures';
import { childrenCpuMs, CLI, cleanEnv, git, GIT_IDENTITY, makeRepo, median, removeDir, SCRIPTED_AGENT, tempDir } from './util';

/**
 * Samples of each side (BENCH_E2E_SAMPLES, default 7). On the 2-core development machine one
 * side's wall time moves by up to 40% between minutes; a median of seven pairs moves far less.
 * `formerGate` is information only: no-op agents make the orchestrator's spawn cost the whole
 * story, while real agents run for minutes; scale.run_500 (bench/scaleBench.ts) measures what
 * matters instead, the cost per task and idle slots (docs/benchmarks.md).
 */
export const OVERHEAD_BENCH = { tasks: 50, parallelism: 4, samples: Number(process.env.BENCH_E2E_SAMPLES) || 7, formerGate: 1.3 } as const;

export interface OursSample {
  readonly wall_ms: number;
  readonly cpu_ms: number | undefined;
  readonly run_ms: number;
  readonly profile: RunProfile;
}

export interface RawSample {
  readonly wall_ms: number;
  readonly cpu_ms: number | undefined;
}

export interface OverheadBenchResult {
  readonly tasks: number;
  readonly parallelism: number;
  readonly ours_ms: number;
  readonly raw_ms: number;
  readonly ratio_to_raw: number;
  /**
   * The median of each pair's own ratio (a CLI run ÷ the raw run right after it): the two runs of
   * a pair share the machine's mood of that minute, so this moves less when the load drifts.
   */
  readonly paired_ratio_median: number;
  readonly ours_samples_ms: number[];
  readonly raw_samples_ms: number[];
  /** Median CPU time (user + system) of each side's process tree, where /proc exists. */
  readonly ours_cpu_ms: number | undefined;
  readonly raw_cpu_ms: number | undefined;
  readonly cpu_ratio_to_raw: number | undefined;
  /** The profile of the median "ours" sample. */
  readonly profile: RunProfile;
  readonly seconds: number;
}

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly startedAt: number;
  readonly ms: number;
}

/**
 * The environment of both sides: no GIT_* variables, and no NODE_EXTRA_CA_CERTS — where it is set
 * (CI images, this sandbox) every node process parses the whole CA bundle at startup, ~40 ms of CPU
 * per agent on both sides, which would flatter the ratio; neither the CLI nor the agent uses TLS.
 */
export function e2eEnv(): NodeJS.ProcessEnv {
  const env = cleanEnv();
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

function run(argv: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd, env: options.env ?? e2eEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, startedAt, ms: performance.now() - started }));
    child.stdin.end(options.input ?? '');
  });
}

function check(exit: Exit, what: string): void {
  if (exit.code !== 0) throw new Error(`${what} exited with ${exit.code}:\n${exit.stderr.slice(-2000)}\n${exit.stdout.slice(-2000)}`);
}

function countBranches(repo: string, prefix: string): number {
  return git(repo, 'for-each-ref', '--format=%(refname)', `refs/heads/${prefix}`).split('\n').filter(Boolean).length;
}

async function ours(dirs: string[]): Promise<OursSample> {
  const dir = tempDir('e2e-ours');
  dirs.push(dir);
  const repo = makeRepo(dir);
  const plan = join(dir, 'noop.plan.md');
  writeFileSync(plan, noopMarkdownPlan(OVERHEAD_BENCH.tasks));
  const cpuBefore = childrenCpuMs();
  // One command from plan to branches, as a user runs it: `run --plan` imports, then runs.
  const ran = await run([process.execPath, CLI, 'run', '--plan', plan, '--agent', 'scripted', '--max-parallel', String(OVERHEAD_BENCH.parallelism)], { cwd: repo });
  check(ran, 'agent-orchestrator run --plan');
  const wall = ran.ms;
  const cpuAfter = childrenCpuMs();
  const branches = countBranches(repo, 'orch/');
  if (branches !== OVERHEAD_BENCH.tasks) throw new Error(`ours: expected ${OVERHEAD_BENCH.tasks} task branches, found ${branches}`);
  const profile = await profileRun(repo, { processStartedAt: ran.startedAt, processMs: ran.ms, parallelism: OVERHEAD_BENCH.parallelism });
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  return { wall_ms: wall, cpu_ms: cpu, run_ms: ran.ms, profile };
}

/** One raw task. The worktree add is serialized (flock) as the orchestrator serializes it: parallel adds on one repository fail. */
const ITEM_SCRIPT = `#!/bin/sh
# One raw task: a worktree on a new branch, the no-op agent in it, a commit if it changed anything.
set -e
id="TASK-1-$1"
wt="$WT_ROOT/$id"
if command -v flock >/dev/null 2>&1; then
  flock "$LOCK" git $GIT_ID worktree add -q --no-track -b "raw/$id" "$wt" HEAD
else
  until mkdir "$LOCK.d" 2>/dev/null; do sleep 0.01; done
  rc=0; git $GIT_ID worktree add -q --no-track -b "raw/$id" "$wt" HEAD || rc=$?
  rmdir "$LOCK.d"; [ "$rc" -eq 0 ]
fi
cd "$wt"
node "$AGENT" --task "$id" --prompt-file "$PROMPT" > "$LOGS/$id.log"
git add -A
git diff --cached --quiet || git $GIT_ID commit -q --no-verify -m "$id"
`;

async function raw(dirs: string[]): Promise<RawSample> {
  const dir = tempDir('e2e-raw');
  dirs.push(dir);
  const repo = makeRepo(dir);
  const script = join(dir, 'item.sh');
  writeFileSync(script, ITEM_SCRIPT);
  chmodSync(script, 0o755);
  const prompt = join(dir, 'prompt.md');
  writeFileSync(prompt, 'echo no-op\n');
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const env = {
    ...e2eEnv(),
    REPO: repo,
    WT_ROOT: join(dir, 'worktrees'),
    AGENT: SCRIPTED_AGENT,
    PROMPT: prompt,
    LOCK: join(dir, 'worktree.lock'),
    LOGS: logs,
    GIT_ID: [...GIT_IDENTITY, '-c', 'gc.auto=0'].join(' '),
  };
  const items = Array.from({ length: OVERHEAD_BENCH.tasks }, (_, i) => `${i + 1}\n`).join('');
  const cpuBefore = childrenCpuMs();
  const exit = await run(['xargs', '-P', String(OVERHEAD_BENCH.parallelism), '-n', '1', 'sh', script], { cwd: repo, env, input: items });
  const cpuAfter = childrenCpuMs();
  check(exit, 'xargs (raw baseline)');
  const branches = countBranches(repo, 'raw/');
  if (branches !== OVERHEAD_BENCH.tasks) throw new Error(`raw: expected ${OVERHEAD_BENCH.tasks} branches, found ${branches}`);
  return { wall_ms: exit.ms, cpu_ms: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined };
}

export async function runOverheadBench(log: (line: string) => void = () => undefined): Promise<OverheadBenchResult> {
  const started = performance.now();
  const oursSamples: OursSample[] = [];
  const rawSamples: RawSample[] = [];
  const dirs: string[] = [];
  const cpu = (ms: number | undefined) => (ms === undefined ? '' : `, CPU ${ms} ms`);
  try {
    // One unmeasured pair first: the first CLI run after a build compiles the whole bundle and
    // writes V8's code cache (a once-per-build cost, not a run's), and both sides find git, node
    // and the agent's files in the page cache afterwards. bench:compare does the same.
    await ours(dirs);
    await raw(dirs);
    log('warm-up pair done (not measured)');
    for (let i = 0; i < OVERHEAD_BENCH.samples; i++) {
      const o = await ours(dirs);
      oursSamples.push(o);
      log(`ours #${i + 1}: ${o.wall_ms.toFixed(0)} ms (run --plan${cpu(o.cpu_ms)})`);
      const r = await raw(dirs);
      rawSamples.push(r);
      log(`raw  #${i + 1}: ${r.wall_ms.toFixed(0)} ms${cpu(r.cpu_ms)}`);
    }
  } finally {
    for (const dir of dirs) removeDir(dir);
  }
  const oursMs = median(oursSamples.map((s) => s.wall_ms));
  const rawMs = median(rawSamples.map((s) => s.wall_ms));
  const cpuOf = (samples: readonly { cpu_ms: number | undefined }[]) =>
    samples.every((s) => s.cpu_ms !== undefined) ? median(samples.map((s) => s.cpu_ms as number)) : undefined;
  const oursCpu = cpuOf(oursSamples);
  const rawCpu = cpuOf(rawSamples);
  const medianSample = [...oursSamples].sort((a, b) => a.wall_ms - b.wall_ms)[Math.floor(oursSamples.length / 2)];
  return {
    tasks: OVERHEAD_BENCH.tasks,
    parallelism: OVERHEAD_BENCH.parallelism,
    ours_ms: oursMs,
    raw_ms: rawMs,
    ratio_to_raw: oursMs / rawMs,
    paired_ratio_median: median(oursSamples.map((o, i) => o.wall_ms / rawSamples[i].wall_ms)),
    ours_samples_ms: oursSamples.map((s) => Math.round(s.wall_ms)),
    raw_samples_ms: rawSamples.map((s) => Math.round(s.wall_ms)),
    ours_cpu_ms: oursCpu,
    raw_cpu_ms: rawCpu,
    cpu_ratio_to_raw: oursCpu !== undefined && rawCpu ? oursCpu / rawCpu : undefined,
    profile: medianSample.profile,
    seconds: (performance.now() - started) / 1000,
  };
}
