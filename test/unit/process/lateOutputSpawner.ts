// A spawner for tests of what arrives after a child's exit: the real child runs, only the delivery
// is late, as on a loaded machine or through the spawn helper's relay (the helper may see the child
// exit before it has read the pipe, and both messages then cross the host's busy event loop).
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { spawnHere, type SpawnedChild, type Spawner } from '../../../src/core/process/spawnChild';

/**
 * A stand-in for a loaded relay (the real child runs; only the delivery is late): 'exit' is
 * passed on at once, the output and 'close' `delayMs` after the real child closed.
 */
export function lateOutput(delayMs: number): Spawner {
  return (file, args, options) => {
    const real = spawnHere(file, args, options);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const child = Object.assign(new EventEmitter(), {
      stdin: real.stdin,
      stdout,
      stderr,
      get pid() {
        return real.pid;
      },
      get killed() {
        return real.killed;
      },
      kill: (signal?: NodeJS.Signals | number) => real.kill(signal),
    }) as SpawnedChild;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    real.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    real.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    real.on('spawn', () => child.emit('spawn'));
    real.on('error', (error) => child.emit('error', error));
    real.on('exit', (code, signal) => child.emit('exit', code, signal));
    real.on('close', (code, signal) => {
      setTimeout(() => {
        let open = 2;
        const ended = () => --open === 0 && child.emit('close', code, signal);
        stdout.on('end', ended);
        stderr.on('end', ended);
        stdout.end(Buffer.concat(out));
        stderr.end(Buffer.concat(err));
      }, delayMs);
    });
    return child;
  };
}
