// Fills a workspace's database with the event trace of many earlier runs before VS Code opens
// it: what a long-lived workspace looks like (docs/database.md: ~40 events per task, kept
// forever). Written through the store's own API by the runner (plain Node), in batches with a
// turn of the event loop between them so the store's batched flushes run as in a real run.
import { OrchestratorStore } from '../../src/core/store';

const EVENTS_PER_TASK = 40;
const TASKS_PER_RUN = 50;
const BATCH = 2_000;

export async function prefillEvents(databasePath: string, events: number): Promise<{ events: number; ms: number }> {
  const started = performance.now();
  const store = await OrchestratorStore.open(databasePath);
  try {
    for (let written = 0; written < events; ) {
      const end = Math.min(events, written + BATCH);
      for (; written < end; written++) {
        const task = Math.floor(written / EVENTS_PER_TASK);
        const run = Math.floor(task / TASKS_PER_RUN);
        store.recordEvent({
          kind: 'status_changed',
          runId: `orch-20260101-${String(run).padStart(6, '0')}-past`,
          taskId: `PAST-${run}-${task % TASKS_PER_RUN}`,
          fromStatus: 'running',
          toStatus: 'running',
          detail: { step: written % EVENTS_PER_TASK, note: 'an earlier run of this workspace' },
        });
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await store.flush();
  } finally {
    await store.close();
  }
  return { events, ms: Math.round(performance.now() - started) };
}
