// A run's id, made when the run starts. It names the run's row, its folder under
// .agent-orchestrator/runs/ and its agents' ORCH_RUN_ID, so it lives with the rest of a run.
import { randomHex } from '../randomHex';

/** orch-YYYYMMDD-HHMMSS-xxxx: sorts by start time (UTC), and the random suffix keeps two runs in one second apart. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `orch-${stamp}-${randomHex(2)}`;
}
