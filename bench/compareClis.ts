// Two builds of the CLI side by side, for changes too small for `npm run bench` to see on a noisy
// machine: `run --plan` of 50 no-op tasks at parallelism 4 with each, in alternating pairs (the
// order flips every pair), and the mean difference B − A of each pair with its standard error.
// Paired differences cancel the minutes-long swings of a shared machine; medians alone do not.
//
//   npm run bench:compare -- <cli A> <cli B> [pairs, default 16]
//
// A CLI is a path to a built dist/cli.js; an older build comes from a worktree of that commit
// (`git worktree add /tmp/old <commit>`, link node_modules, `node scripts/build.mjs --no-webview`).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { e2eEnv, OVERHEAD_BENCH } from './overheadBench';
import { noopMarkdownPlan } from './planFixtures';
import { childrenCpuMs, makeRepo, mean, median, removeDir, tempDir } from './util';

interface Sample {
  readonly wallMs: number;
  readonly cliCpuMs: number;
  readonly treeCpuMs: number;
  readonly firstAgentMs: number;
}

const METRICS: ReadonlyArray<readonly [keyof Sample, string]> = [
  ['wallMs', 'wall'],
  ['cliCpuMs', 'CLI CPU'],
  ['treeCpuMs', 'CPU of all processes'],
  ['firstAgentMs', 'start → first agent'],
];

function runOnce(cli: string): Sample {
  const dir = tempDir('compare');
  try {
    const repo = makeRepo(dir);
    const plan = join(dir, 'noop.plan.md');
    writeFileSync(plan, noopMarkdownPlan(OVERHEAD_BENCH.tasks));
    const before = childrenCpuMs() ?? 0;
    const started = performance.now();
    const probe = join(__dirname, 'cliProbe.js');
    const args = ['-r', probe, cli, 'run', '--plan', plan, '--agent', 'scripted', '--max-parallel', String(OVERHEAD_BENCH.parallelism)];
    const result = spawnSync(process.execPath, args, { cwd: repo, env: e2eEnv(), encoding: 'utf8' });
    const wallMs = performance.now() - started;
    if (result.status !== 0) throw new Error(`${cli} exited with ${result.status}:\n${result.stderr.slice(-2000)}`);
    const line = /cli-probe (.*)/.exec(result.stderr)?.[1];
    if (!line) throw new Error(`${cli}: no cli-probe line on stderr`);
    const probed = JSON.parse(line) as { firstAgentMs: number; cpuMs: number };
    return { wallMs, cliCpuMs: probed.cpuMs, treeCpuMs: (childrenCpuMs() ?? 0) - before, firstAgentMs: probed.firstAgentMs };
  } finally {
    removeDir(dir);
  }
}

function main(): void {
  const [a, b, pairsArg] = process.argv.slice(2);
  if (!a || !b) throw new Error('usage: compareClis <cli A> <cli B> [pairs]');
  const clis = [resolve(a), resolve(b)];
  const pairs = Number(pairsArg) || 16;
  const samples: Sample[][] = [[], []];
  // Unmeasured: the first run after a build writes the CLI's code cache.
  for (const cli of clis) runOnce(cli);
  for (let i = 0; i < pairs; i++) {
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const which of order) samples[which].push(runOnce(clis[which]));
    process.stdout.write(`pair ${i + 1}/${pairs}: wall ${samples[0][i].wallMs.toFixed(0)} / ${samples[1][i].wallMs.toFixed(0)} ms\n`);
  }
  process.stdout.write(`\nA = ${clis[0]}\nB = ${clis[1]}\n`);
  for (const [key, label] of METRICS) {
    const differences = samples[1].map((sample, i) => sample[key] - samples[0][i][key]);
    const average = mean(differences);
    const spread = Math.sqrt(differences.reduce((sum, d) => sum + (d - average) ** 2, 0) / (differences.length - 1));
    const stderr = spread / Math.sqrt(differences.length);
    const medians = samples.map((side) => median(side.map((sample) => sample[key])).toFixed(0));
    process.stdout.write(`${label.padEnd(22)} median A ${medians[0].padStart(5)}  B ${medians[1].padStart(5)} ms   B − A ${average.toFixed(0).padStart(5)} ± ${stderr.toFixed(0)} ms\n`);
  }
}

main();
