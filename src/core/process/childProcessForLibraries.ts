// What simple-git gets when it imports `child_process` (scripts/build.mjs redirects that import
// for simple-git only): Node's module with spawn() replaced by the engine's spawnChild(), so its
// git commands start wherever the engine's other children start (spawnChild.ts says why). Other
// code in the process, other extensions included, keeps Node's own child_process.
import * as childProcess from 'node:child_process';
import { spawnChild } from './spawnChild';

type NodeSpawnOptions = { cwd?: string | URL; env?: NodeJS.ProcessEnv; detached?: boolean; stdio?: unknown };

/** simple-git calls spawn(binary, args, { cwd, env, windowsHide }) and reads stdout/stderr. */
export function spawn(file: string, args: readonly string[] = [], options: NodeSpawnOptions = {}) {
  const stdinIgnored = options.stdio === 'ignore' || (Array.isArray(options.stdio) && options.stdio[0] === 'ignore');
  return spawnChild(file, args, {
    cwd: options.cwd === undefined ? undefined : String(options.cwd),
    env: options.env,
    detached: options.detached,
    stdin: stdinIgnored ? 'ignore' : 'pipe',
  });
}

export const { exec, execFile, execFileSync, execSync, fork, spawnSync, ChildProcess } = childProcess;
