// Fault injection for the crash tests (test/unit/faults): a named point in the engine where the
// process kills itself with SIGKILL, so a test can land a crash deterministically inside a window
// that lasts milliseconds (just after an agent's spawn, between a commit and the database flush,
// between retention's steps: pruneOldRuns.ts).
// Test infrastructure only: unless ORCH_FAULT_INJECTION names a point, this does nothing.

export const ENV_FAULT_INJECTION = 'ORCH_FAULT_INJECTION';

export type FaultPoint = 'agent-spawned' | 'work-committed' | 'runs-pruned' | 'run-folders-removed';

const hits = new Map<string, number>();

/**
 * Dies here when ORCH_FAULT_INJECTION is `point` (the first time it is reached) or `point@N`
 * (the N-th time).
 */
export function faultPoint(point: FaultPoint): void {
  const wanted = process.env[ENV_FAULT_INJECTION];
  if (!wanted) return;
  const [name, nth] = wanted.split('@');
  if (name !== point) return;
  const count = (hits.get(point) ?? 0) + 1;
  hits.set(point, count);
  if (count === (nth === undefined ? 1 : Number(nth))) process.kill(process.pid, 'SIGKILL');
}
