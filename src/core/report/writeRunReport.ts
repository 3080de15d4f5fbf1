// Ends a run with its report: summary.md and metrics.json in the run's folder, the run's row
// ended with both. Lives in report/ beside the facts and the formats it writes (runFacts.ts,
// runReport.ts); the orchestrator only calls it when the scheduler is done.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OrchestratorStore } from '../store';
import { runMetrics, summaryMarkdown, type RunFacts, type RunMetrics } from './runReport';

/** The part of the store ending a run writes. */
export type RunEnding = Pick<OrchestratorStore, 'endRun' | 'flush'>;

export interface WrittenReport {
  readonly summaryMd: string;
  readonly metrics: RunMetrics;
  readonly summaryPath: string;
  readonly metricsPath: string;
}

/** Writes the report of the run `facts` describe into `runDir`, and ends its row; resolves once all of it is on disk. */
export async function writeRunReport(store: RunEnding, facts: RunFacts, runDir: string): Promise<WrittenReport> {
  const { runId, status } = facts;
  const metrics = runMetrics(facts);
  const summaryMd = summaryMarkdown(facts, metrics);
  const summaryPath = join(runDir, 'summary.md');
  const metricsPath = join(runDir, 'metrics.json');
  const runStatus = status === 'completed' ? 'completed' : status === 'cancelled' ? 'cancelled' : 'failed';
  store.endRun(runId, { status: runStatus, summaryMd, metrics: { ...metrics } });
  // The user waits for these: the two files and the database go to the disk side by side, and
  // the run's end shares its flush with the last task's final state (StoreDatabase.schedule).
  await Promise.all([
    writeFile(summaryPath, summaryMd, 'utf8'),
    writeFile(metricsPath, `${JSON.stringify(metrics, null, 2)}\n`, 'utf8'),
    store.flush(),
  ]);
  return { summaryMd, metrics, summaryPath, metricsPath };
}
