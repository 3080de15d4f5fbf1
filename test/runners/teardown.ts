// Whatever a runner starts (temp folders, code-server, Chromium) is registered here and undone
// in reverse order, each step under a deadline, so a hung browser or server cannot keep a CI job
// alive. Ctrl-C and SIGTERM run the same teardown before exiting.
import { descendantPids, killTree } from './processTree';

type Step = { name: string; undo: () => unknown; deadlineMs: number };

export class Teardown {
  private readonly steps: Step[] = [];
  private running: Promise<void> | undefined;
  /** Set when Ctrl-C or SIGTERM started the teardown; the run's own errors are moot then. */
  interrupted = false;

  constructor() {
    const onSignal = (signal: NodeJS.Signals) => {
      this.interrupted = true;
      process.stderr.write(`\n${signal}: tearing down\n`);
      void this.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  add(name: string, undo: () => unknown, deadlineMs = 10_000): void {
    this.steps.push({ name, undo, deadlineMs });
  }

  /** Runs every step once, newest first, then kills any process this runner still has below it. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await withDeadline(Promise.resolve().then(step.undo), step.deadlineMs, `teardown: ${step.name}`);
        } catch (error) {
          process.stderr.write(`${(error as Error).message}\n`);
        }
      }
      for (const pid of descendantPids(process.pid)) await killTree(pid, 2000);
    })();
    return this.running;
  }
}

export class DeadlineError extends Error {}

export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** The whole run's time limit: TEST_HOST_TIMEOUT_MS, or the runner's default. */
export function overallTimeoutMs(defaultMs: number): number {
  const fromEnv = Number(process.env.TEST_HOST_TIMEOUT_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : defaultMs;
}
