// After a merge or discard (src/core/review/), the summary.md of the runs whose tasks changed
// review state gets its Review section rewritten (reviewSection.ts), so the report a user opens
// says where the work went. The façade passes this to the review room as its after-change hook.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OrchestratorStore } from '../store';
import { reviewSection, withReviewSection } from './reviewSection';
import { runFacts } from './runFacts';
import { workItems } from './runReport';

/** The part of the store refreshing summaries reads. */
export type ReviewHistory = Pick<OrchestratorStore, 'listTasks' | 'listRunAttempts' | 'getRun' | 'listReviews' | 'getTask'>;

/** Rewrites the Review section of `<orchestratorDir>/runs/<run>/summary.md` for each run that owns one of `taskIds`. */
export async function refreshRunSummaries(store: ReviewHistory, orchestratorDir: string, taskIds: readonly string[]): Promise<void> {
  const runIds = new Set(taskIds.flatMap((taskId) => store.getTask(taskId)?.runId ?? []));
  for (const runId of runIds) {
    // Only the tasks and their reviews are read from these facts; the outline is not shown.
    const facts = runFacts(store, { runId, status: 'completed', strategy: '', maxParallel: 1, startedAt: '' });
    await refreshReviewSection(join(orchestratorDir, 'runs', runId, 'summary.md'), reviewSection(workItems(facts), facts.reviews ?? new Map()));
  }
}

/** Rewrites the Review section of the summary file at `summaryPath`; a missing file is left missing. */
export async function refreshReviewSection(summaryPath: string, section: readonly string[]): Promise<string | undefined> {
  let markdown: string;
  try {
    markdown = await readFile(summaryPath, 'utf8');
  } catch {
    return undefined;
  }
  const updated = withReviewSection(markdown, section);
  if (updated !== markdown) await writeFile(summaryPath, updated, 'utf8');
  return updated;
}
