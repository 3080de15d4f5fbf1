import { basename } from 'node:path';
import { spawnHere, useSpawner } from '../../../src/core/process/spawnChild';

// Records the git commands the engine starts while `work` runs (through the engine's spawner,
// which simple-git's spawns go through too), for tests that pin how many processes a step costs:
// each is a fork of the host's spawn helper, the main part of the orchestrator's CPU per task.

/** The git subcommands started while `work` ran, in order (e.g. ["add", "commit"], ["worktree remove"]), and its result. */
export async function gitCallsDuring<T>(work: () => Promise<T>): Promise<{ calls: string[]; result: T }> {
  const calls: string[] = [];
  useSpawner((file, args, options) => {
    if (basename(file) === 'git') calls.push(subcommand(args));
    return spawnHere(file, args, options);
  });
  try {
    return { calls, result: await work() };
  } finally {
    useSpawner(undefined);
  }
}

/** The first argument after git's global options (`-c name=value`, `--literal-pathspecs`, …); `worktree` with its verb. */
function subcommand(args: readonly string[]): string {
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) i += args[i] === '-c' || args[i] === '-C' ? 2 : 1;
  return args[i] === 'worktree' ? `worktree ${args[i + 1]}` : (args[i] ?? '');
}
