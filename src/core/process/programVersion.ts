// A program's `--version` line, asked with a time limit: "Check Agents" runs it for every agent
// profile and for git (src/core/run/checkAgents.ts), and a CLI that waits for a login prompt or
// a network must not hold the check up. Through runProcess like every other program the engine
// starts: argv only, its whole process tree stopped when the time is up.
import type { OutputStream } from './ports';
import { runProcess } from './processRunner';

export type VersionProbe =
  /** The first line the program printed (stdout first, else stderr). */
  | { readonly state: 'ok'; readonly text: string }
  | { readonly state: 'timed-out'; readonly afterMs: number }
  /** It could not start, or exited non-zero: the message says which. */
  | { readonly state: 'failed'; readonly message: string };

export interface VersionOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  /** Merged over the host's, as for the real launch (a profile's own environment). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Runs `argv` (e.g. ["/usr/bin/git", "--version"]) and reads its version line. */
export async function programVersion(argv: readonly string[], options: VersionOptions): Promise<VersionProbe> {
  const first: Partial<Record<OutputStream, string>> = {};
  const result = await runProcess({
    argv,
    cwd: options.cwd,
    env: options.env,
    timeoutMs: options.timeoutMs,
    // A version query has nothing to save: stop it at once when its time is up.
    killGraceMs: 500,
    tailLines: 5,
    commandLabel: 'program',
    onLine: (line, stream) => {
      if (first[stream] === undefined && line.trim() !== '') first[stream] = line.trim();
    },
  });
  if (result.timedOut) return { state: 'timed-out', afterMs: options.timeoutMs };
  if (result.error) return { state: 'failed', message: result.error.message };
  const text = first.stdout ?? first.stderr;
  if (result.exitCode !== 0) {
    const how = result.exitCode === null ? `was stopped by ${result.signal ?? 'a signal'}` : `exited with code ${result.exitCode}`;
    return { state: 'failed', message: `\`${argv.join(' ')}\` ${how}${text ? `: ${text}` : ''}` };
  }
  return text ? { state: 'ok', text } : { state: 'failed', message: `\`${argv.join(' ')}\` printed nothing` };
}
