// The one test command (`npm test`): lint, type-check, build, unit tests, the integration suite
// inside a real VS Code (code-server), the host-crash test (an extension host killed mid-run,
// VS Code started again), packaging, and the e2e check against the packaged .vsix.
// Every step runs even when an earlier one failed, so one run shows everything that is wrong;
// the last line sums the test counts in the form CI reads: "total: N passed, N failed".
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Reads a step's counts from mocha's spec reporter or from our runners' closing line. */
function countsFrom(output) {
  const ours = [...output.matchAll(/^(?:[\w-]+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gm)].at(-1);
  if (ours) return { passed: Number(ours[1]), failed: Number(ours[2]), skipped: Number(ours[3] ?? 0) };
  const passing = output.match(/^\s*(\d+) passing/m);
  if (!passing) return undefined;
  const failing = output.match(/^\s*(\d+) failing/m);
  const pending = output.match(/^\s*(\d+) pending/m);
  return { passed: Number(passing[1]), failed: Number(failing?.[1] ?? 0), skipped: Number(pending?.[1] ?? 0) };
}

function run(name, command, args) {
  return new Promise((resolve) => {
    const started = Date.now();
    process.stdout.write(`\n━━ ${name} ━━ ${[command, ...args].join(' ')}\n`);
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    const tee = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('close', (code, signal) => {
      resolve({ name, ok: code === 0, code: code ?? signal, seconds: (Date.now() - started) / 1000, counts: countsFrom(output) });
    });
  });
}

const steps = [
  ['lint', npm, ['run', '--silent', 'lint']],
  ['type-check', npx, ['tsc', '-p', '.', '--noEmit']],
  ['build', 'node', ['scripts/build.mjs', '--tests']],
  ['unit', npx, ['mocha', '--config', '.mocharc.unit.json']],
  ['integration', 'node', ['out/test/runners/runCodeServer.js']],
  ['host-crash', 'node', ['out/test/runners/runHostCrash.js']],
  ['package', npm, ['run', '--silent', 'package']],
  ['e2e', 'node', ['out/test/e2e/runE2e.js']],
];

const results = [];
for (const [name, command, args] of steps) results.push(await run(name, command, args));

process.stdout.write('\n━━ summary ━━\n');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const r of results) {
  const counts = r.counts ? ` — ${r.counts.passed} passed, ${r.counts.failed} failed${r.counts.skipped ? `, ${r.counts.skipped} skipped` : ''}` : '';
  process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(12)} ${r.seconds.toFixed(1).padStart(6)} s${counts}${r.ok ? '' : ` (exit ${r.code})`}\n`);
  if (r.counts) {
    passed += r.counts.passed;
    failed += r.counts.failed;
    skipped += r.counts.skipped;
  }
  // A step that failed without reporting tests (lint, build, a crashed runner) still counts as a failure.
  if (!r.ok && (!r.counts || r.counts.failed === 0)) failed += 1;
}
const allOk = results.every((r) => r.ok);
process.stdout.write(`total: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(allOk ? 0 : 1);
