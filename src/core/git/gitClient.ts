import { simpleGit, type SimpleGit } from 'simple-git';

// One place that decides how the orchestrator invokes git.
// - Its commits (dependency merges, the snapshot of an agent's work) carry a fixed orchestrator
//   identity, so they work on machines without a global git config and are recognisable in
//   history. Passed as `-c` options: simple-git v4 refuses GIT_* variables through `.env()`
//   (and this machine sets GIT_SSL_CAINFO), and it strips ambient GIT_* variables anyway.
// - commit.gpgsign=false: a signing prompt would hang a headless run.
// - gc.auto=0 / maintenance.auto=false: an auto-gc started by one command would race with the
//   next worktree command; the user's own git use still collects garbage.

export interface GitIdentity {
  readonly name: string;
  readonly email: string;
}

export const ORCHESTRATOR_IDENTITY: GitIdentity = { name: 'Agent Orchestrator', email: 'agent-orchestrator@localhost' };

/** The `-c` settings of every git command the orchestrator runs, besides the identity. */
export const GIT_SETTINGS: readonly string[] = ['commit.gpgsign=false', 'gc.auto=0', 'maintenance.auto=false', 'core.quotepath=false'];

/**
 * How long after a git's exit its result is taken without its 'close' (all output delivered).
 * simple-git's default is 50 ms, and then the result is whatever output had arrived: through the
 * spawn helper on a loaded machine the exit can be reported hundreds of ms before the output, and
 * `rev-parse` of an existing branch came back empty (a task failed with "dependency branch … does
 * not exist"), a failing command with no error. 'close' is the answer; this only ends the wait
 * for a git whose output pipe a background child of its own keeps open.
 */
const CLOSE_AFTER_EXIT_MS = 10_000;

export function createGit(baseDir: string, identity: GitIdentity = ORCHESTRATOR_IDENTITY): SimpleGit {
  return simpleGit({
    baseDir,
    config: [`user.name=${identity.name}`, `user.email=${identity.email}`, ...GIT_SETTINGS],
    completion: { onClose: true, onExit: CLOSE_AFTER_EXIT_MS },
  }).outputHandler(endSilentCommandsAtOnce);
}

/**
 * simple-git holds back the result of any command that printed nothing for another 50 ms (its
 * completion plugin). Several of ours print nothing when all is well — `add --all`, `diff --cached`
 * with nothing staged, the branch check before `worktree add` (inside the per-repository queue) —
 * so that was 100–150 ms of every task attempt (bench/: `npm run bench`). Once stdout has ended no
 * output can follow, so an empty chunk then tells simple-git the command is done; output unchanged.
 */
function endSilentCommandsAtOnce(_command: string, stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream): void {
  let printed = false;
  const onOutput = () => {
    printed = true;
  };
  stdout.once('data', onOutput);
  stderr.once('data', onOutput);
  stdout.once('end', () => {
    if (!printed) stdout.emit('data', Buffer.alloc(0));
  });
}

/** The first line of a git error, without simple-git's framing, for messages. */
export function gitErrorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // The first line that says something; '' when nothing does, so callers can fall back.
  return text.trim().split('\n')[0]?.trim() ?? '';
}
