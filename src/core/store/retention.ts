// Retention of old runs (docs/database.md, "Retention"): the event trace, the log paths and the
// summary of every run older than the newest `keepRuns` are removed, in one transaction, while
// what the views, review and later runs rely on stays: the run's row with its metrics (its
// totals), its run_started and run_ended events (the base commit an integration branch starts
// from, the counts it ended with), every task, spec, plan, attempt, review and follow-up. It lives
// in the store because it is a rule about rows; removing the run folders on disk and deciding
// when to compact the file is src/core/run/pruneOldRuns.ts's work.
import type { Database } from 'sql.js';
import { FINAL_STATUSES } from '../model';
import type { StoreDatabase } from './database';
import { recordEvent } from './events';
import { readFileSpace, type FileSpace } from './fileSpace';
import { execute, queryAll, queryOne } from './sqlite';

/** The marker left in a pruned run's trace: a run that has one is never pruned again. */
export const RUN_PRUNED_EVENT = 'run_pruned';
/** The pruning run's own record of what it pruned. */
export const RUNS_PRUNED_EVENT = 'runs_pruned';

/** Events a pruned run keeps: the ends of its trace, which other code reads (reviews.ts runBaseCommit). */
const KEPT_EVENT_KINDS = ['run_started', 'run_ended', RUN_PRUNED_EVENT] as const;

export interface PruneOptions {
  /** How many of the newest runs keep everything (the keepRuns setting): a whole number ≥ 1. */
  readonly keepRuns: number;
  /** The run doing the pruning, if any: its trace records what was pruned. */
  readonly runId?: string;
}

export interface PrunedRuns {
  /** The runs pruned now, oldest first (runs pruned before are not counted again). */
  readonly runIds: readonly string[];
  readonly events: number;
  /** The conflict radar's pairs of those runs. */
  readonly overlaps: number;
  /** Attempts whose log path was cleared (their log files go with the run's folder). */
  readonly logs: number;
  /** Summaries (summary.md in the run's row) removed. */
  readonly reports: number;
  /** Database pages this pruning freed, in bytes. */
  readonly bytesFreed: number;
  /** The database's size and its free pages after pruning, in bytes (free pages are reused before the file grows). */
  readonly fileBytes: number;
  readonly freeBytes: number;
}

export class RetentionError extends Error {
  override readonly name = 'RetentionError';
}

/** Throws RetentionError naming the bad value unless `keepRuns` is a whole number ≥ 1. */
export function checkKeepRuns(keepRuns: unknown, what = 'keepRuns'): number {
  if (typeof keepRuns !== 'number' || !Number.isInteger(keepRuns) || keepRuns < 1) {
    throw new RetentionError(`${what} must be a whole number ≥ 1 (got ${typeof keepRuns === 'number' ? String(keepRuns) : JSON.stringify(keepRuns)})`);
  }
  return keepRuns;
}

function pageStats(db: Database): { pageSize: number; pages: number; free: number } {
  const number = (pragma: string) => Number(Object.values(queryOne<Record<string, number>>(db, `PRAGMA ${pragma}`) ?? { n: 0 })[0]);
  return { pageSize: number('page_size'), pages: number('page_count'), free: number('freelist_count') };
}

const FINAL = [...FINAL_STATUSES].map((status) => `'${status}'`).join(', ');

/**
 * Runs beyond the newest `keepRuns` that may be pruned, oldest first. Never a run still marked
 * running, nor one that owns a task not final yet (an interrupted or requeued task: its run is
 * still being worked on), nor one with an open attempt, nor one pruned before.
 */
export function prunableRuns(db: Database, keepRuns: number): string[] {
  return queryAll<{ run_id: string }>(
    db,
    `SELECT r.run_id FROM orchestrator_run r
      WHERE r.run_id NOT IN (SELECT run_id FROM orchestrator_run ORDER BY started_at DESC, run_id DESC LIMIT ?)
        AND r.status <> 'running'
        AND NOT EXISTS (SELECT 1 FROM orchestrator_task t WHERE t.run_id = r.run_id AND t.status NOT IN (${FINAL}))
        AND NOT EXISTS (SELECT 1 FROM orchestrator_attempt a WHERE a.run_id = r.run_id AND a.ended_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM orchestrator_event e WHERE e.run_id = r.run_id AND e.kind = '${RUN_PRUNED_EVENT}')
      ORDER BY r.started_at, r.run_id`,
    [keepRuns],
  ).map((row) => row.run_id);
}

/** Prunes what prunableRuns names; call inside one write transaction (RunRetention.prune does). */
export function pruneRuns(db: Database, options: PruneOptions): PrunedRuns {
  const keepRuns = checkKeepRuns(options.keepRuns);
  const before = pageStats(db);
  const runIds = prunableRuns(db, keepRuns);
  let events = 0;
  let overlaps = 0;
  let logs = 0;
  let reports = 0;
  const kept = KEPT_EVENT_KINDS.map((kind) => `'${kind}'`).join(', ');
  for (const runId of runIds) {
    const ofRun = execute(db, `DELETE FROM orchestrator_event WHERE run_id = ? AND kind NOT IN (${kept})`, [runId]);
    events += ofRun;
    overlaps += execute(db, 'DELETE FROM orchestrator_overlap WHERE run_id = ?', [runId]);
    logs += execute(db, 'UPDATE orchestrator_attempt SET log_path = NULL WHERE run_id = ? AND log_path IS NOT NULL', [runId]);
    reports += execute(db, 'UPDATE orchestrator_run SET summary_md = NULL WHERE run_id = ? AND summary_md IS NOT NULL', [runId]);
    recordEvent(db, { kind: RUN_PRUNED_EVENT, runId, detail: { by: options.runId ?? null, keepRuns, events: ofRun } });
  }
  const after = pageStats(db);
  const result: PrunedRuns = {
    runIds,
    events,
    overlaps,
    logs,
    reports,
    bytesFreed: Math.max(0, after.free - before.free) * after.pageSize,
    fileBytes: after.pages * after.pageSize,
    freeBytes: after.free * after.pageSize,
  };
  if (runIds.length > 0) {
    recordEvent(db, { kind: RUNS_PRUNED_EVENT, runId: options.runId, detail: { runIds, events, overlaps, logs, reports, bytesFreed: result.bytesFreed, keepRuns } });
  }
  return result;
}

/** The result of a pruning that found nothing to prune: zeros, and the file as it is. */
function nothingPruned(db: Database): PrunedRuns {
  const { pageSize, pages, free } = pageStats(db);
  return { runIds: [], events: 0, overlaps: 0, logs: 0, reports: 0, bytesFreed: 0, fileBytes: pages * pageSize, freeBytes: free * pageSize };
}

/** Every run pruned so far: their folders on disk may go (pruneOldRuns.ts sweeps them). */
export function prunedRunIds(db: Database): Set<string> {
  // By run, through the (run_id, event_id) index, rather than a scan of the whole trace by kind.
  const rows = queryAll<{ run_id: string }>(
    db,
    `SELECT r.run_id FROM orchestrator_run r WHERE EXISTS (SELECT 1 FROM orchestrator_event e WHERE e.run_id = r.run_id AND e.kind = '${RUN_PRUNED_EVENT}')`,
  );
  return new Set(rows.map((row) => row.run_id));
}

/** The store's retention calls (OrchestratorStore.retention()), bound to its database. */
export class RunRetention {
  constructor(private readonly database: StoreDatabase) {}

  /** Prunes old runs in one write transaction, flushed at once; a failure changes nothing. */
  prune(options: PruneOptions): PrunedRuns {
    const keepRuns = checkKeepRuns(options.keepRuns);
    // The usual run start has nothing to prune: then nothing is written (a write means a flush
    // of the whole file).
    const idle = this.database.read((db) => (prunableRuns(db, keepRuns).length === 0 ? nothingPruned(db) : undefined));
    return idle ?? this.database.write((db) => pruneRuns(db, options), { urgent: true });
  }

  prunedRunIds(): Set<string> {
    return this.database.read((db) => prunedRunIds(db));
  }

  /** The file on disk as last flushed: its size and free pages (fileSpace.ts says why not the copy in memory). */
  fileSpace(): FileSpace {
    return readFileSpace(this.database.path);
  }

  /** Compacts the file (StoreDatabase.vacuum): its size before and after, in bytes. */
  vacuum(): Promise<{ bytesBefore: number; bytesAfter: number }> {
    return this.database.vacuum();
  }
}
