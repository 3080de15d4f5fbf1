import { loginHint, readStatusFile, type AgentEvent, type AgentProfile } from '../agents';
import type { ProcessResult } from '../process';
import type { AttemptResult } from '../scheduler/types';

// How one agent run ended, from its exit code and its structured events (docs/agent-signals.md).
// The order matters:
// 1. an attempt that succeeded (exit 0, no failed final result, no failed status file) is a
//    success, whatever the agent said on the way — a CLI that retried past a 429 did its work;
// 2. an authentication failure (a structured event, or the exit code the profile declares for it)
//    fails the task with no retry and says how to log in;
// 3. a rate limit (a structured event, the declared exit code, or — for CLIs with no status
//    fields — a failed result's words) requeues the task;
// 4. anything else is an ordinary failure, with the agent's own reason when it gave one.

/** Why the executor stopped the agent itself, before it exited. */
export type ExecutorStop =
  | { readonly why: 'stalled'; readonly error: string }
  | { readonly why: 'authError'; readonly message: string };

/** The agent's outcome; undefined means it succeeded. */
export function agentVerdict(
  result: ProcessResult,
  events: readonly AgentEvent[],
  statusFile: string,
  profile: Pick<AgentProfile, 'name' | 'parser' | 'command' | 'exitCodes'>,
  stop?: ExecutorStop,
): AttemptResult | undefined {
  const tail = result.tail.join('\n');
  if (result.error) return { outcome: 'failed', error: result.error.message, tail };
  if (stop?.why === 'stalled') return { outcome: 'failed', error: stop.error, tail };

  const final = [...events].reverse().find((e) => e.kind === 'result');
  const failedResult = final?.kind === 'result' && !final.success;
  if (result.exitCode === 0 && !failedResult && stop === undefined) {
    const status = readStatusFile(statusFile);
    if (status.state === 'ok' && status.status.status === 'failed') {
      return { outcome: 'failed', error: status.status.error ?? 'the agent wrote a failed status', tail };
    }
    return undefined;
  }

  const declared = profile.exitCodes ?? {};
  const auth = events.find((e) => e.kind === 'authError' && e.evidence === 'structured');
  if (stop?.why === 'authError' || auth || (declared.authError !== undefined && result.exitCode === declared.authError)) {
    const said = stop?.why === 'authError' ? stop.message : auth?.kind === 'authError' ? auth.message : `exit code ${result.exitCode}`;
    return { outcome: 'auth_failed', agent: profile.name, error: `the "${profile.name}" agent is not logged in (${oneLine(said)}) — ${loginHint(profile)}`, tail };
  }

  const limited =
    events.find((e) => e.kind === 'rateLimited' && e.evidence === 'structured') ??
    (declared.rateLimited !== undefined && result.exitCode === declared.rateLimited ? { kind: 'rateLimited' as const } : undefined) ??
    events.find((e) => e.kind === 'rateLimited');
  if (limited?.kind === 'rateLimited') {
    return { outcome: 'rate_limited', message: limited.message ?? `the agent exited with code ${result.exitCode} (rate limited)`, retryAfterMs: limited.retryAfterMs };
  }

  // The agent's own reason, when it gave one, is what a person needs in the summary.
  const reason = failedResult && final.error ? `: ${final.error}` : '';
  const wordsSayAuth = events.some((e) => e.kind === 'authError');
  const hint = wordsSayAuth ? ` — if it is not logged in: ${loginHint(profile)}` : '';
  if (result.exitCode !== 0) {
    return { outcome: 'failed', error: `agent exited with ${result.exitCode === null ? `signal ${result.signal}` : `code ${result.exitCode}`}${reason}${hint}`, tail };
  }
  return { outcome: 'failed', error: `${failedResult && final.error ? final.error : 'the agent reported failure'}${hint}`, tail };
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}
