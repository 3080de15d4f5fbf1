import { existsSync } from 'node:fs';
import { WorktreeMissingError } from './errors';
import { GIT_SETTINGS, gitErrorText } from './gitClient';
import { spawnChild } from '../process/spawnChild';

// git run by a bare spawn rather than through simple-git, for the commands every task attempt
// runs after its agent: its work's commit (branchWork.ts commitAll: `add`, `commit`, with its own
// lock retry), and for the review room's reads (changed files, blobs, merge-tree: many small
// queries, and a blob must stay bytes). simple-git's per-command pipeline (its argv and
// environment safety scans, plugin chain, loggers, a stdin pipe) costs about 1 ms of the host's
// CPU per command, as much again as the spawn itself; on the no-op benchmark that was 66 ± 21 ms
// of the CLI's CPU and ~100 ms of wall time per 50-task run (bench/, alternating pairs).
// Worktree creation and removal stay on simple-git. No lock retries here: callers that write
// retry themselves (lockRetry.ts).

/**
 * The environment git gets: the host's, without GIT_* variables. Like simple-git, which strips
 * them too: a GIT_DIR or GIT_INDEX_FILE inherited from a hook or a terminal would point the
 * query at another repository.
 */
function gitEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toUpperCase().startsWith('GIT_')) env[key] = value;
  }
  return env;
}

/**
 * stdout of `git <args>` run in `cwd`; rejects with git's first stderr line when it fails.
 * `input` goes to its stdin (batch commands such as `diff-tree --stdin`, one process for many queries).
 */
export async function gitOutput(cwd: string, args: readonly string[], input?: string): Promise<string> {
  return (await gitBytes(cwd, args, [0], input)).stdout.toString('utf8');
}

export interface GitExit {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * `git <args>` in `cwd` with its raw stdout; exit codes in `okCodes` (default 0 only) resolve, for
 * the commands whose exit code is an answer (`merge-tree` exits 1 for "conflicts").
 */
export function gitBytes(cwd: string, args: readonly string[], okCodes: readonly number[] = [0], input?: string): Promise<GitExit> {
  return new Promise((resolve, reject) => {
    const child = spawnChild('git', [...GIT_SETTINGS.flatMap((setting) => ['-c', setting]), ...args], {
      cwd,
      env: gitEnvironment(),
      stdin: input === undefined ? 'ignore' : 'pipe',
    });
    // A git that exits before reading all of it closes the pipe: its exit code says what went wrong.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      // spawn() reports a missing working directory as ENOENT too, like a missing program.
      if (error.code === 'ENOENT' && !existsSync(cwd)) reject(new WorktreeMissingError(cwd));
      else reject(new Error(error.code === 'ENOENT' ? 'git not found on PATH — install git' : `git ${args[0]} could not be started: ${error.message}`));
    });
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      const errText = Buffer.concat(stderr).toString('utf8');
      if (code !== null && okCodes.includes(code)) return resolve({ code, stdout: Buffer.concat(stdout), stderr: errText });
      const firstLine = gitErrorText(errText);
      reject(new Error(`git ${args[0]} failed in ${cwd} (${signal ?? `exit ${code}`})${firstLine ? `: ${firstLine}` : ''}`));
    });
  });
}
