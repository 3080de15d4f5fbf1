// Preloaded into a CLI run by compareClis.ts (node -r): when the first agent started, and the
// CLI's own CPU time, printed on stderr at exit as one `cli-probe {json}` line.
import { ChildProcess } from 'node:child_process';
import { writeSync } from 'node:fs';

/** ChildProcess.prototype.spawn: every child_process.spawn goes through it (not in Node's types). */
type SpawnMethod = (this: ChildProcess, options: { readonly args?: readonly string[] }) => unknown;
const prototype = ChildProcess.prototype as unknown as { spawn: SpawnMethod };

let firstAgentMs: number | undefined;
const spawn = prototype.spawn;
prototype.spawn = function (options) {
  if (firstAgentMs === undefined && options.args?.some((arg) => arg.endsWith('scripted-agent.js'))) firstAgentMs = performance.now();
  return spawn.call(this, options);
};

process.on('exit', () => {
  const cpu = process.cpuUsage();
  writeSync(2, `cli-probe ${JSON.stringify({ firstAgentMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
});
