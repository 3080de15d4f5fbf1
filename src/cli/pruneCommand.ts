// `clean --runs [--keep N]`: prune old runs on demand (docs/database.md, "Retention"), the same
// pruning a run's start does, with keepRuns from the settings unless --keep says otherwise. Apart
// from main.ts so the command switch stays a list.
import { describePrune, type Orchestrator, type PruneReport } from '../core';
import { UsageError } from './usageError';

/** The --keep value: a whole number ≥ 1, or undefined (the keepRuns setting). */
export function keepOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(value) || value < 1) throw new UsageError(`--keep takes a whole number ≥ 1 (the runs to keep whole), not "${raw}"`);
  return value;
}

/** Prunes and returns what to print: the report as JSON, or its one line. */
export async function pruneRunsCommand(o: Orchestrator, keep: number | undefined, json: boolean): Promise<string> {
  const report: PruneReport = await o.pruneRuns({ keepRuns: keep });
  return json ? JSON.stringify(report) : describePrune(report);
}
