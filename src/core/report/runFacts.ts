// The facts a run's report is made of, read from the store once the run has ended: each task's
// final row with its attempts counted and its completed branch, and every attempt of the run.
// Lives in report/ with the summary and metrics built from these facts (runReport.ts).
import type { TaskStatus } from '../model';
import type { AttemptRecord, OrchestratorStore } from '../store';
import type { RunFacts } from './runReport';

/** The part of the store a report reads. */
export type RunHistory = Pick<OrchestratorStore, 'listTasks' | 'listRunAttempts' | 'getRun'> & Partial<Pick<OrchestratorStore, 'listReviews' | 'listOverlaps'>>;

/** What the store does not say about the run: how it ended and the settings it ran with. */
export interface RunOutline {
  readonly runId: string;
  readonly status: TaskStatus;
  readonly strategy: string;
  readonly maxParallel: number;
  readonly startedAt: string;
}

export function runFacts(store: RunHistory, { runId, status, strategy, maxParallel, startedAt }: RunOutline): RunFacts {
  const views = store.listTasks({ runId });
  // One query for the run's attempts (in start order, so each task's in attempt order), not two
  // per task: this runs while the user waits for the summary.
  const attemptsOf = new Map<string, AttemptRecord[]>();
  for (const attempt of store.listRunAttempts(runId)) {
    const ofTask = attemptsOf.get(attempt.taskId);
    if (ofTask) ofTask.push(attempt);
    else attemptsOf.set(attempt.taskId, [attempt]);
  }
  return {
    runId,
    planSource: store.getRun(runId)?.planSource ?? undefined,
    status,
    strategy,
    maxParallel,
    startedAt,
    endedAt: new Date().toISOString(),
    tasks: views.map((view) => {
      const attempts = attemptsOf.get(view.taskId) ?? [];
      const done = attempts.filter((a) => a.outcome === 'completed').at(-1);
      return {
        taskId: view.taskId,
        title: view.title ?? view.taskId,
        status: view.status ?? 'spawned',
        parentId: view.parentTaskId ?? undefined,
        branch: done?.branch ?? undefined,
        error: view.errorMessage ?? undefined,
        attempts: attempts.length,
      };
    }),
    attempts: views.flatMap((view) => attemptsOf.get(view.taskId) ?? []),
    reviews: new Map((store.listReviews?.() ?? []).map((review) => [review.taskId, review])),
    overlaps: store.listOverlaps?.(runId) ?? [],
  };
}
