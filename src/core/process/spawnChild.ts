// The one place the engine starts a child process. By default that is Node's spawn() in this
// process; a long-lived host with a big heap (the extension host) switches to the spawn helper
// (spawnHelperClient.ts) so that no fork ever runs on its thread. simple-git's spawns come here
// too: the build points its `child_process` import at childProcessForLibraries.ts.
import { spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/** The options the engine passes: no shell, ever. */
export interface ChildOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly detached?: boolean;
  /** stdin's mode; stdout and stderr are always pipes. Default 'pipe'. */
  readonly stdin?: 'pipe' | 'ignore';
}

/**
 * What callers may use of a started child: Node's ChildProcess has all of it, and so does the
 * helper's stand-in. The pid is known from the 'spawn' event on (at once for Node's, after a
 * message for the helper's); 'error' without 'spawn' means it never started.
 */
export interface SpawnedChild extends EventEmitter {
  readonly pid?: number;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly killed: boolean;
  kill(signal?: NodeJS.Signals | number): boolean;
}

export type Spawner = (file: string, args: readonly string[], options: ChildOptions) => SpawnedChild;

export const spawnHere: Spawner = (file, args, options) =>
  spawn(file, [...args], {
    cwd: options.cwd,
    env: options.env,
    detached: options.detached ?? false,
    shell: false,
    stdio: [options.stdin ?? 'pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });

let current: Spawner = spawnHere;

/** Starts `file` with `args` (argv, never a shell string) through the current spawner. */
export function spawnChild(file: string, args: readonly string[], options: ChildOptions = {}): SpawnedChild {
  return current(file, args, options);
}

/** Makes `spawner` start every child from now on; `undefined` goes back to spawning here. */
export function useSpawner(spawner: Spawner | undefined): void {
  current = spawner ?? spawnHere;
}
