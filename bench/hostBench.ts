// host.event_loop_delay_* (docs/benchmarks.md): the extension host's event loop during a 200-task
// run at maxParallel 8 on a database of 100,000 events, measured inside a real VS Code by
// test/runners/runHostBench.ts (code-server, headless Chromium), which this runs as a child and
// reads back. It runs twice: with VS Code's git extension (as users have it) and without it (this
// extension's own share). `node out/bench/hostBench.js` runs both alone and adds the keys to
// bench/results.json.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_BENCH, type HostBenchResult } from '../test/hostBench/protocol';
import { mergeIntoResults } from './resultsFile';
import { REPO_ROOT } from './util';

export { HOST_BENCH };

export interface HostBenchPair {
  /** As a user has it: VS Code's git extension on, in the same host. */
  readonly withGit: HostBenchResult;
  /** The git extension off: this extension's own share of the host's stalls. */
  readonly withoutGit: HostBenchResult;
}

/** Both runs, one after the other (docs/benchmarks.md). */
export async function runHostBenchPair(log: (line: string) => void = () => undefined): Promise<HostBenchPair> {
  const withoutGit = await runHostBench(log, false);
  const withGit = await runHostBench(log, true);
  return { withGit, withoutGit };
}

export function runHostBench(log: (line: string) => void = () => undefined, gitExtension = true): Promise<HostBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'orch-bench-host-'));
  const out = join(dir, 'host.json');
  return new Promise<HostBenchResult>((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'out', 'test', 'runners', 'runHostBench.js'), '--out', out, ...(gitExtension ? [] : ['--without-git-extension'])], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split('\n')) if (line.trim()) log(line.trim());
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`the host bench exited with ${code}:\n${output.slice(-2000)}`);
        resolve(JSON.parse(readFileSync(out, 'utf8')) as HostBenchResult);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

export function hostKeys({ withGit: r, withoutGit: own }: HostBenchPair): Record<string, unknown> {
  return {
    'host.without_git_extension.event_loop_delay_p99_ms': own.event_loop_delay_p99_ms,
    'host.without_git_extension.event_loop_delay_max_ms': own.event_loop_delay_max_ms,
    'host.without_git_extension.spawns': own.spawns.count,
    'host.rss_mib': r.host_rss_mib,
    'host.control_event_loop_delay_p99_ms': r.control_event_loop_delay_p99_ms,
    'host.control_event_loop_delay_max_ms': r.control_event_loop_delay_max_ms,
    'host.cpu_ms': r.host_cpu_ms,
    'host.without_git_extension.control_event_loop_delay_p99_ms': own.control_event_loop_delay_p99_ms,
    'host.event_loop_delay_p99_ms': r.event_loop_delay_p99_ms,
    'host.event_loop_delay_max_ms': r.event_loop_delay_max_ms,
    'host.event_loop_delay_p50_ms': r.event_loop_delay_p50_ms,
    'host.run_200_ms': r.run_ms,
    'host.spawn_thread_ms': r.spawns.ms,
    'host.spawns': r.spawns.count,
    'host.target_pass': r.event_loop_delay_p99_ms <= HOST_BENCH.targetP99Ms && r.event_loop_delay_max_ms <= HOST_BENCH.targetMaxMs,
  };
}

export const HOST_TARGETS = {
  'host.event_loop_delay_p99_ms': `<= ${HOST_BENCH.targetP99Ms}`,
  'host.event_loop_delay_max_ms': `<= ${HOST_BENCH.targetMaxMs}`,
};

if (require.main === module) {
  runHostBenchPair((line) => process.stdout.write(`  ${line}\n`)).then(
    (pair) => {
      const file = mergeIntoResults(hostKeys(pair), HOST_TARGETS, { host: pair });
      process.stdout.write(`→ ${file}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`host bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
