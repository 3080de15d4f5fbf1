// The conflict radar's pairs (orchestrator_overlap): two tasks of one run that touched the same
// files, and, once both branches are final, whether merging them conflicts. The radar
// (src/core/review/conflictRadar.ts) decides; this file only keeps what it found, so the tree, the
// dashboard, `conflicts` and summary.md read the same pairs after the run.
import type { Database } from 'sql.js';
import { isoNow } from '../model';
import { recordEvent } from './events';
import { queryAll, queryOne } from './sqlite';

/** One pair as stored; src/core/review/types.ts calls it OverlapPair. */
export interface OverlapRecord {
  readonly runId: string;
  /** taskA < taskB in string order. */
  readonly taskA: string;
  readonly taskB: string;
  readonly files: readonly string[];
  /** null: not known yet (one of them is still running, or merge-tree was not asked). */
  readonly conflict: boolean | null;
  readonly firstSeenAt: string;
}

export interface OverlapSighting {
  readonly runId: string;
  readonly taskA: string;
  readonly taskB: string;
  readonly files: readonly string[];
  /** null while either task still runs: a verdict found earlier is then replaced by null again. */
  readonly conflict: boolean | null;
}

/** What a sighting did: `first` when the pair is new, `changed` when its files or verdict moved. */
export interface OverlapUpdate {
  readonly pair: OverlapRecord;
  readonly first: boolean;
  readonly changed: boolean;
}

interface OverlapRow {
  run_id: string;
  task_a: string;
  task_b: string;
  files: string;
  conflict: number | null;
  first_seen_at: string;
}

function fromRow(row: OverlapRow): OverlapRecord {
  return {
    runId: row.run_id,
    taskA: row.task_a,
    taskB: row.task_b,
    files: JSON.parse(row.files) as string[],
    conflict: row.conflict === null ? null : row.conflict === 1,
    firstSeenAt: row.first_seen_at,
  };
}

/**
 * Records one sighting of a pair: inserted the first time (with an `overlap_detected` event in the
 * trace), updated when its files or its conflict verdict changed (`overlap_updated` when the
 * verdict became known), left alone otherwise so a radar tick that found nothing new writes nothing.
 */
export function upsertOverlap(db: Database, sighting: OverlapSighting, now: string = isoNow()): OverlapUpdate {
  const { runId, taskA, taskB } = sighting;
  if (!(taskA < taskB)) throw new Error(`overlap pair out of order: ${taskA} must sort before ${taskB}`);
  const files = [...new Set(sighting.files)].sort();
  const conflict = sighting.conflict === null ? null : sighting.conflict ? 1 : 0;
  const old = queryOne<OverlapRow>(db, 'SELECT * FROM orchestrator_overlap WHERE run_id = ? AND task_a = ? AND task_b = ?', [runId, taskA, taskB]);
  if (!old) {
    const row = queryOne<OverlapRow>(
      db,
      `INSERT INTO orchestrator_overlap (run_id, task_a, task_b, files, conflict, first_seen_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [runId, taskA, taskB, JSON.stringify(files), conflict, now, now],
    ) as OverlapRow;
    recordEvent(db, { kind: 'overlap_detected', runId, taskId: taskA, detail: { taskA, taskB, files, conflict: fromRow(row).conflict } }, now);
    return { pair: fromRow(row), first: true, changed: true };
  }
  if (old.files === JSON.stringify(files) && old.conflict === conflict) return { pair: fromRow(old), first: false, changed: false };
  const row = queryOne<OverlapRow>(
    db,
    'UPDATE orchestrator_overlap SET files = ?, conflict = ?, updated_at = ? WHERE run_id = ? AND task_a = ? AND task_b = ? RETURNING *',
    [JSON.stringify(files), conflict, now, runId, taskA, taskB],
  ) as OverlapRow;
  if (old.conflict !== conflict && conflict !== null) {
    recordEvent(db, { kind: 'overlap_updated', runId, taskId: taskA, detail: { taskA, taskB, files, conflict: conflict === 1 } }, now);
  }
  return { pair: fromRow(row), first: false, changed: true };
}

/** A run's pairs, in the order they were first seen. */
export function listOverlaps(db: Database, runId: string): OverlapRecord[] {
  return queryAll<OverlapRow>(db, 'SELECT * FROM orchestrator_overlap WHERE run_id = ? ORDER BY first_seen_at, task_a, task_b', [runId]).map(fromRow);
}
