// Putting finished-but-unsuccessful tasks back in the queue for the next run (the façade's
// retry(), the CLI's `retry`, the editor's "Retry"). In run/ because it prepares a run; the
// statuses that may be retried are model.ts's.
import { RETRYABLE_STATUSES } from '../model';
import type { OrchestratorStore } from '../store';

/** Requeues `taskIds` (each must be retryable), or every retryable task; returns the ids requeued. */
export async function retryTasks(store: OrchestratorStore, taskIds?: readonly string[]): Promise<string[]> {
  const rows = store.listOrchestratorTasks();
  const wanted = taskIds ? new Set(taskIds) : undefined;
  for (const id of wanted ?? []) if (!rows.some((row) => row.taskId === id)) throw new Error(`${id} has not run yet, so there is nothing to retry`);
  const retried: string[] = [];
  for (const row of rows) {
    if (wanted && !wanted.has(row.taskId)) continue;
    if (!RETRYABLE_STATUSES.has(row.status)) {
      if (wanted) throw new Error(`${row.taskId} is ${row.status}; only failed, timed-out, cancelled, blocked or interrupted tasks can be retried`);
      continue;
    }
    store.transition(row.taskId, 'spawned', { reason: 'retry requested by the user' });
    retried.push(row.taskId);
  }
  await store.flush();
  return retried;
}
