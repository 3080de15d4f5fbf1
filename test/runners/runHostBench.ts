// The host bench: the extension host's responsiveness during a big run, measured inside a real
// VS Code (code-server's extension host, its workbench in headless Chromium).
//   node out/test/runners/runHostBench.js [--out FILE] [--profile] [--without-git-extension]
// 1. A fresh test workspace whose database is pre-filled with HOST_BENCH.prefilledEvents events
//    (test/hostBench/prefill.ts), before VS Code opens it.
// 2. code-server loads test/hostBench/index.ts as the extension tests: it imports a plan of
//    HOST_BENCH.tasks short scripted tasks and runs it at HOST_BENCH.maxParallel, measuring the
//    host's event loop with perf_hooks.monitorEventLoopDelay (test/hostBench/hostRun.ts).
// 3. The figures are printed and, with --out, written to FILE as JSON (bench/hostBench.ts runs
//    this for `npm run bench`). --profile also saves a CPU profile of the host over the run to
//    test-results/host-bench/host-bench.cpuprofile (open it in Chrome DevTools or VS Code).
// Env: TEST_HOST_TIMEOUT_MS (default 20 min), CHROMIUM_PATH. Logs: test-results/host-bench/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OrchestratorStore } from '../../src/core/store';
import { prefillEvents } from '../hostBench/prefill';
import { benchSettings, HOST_BENCH, HOST_BENCH_DIR_ENV, HOST_BENCH_PROFILE_ENV, PROFILE_FILE, RESULT_FILE, readResult, type HostBenchResult } from '../hostBench/protocol';
import { repoRoot } from '../support/repoRoot';
import { launchChromium } from './browser';
import { ensureCodeServer, startCodeServer, workbenchUrl } from './codeServerHost';
import { builtEntry, prepareTestDirs } from './testWorkspace';
import { DeadlineError, Teardown, overallTimeoutMs, withDeadline } from './teardown';
import { TestConsole } from './testConsole';

const ROOT = repoRoot();
const RESULTS_DIR = path.join(ROOT, 'test-results', 'host-bench');
const BENCH_ENTRY = path.join(ROOT, 'out', 'test', 'hostBench', 'index.js');

interface Options {
  readonly out?: string;
  readonly profile: boolean;
  /** --without-git-extension: VS Code's git extension off (benchSettings says why). */
  readonly gitExtension: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  let out: string | undefined;
  let profile = false;
  let gitExtension = true;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) out = path.resolve(argv[++i]);
    else if (argv[i] === '--profile') profile = true;
    else if (argv[i] === '--without-git-extension') gitExtension = false;
    else throw new Error(`runHostBench: unknown argument ${JSON.stringify(argv[i])} (usage: [--out FILE] [--profile] [--without-git-extension])`);
  }
  return { out, profile, gitExtension };
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (builtEntry(BENCH_ENTRY) === undefined) return 1;
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const teardown = new Teardown();
  await ensureCodeServer();
  let result: HostBenchResult | undefined;
  try {
    result = await withDeadline(runBench(teardown, options), overallTimeoutMs(20 * 60_000), 'the host bench (TEST_HOST_TIMEOUT_MS)');
  } catch (error) {
    if (!teardown.interrupted) console.error(`host bench ${error instanceof DeadlineError ? 'timed out' : 'failed'}: ${(error as Error).message.split('\n').slice(0, 8).join('\n')}`);
  } finally {
    await teardown.run();
  }
  if (!result) return 1;
  printResult(result);
  if (options.out) fs.writeFileSync(options.out, `${JSON.stringify(result, null, 2)}\n`);
  return result.completed === result.tasks ? 0 : 1;
}

async function runBench(teardown: Teardown, options: Options): Promise<HostBenchResult> {
  const dirs = await prepareTestDirs('host-bench');
  teardown.add('remove temporary folders', () => dirs.remove());
  const shared = path.join(dirs.root, 'shared');
  fs.mkdirSync(shared);

  fs.mkdirSync(path.join(dirs.workspace, '.vscode'));
  fs.writeFileSync(path.join(dirs.workspace, '.vscode', 'settings.json'), JSON.stringify(benchSettings(options.gitExtension), null, 2));
  const filled = await prefillEvents(OrchestratorStore.defaultPath(dirs.workspace), HOST_BENCH.prefilledEvents);
  const dbBytes = fs.statSync(OrchestratorStore.defaultPath(dirs.workspace)).size;
  console.log(`database pre-filled with ${filled.events.toLocaleString('en-US')} events in ${filled.ms} ms (${(dbBytes / 1024 ** 2).toFixed(1)} MiB)`);

  const env = { [HOST_BENCH_DIR_ENV]: shared, ...(options.profile ? { [HOST_BENCH_PROFILE_ENV]: '1' } : {}) };
  const server = await startCodeServer({ ...dirs, logFile: path.join(RESULTS_DIR, 'code-server.log'), env });
  teardown.add('stop code-server', () => server.stop());
  const browser = await launchChromium();
  teardown.add('close Chromium', () => browser.close(), 10_000);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const testConsole = new TestConsole(path.join(RESULTS_DIR, 'workbench-console.log'));
  teardown.add('close console log', () => testConsole.close());
  page.on('console', (message) => testConsole.onMessage(message));
  page.on('pageerror', (error) => testConsole.onPageError(error));

  let reportExit: (code: number) => void = () => undefined;
  const exit = new Promise<number>((resolve) => (reportExit = resolve));
  await page.exposeFunction('codeAutomationExit', (code: unknown) => reportExit(typeof code === 'number' ? code : 1));
  page.on('crash', () => reportExit(1));
  console.log(`code-server ready at ${server.url}; running ${HOST_BENCH.tasks} tasks at maxParallel ${HOST_BENCH.maxParallel}`);
  // A loaded machine takes long to serve the workbench; the overall deadline still bounds the run.
  await page.goto(workbenchUrl(server, { folder: dirs.workspace, extensionDevelopmentPath: ROOT, extensionTestsPath: BENCH_ENTRY }), { timeout: 180_000 });
  const code = await exit;
  await withDeadline(testConsole.settle(2_000), 5_000, 'reading the last console lines');
  if (options.profile && fs.existsSync(path.join(shared, PROFILE_FILE))) fs.copyFileSync(path.join(shared, PROFILE_FILE), path.join(RESULTS_DIR, PROFILE_FILE));
  const result = readResult(path.join(shared, RESULT_FILE));
  if (!result) throw new Error(`the bench in the extension host ended with ${code} and wrote no result (console: test-results/host-bench/workbench-console.log)`);
  return result;
}

function printResult(r: HostBenchResult): void {
  console.log(`${r.completed}/${r.tasks} tasks completed at maxParallel ${r.max_parallel} in ${(r.run_ms / 1000).toFixed(1)} s (run ${r.run_status})`);
  console.log(`event loop delay: p50 ${r.event_loop_delay_p50_ms} ms, p99 ${r.event_loop_delay_p99_ms} ms (target ≤ ${HOST_BENCH.targetP99Ms}), max ${r.event_loop_delay_max_ms} ms (target ≤ ${HOST_BENCH.targetMaxMs})`);
  for (const line of r.not_completed ?? []) console.log(`not completed: ${line}`);
  console.log(`an idle Node process on the same machine over the run: event loop delay p99 ${r.control_event_loop_delay_p99_ms} ms, max ${r.control_event_loop_delay_max_ms} ms; the host's CPU ${(r.host_cpu_ms / 1000).toFixed(1)} s of the ${(r.run_ms / 1000).toFixed(1)} s run`);
  console.log(`the store: ${r.store_flushes} flushes of a ${r.store_db_mib} MiB database; its worker thread busy ${r.store_worker_busy_ms === undefined ? '—' : `${(r.store_worker_busy_ms / 1000).toFixed(1)} s`}`);
  console.log(`VS Code's git extension ${r.git_extension ? 'on' : 'off'}; extension host RSS ${r.host_rss_mib} MiB at the end`);
  console.log(`child processes started: ${r.spawns.count} (${Object.entries(r.spawns.byProgram).map(([program, s]) => `${program} ${s.count}`).join(', ')}); thread time in spawn() ${r.spawns.ms} ms, longest ${r.spawns.max_ms} ms`);
  console.log(`gaps ≥ ${r.stall_threshold_ms} ms: ${r.stalls_over_threshold}; longest: ${r.longest_stalls.map((s) => `${s.ms} ms at ${(s.at_ms / 1000).toFixed(1)} s`).join(', ') || 'none'}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
