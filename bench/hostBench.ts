// host.event_loop_delay_* (docs/benchmarks.md): the extension host's event loop during a 200-task
// run at maxParallel 8 on a database of 100,000 events, measured inside a real VS Code by
// test/runners/runHostBench.ts (code-server, headless Chromium), which this runs as a child and
// reads back. `node out/bench/hostBench.js` runs it alone and adds its keys to bench/results.json.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_BENCH, type HostBenchResult } from '../test/hostBench/protocol';
import { mergeIntoResults } from './resultsFile';
import { REPO_ROOT } from './util';

export { HOST_BENCH };

export function runHostBench(log: (line: string) => void = () => undefined): Promise<HostBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'orch-bench-host-'));
  const out = join(dir, 'host.json');
  return new Promise<HostBenchResult>((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'out', 'test', 'runners', 'runHostBench.js'), '--out', out], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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

export function hostKeys(r: HostBenchResult): Record<string, unknown> {
  return {
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
  runHostBench((line) => process.stdout.write(`  ${line}\n`)).then(
    (result) => {
      const file = mergeIntoResults(hostKeys(result), HOST_TARGETS, { host: result });
      process.stdout.write(`→ ${file}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`host bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
