// Even serialized, git commands can meet a lock held by someone else: the editor's own git
// extension polls `git status` (index.lock), a user runs git in a terminal, a crashed command left
// a worktree half-registered (commondir). These clear up within moments, so such failures are
// retried with a short backoff — and, for repository-level commands, after `git worktree prune`
// removes half-registered worktrees.

const LOCK_ERROR =
  /index\.lock|commondir|\.lock'?:? File exists|Unable to create '[^']*\.lock'|could not lock|cannot lock ref|unable to lock|Another git process seems to be running/i;

export function isLockError(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return LOCK_ERROR.test(text);
}

export interface LockRetryOptions {
  /** Total tries, the first included. Default 6. */
  readonly attempts?: number;
  /** First wait; doubles each time, with jitter. Default 50 ms. */
  readonly baseDelayMs?: number;
  /** Runs before each retry (e.g. `git worktree prune` and clean-up of a half-done add). */
  readonly beforeRetry?: (error: unknown) => Promise<void>;
}

export async function withLockRetry<T>(task: () => Promise<T>, options: LockRetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const base = options.baseDelayMs ?? 50;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= attempts || !isLockError(error)) throw error;
      const delay = base * 2 ** (attempt - 1) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
      await options.beforeRetry?.(error);
    }
  }
}
