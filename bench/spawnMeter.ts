// Counts the child processes this process starts and the time its thread spends inside each
// spawn() call: on Linux spawn() forks synchronously, and the bigger the process the longer the
// fork, so in the extension host every git command and agent is a pause of its event loop. The
// scale bench (scaleRun.ts) reports these per task, by program. Wraps ChildProcess.prototype.spawn,
// which spawn, execFile and exec all go through (the *Sync functions do not: the engine does not use them).
import { ChildProcess } from 'node:child_process';
import { basename } from 'node:path';

export interface SpawnCounts {
  /** Per program (git, node, …): how many spawns and the thread's total time inside spawn(). */
  readonly byProgram: Record<string, { count: number; ms: number }>;
  readonly count: number;
  readonly ms: number;
  /** The longest single spawn() call. */
  readonly max_ms: number;
}

/** ChildProcess.prototype.spawn is public at run time but missing from @types/node. */
interface Spawnable {
  spawn(options: { file?: string }): unknown;
}

export function meterSpawns(): { stop(): SpawnCounts } {
  const prototype = ChildProcess.prototype as unknown as Spawnable;
  const original = prototype.spawn;
  const byProgram: Record<string, { count: number; ms: number }> = {};
  let count = 0;
  let total = 0;
  let max = 0;
  prototype.spawn = function (this: ChildProcess, options: { file?: string }) {
    const started = performance.now();
    try {
      return original.call(this, options);
    } finally {
      const ms = performance.now() - started;
      const program = basename(String(options?.file ?? '?'));
      const entry = (byProgram[program] ??= { count: 0, ms: 0 });
      entry.count++;
      entry.ms += ms;
      count++;
      total += ms;
      max = Math.max(max, ms);
    }
  };
  return {
    stop() {
      prototype.spawn = original;
      for (const entry of Object.values(byProgram)) entry.ms = Math.round(entry.ms);
      return { byProgram, count, ms: Math.round(total), max_ms: Math.round(max * 10) / 10 };
    },
  };
}
