// A run whose owner is gone (its window or CLI was killed) stays `running` in the database until
// the next writer recovers it. The engine recovers on open (`Orchestrator.lastRecovery`); a window
// that takes the lock over later, from read-only, asks for it (`recoverAbandoned()`).
import type { Orchestrator } from '../../core/orchestrator';

/** What recovery did: the run it ended, the tasks it marked interrupted or completed, the agents it stopped. */
export interface RecoveryReport {
  readonly runId: string | undefined;
  readonly interrupted: readonly string[];
  readonly completed: readonly string[];
  readonly orphansStopped: readonly number[];
}

/** The engine's recovery API (src/core/orchestrator.ts), optional until every build has it. */
type Recovering = Orchestrator & {
  readonly lastRecovery?: RecoveryReport;
  recoverAbandoned?(): Promise<RecoveryReport>;
};

/**
 * The writer's recovery of a run nobody runs any more, or undefined when there was none. Only for
 * a writer that runs nothing itself: its own run is alive by definition.
 */
export async function recoverAbandonedRun(orchestrator: Orchestrator): Promise<RecoveryReport | undefined> {
  const engine = orchestrator as Recovering;
  if (engine.store.readOnly || engine.activeRunId !== undefined) return undefined;
  const onOpen = engine.lastRecovery;
  if (onOpen && didSomething(onOpen)) return onOpen;
  if (engine.latestRun()?.status !== 'running' && !hasRunningTask(engine)) return undefined;
  let report: RecoveryReport;
  if (engine.recoverAbandoned) {
    report = await engine.recoverAbandoned();
  } else {
    const recovered = engine.store.recoverInterrupted();
    await engine.store.flush();
    report = { runId: recovered.runs[0], interrupted: recovered.tasks, completed: [], orphansStopped: [] };
  }
  return didSomething(report) ? report : undefined;
}

function didSomething(report: RecoveryReport): boolean {
  return report.runId !== undefined || report.interrupted.length > 0 || report.completed.length > 0 || report.orphansStopped.length > 0;
}

function hasRunningTask(orchestrator: Orchestrator): boolean {
  return orchestrator.store.listOrchestratorTasks({ status: 'running' }).length > 0;
}
