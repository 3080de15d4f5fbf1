// A run whose owner is gone (its window or CLI was killed) stays `running` in the database until
// the next writer recovers it. The engine recovers on open (`Orchestrator.lastRecovery`); a window
// that takes the lock over later, from read-only, asks for it (`recoverAbandoned()`).
import { recoveredAnything, type Orchestrator, type RecoveryReport } from '../../core';

export type { RecoveryReport } from '../../core';

/**
 * The writer's recovery of a run nobody runs any more, or undefined when there was none:
 * Orchestrator.open did it already when it opened as the writer; a store that became the writer
 * later (`tookOver`) recovers now.
 */
export async function recoverAbandonedRun(orchestrator: Orchestrator, how: 'opened' | 'tookOver'): Promise<RecoveryReport | undefined> {
  if (orchestrator.readOnly) return undefined;
  if (how === 'opened') return orchestrator.lastRecovery;
  const report = await orchestrator.recoverAbandoned();
  return recoveredAnything(report) ? report : undefined;
}

/** The log's line about a recovery this window made. */
export function describeRecoveredRun(report: RecoveryReport): string {
  return (
    `recovered run ${report.runId ?? '?'} whose owner had stopped: interrupted ${report.interrupted.join(', ') || 'no tasks'}` +
    `${report.completed.length > 0 ? `; completed ${report.completed.join(', ')}` : ''}` +
    `${report.orphansStopped.length > 0 ? `; stopped orphaned agents ${report.orphansStopped.join(', ')}` : ''}`
  );
}
