// Which git this machine has, and whether it does what the orchestrator asks of it: worktrees
// (git 2.5) for every attempt, and `merge-tree --write-tree` (git 2.38) for simulating merges
// before review merges anything (./mergePrecheck.ts falls back to a slower temporary worktree
// without it). "Check Agents" reports it (src/core/run/checkAgents.ts); mergePrecheck.ts reads
// the version with the same parser.
import { findOnPath, programVersion } from '../process';

export interface GitVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** The versions features need: [major, minor]. */
export const GIT_NEEDS = {
  worktrees: [2, 5],
  mergeTreeWriteTree: [2, 38],
} as const satisfies Record<string, readonly [number, number]>;

/** "git version 2.39.5", "git version 2.37.1 (Apple Git-137.1)", "git version 2.41.0.windows.1". */
export function parseGitVersion(text: string): GitVersion | undefined {
  const match = /(?:^|\s)(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

export function gitAtLeast(version: GitVersion, [major, minor]: readonly [number, number]): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

export interface GitCheck {
  /** Where git is; undefined when it is not on PATH. */
  readonly path?: string;
  /** `git --version`'s line, when it answered. */
  readonly versionText?: string;
  readonly version?: GitVersion;
  /** Worktrees work: every run needs this. */
  readonly usable: boolean;
  /** `merge-tree --write-tree` works: review's merge simulation is fast. */
  readonly mergeTree: boolean;
  /** What is wrong or missing, in words; empty when all is well. */
  readonly problems: readonly string[];
}

/** Finds git on PATH and asks its version, within `timeoutMs`. */
export async function checkGit(cwd: string, timeoutMs: number, pathVariable?: string): Promise<GitCheck> {
  const found = findOnPath('git', { path: pathVariable, cwd });
  if (found.state !== 'found') {
    const why = found.state === 'missing' ? 'git was not found on PATH' : `git at ${found.path} cannot be executed`;
    return { usable: false, mergeTree: false, problems: [`${why}: install git ${GIT_NEEDS.mergeTreeWriteTree.join('.')} or later`] };
  }
  const probe = await programVersion([found.path, '--version'], { cwd, timeoutMs });
  if (probe.state !== 'ok') {
    const why = probe.state === 'timed-out' ? `did not answer within ${probe.afterMs} ms` : probe.message;
    return { path: found.path, usable: false, mergeTree: false, problems: [`git --version ${why}`] };
  }
  const version = parseGitVersion(probe.text);
  if (!version) return { path: found.path, versionText: probe.text, usable: false, mergeTree: false, problems: [`cannot read a version in "${probe.text}"`] };
  const usable = gitAtLeast(version, GIT_NEEDS.worktrees);
  const mergeTree = gitAtLeast(version, GIT_NEEDS.mergeTreeWriteTree);
  const problems = [
    ...(usable ? [] : [`git ${GIT_NEEDS.worktrees.join('.')} or later is needed for worktrees`]),
    ...(mergeTree ? [] : [`git ${GIT_NEEDS.mergeTreeWriteTree.join('.')} or later simulates merges without a temporary worktree (review is slower without it)`]),
  ];
  return { path: found.path, versionText: probe.text, version, usable, mergeTree, problems };
}
