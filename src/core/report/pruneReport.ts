// What pruning old runs did (src/core/run/pruneOldRuns.ts), and the one line that tells it: the
// CLI's `clean --runs` prints it, a run's progress shows it when the run's start pruned anything.
// Lives in report/ with the other words a run says (progressLine.ts), below run/ and the façade.
import type { PrunedRuns } from '../store';

export interface PruneReport extends Omit<PrunedRuns, 'fileBytes' | 'freeBytes'> {
  readonly keepRuns: number;
  /** Run folders (logs, prompts, status files, summary.md, metrics.json) removed from the disk. */
  readonly folders: number;
  /** Their size, in bytes. */
  readonly folderBytes: number;
  /** The file's size before and after VACUUM, when pruning freed enough to compact it. */
  readonly vacuum?: { readonly bytesBefore: number; readonly bytesAfter: number };
}

const MIB = 1024 * 1024;

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

/** E.g. "Pruned 12 old runs: 48,000 events, 96 logs, 3.1 MiB; database 9.0 → 5.9 MiB." */
export function describePrune(report: PruneReport): string {
  const runs = report.runIds.length;
  const vacuum = report.vacuum ? `; database ${mib(report.vacuum.bytesBefore)} → ${mib(report.vacuum.bytesAfter)}` : '';
  const nothing = `Nothing to prune: the newest ${report.keepRuns} run(s) are kept whole, and no older run has anything left to prune`;
  // Compacting owed by an earlier pruning whose process died before its VACUUM (pruneOldRuns.ts).
  if (runs === 0 && report.folders === 0) return report.vacuum ? `${nothing}; compacted what an earlier pruning freed${vacuum}.` : `${nothing}.`;
  const freed = report.bytesFreed + report.folderBytes;
  const parts = [
    `${report.events.toLocaleString('en-US')} events`,
    `${report.logs.toLocaleString('en-US')} logs`,
    ...(report.reports > 0 ? [`${report.reports} summaries`] : []),
    mib(freed),
  ];
  const folders = runs === 0 ? `Removed ${report.folders} folder(s) of runs pruned before` : `Pruned ${runs} old run${runs === 1 ? '' : 's'}`;
  return `${folders} (keeping the newest ${report.keepRuns}): ${parts.join(', ')}${vacuum}.`;
}
