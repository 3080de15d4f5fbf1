// The conflict radar of one run (src/core/review/conflictRadar.ts), wired to the run's store and
// events: the tasks it looks at are the run's latest attempts (running, or completed with their
// branch), the pairs it finds go to orchestrator_overlap and out as `overlap` events. In run/
// because it needs the store, the plan's graph and the run's event stream at once; the façade only
// starts it with the run and stops it before the report.
import { prerequisitesOf } from '../graph';
import type { PlanTask } from '../model';
import type { OrchestratorEvent } from '../report/runEvents';
import { ConflictRadar, type RadarTask } from '../review/conflictRadar';
import type { OrchestratorSettings } from '../settings';
import type { AttemptRecord, OrchestratorStore } from '../store';

export interface RunRadarParts {
  readonly runId: string;
  readonly repoDir: string;
  readonly tasks: readonly PlanTask[];
  readonly settings: Pick<OrchestratorSettings, 'conflictRadar' | 'conflictRadarIntervalMs'>;
  readonly store: Pick<OrchestratorStore, 'listRunAttempts' | 'recordOverlap' | 'recordEvent'>;
  readonly emit: (event: OrchestratorEvent) => void;
}

/** Each task's latest attempt of the run, as the radar sees it. */
export function radarTasks(attempts: readonly AttemptRecord[]): RadarTask[] {
  const latest = new Map<string, AttemptRecord>();
  for (const attempt of attempts) {
    const seen = latest.get(attempt.taskId);
    if (!seen || attempt.attemptNumber > seen.attemptNumber) latest.set(attempt.taskId, attempt);
  }
  const tasks: RadarTask[] = [];
  for (const attempt of latest.values()) {
    const running = attempt.endedAt === null;
    if (!running && attempt.outcome !== 'completed') continue; // a failed attempt's leftovers are not the task's work
    tasks.push({ taskId: attempt.taskId, running, worktree: attempt.worktree, branch: attempt.branch, startCommit: attempt.startCommit });
  }
  return tasks;
}

/** The run's radar, started; undefined when the `conflictRadar` setting is off. */
export function startRunRadar(parts: RunRadarParts): ConflictRadar | undefined {
  const { runId, store, emit, settings } = parts;
  if (!settings.conflictRadar) return undefined;
  const byId = new Map(parts.tasks.map((task) => [task.id, task]));
  const radar = new ConflictRadar({
    runId,
    repoDir: parts.repoDir,
    intervalMs: settings.conflictRadarIntervalMs,
    tasks: () => radarTasks(store.listRunAttempts(runId)),
    prerequisites: (taskId) => {
      const task = byId.get(taskId);
      return task ? prerequisitesOf(task, byId) : [];
    },
    record: (sighting) => store.recordOverlap(sighting),
    onPair: (pair, first) => emit({ type: 'overlap', runId, pair, first }),
    // The radar only informs: a failed look is traced, and the run goes on.
    onError: (error) => store.recordEvent({ kind: 'overlap_radar_failed', runId, detail: { message: error instanceof Error ? error.message : String(error) } }),
  });
  radar.start();
  return radar;
}
