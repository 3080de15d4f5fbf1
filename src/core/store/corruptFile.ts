// Decides whether bytes read from disk are a database this version may use, and moves a file
// that is not out of the way when the user asked to start over (database.ts decides when).
// Nothing here ever deletes or overwrites a user's file.
import { existsSync, renameSync } from 'node:fs';
import type { Database, SqlJsStatic } from 'sql.js';
import type { FileProblem } from './errors';
import { APPLICATION_ID, SCHEMA_VERSION } from './schema';
import { pragmaNumber, queryAll } from './sqlite';

const SQLITE_HEADER = 'SQLite format 3\0';

export type Inspection =
  | { readonly kind: 'usable'; readonly db: Database; readonly version: number }
  | { readonly kind: 'rejected'; readonly problem: FileProblem; readonly detail: string };

function printable(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 16), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
}

/**
 * Opens `bytes` (empty: a new database) if they hold an empty SQLite database or one of ours at
 * a version we know; otherwise says why not. A zero-length file is what SQLite itself treats
 * as an empty database, so nothing is lost by adopting it.
 */
export function inspectDatabaseBytes(SQL: SqlJsStatic, bytes: Uint8Array): Inspection {
  if (bytes.length === 0) return { kind: 'usable', db: new SQL.Database(), version: 0 };
  if (bytes.length < 100 || new TextDecoder().decode(bytes.subarray(0, 16)) !== SQLITE_HEADER) {
    return { kind: 'rejected', problem: 'not_sqlite', detail: `is not a SQLite database (it starts with "${printable(bytes)}")` };
  }
  const truncation = truncationOf(bytes);
  if (truncation) return { kind: 'rejected', problem: 'damaged', detail: truncation };
  const db = new SQL.Database(bytes);
  let verdict: Inspection;
  try {
    verdict = judge(db);
  } catch (error) {
    verdict = { kind: 'rejected', problem: 'damaged', detail: `is a damaged SQLite database (${(error as Error).message})` };
  }
  if (verdict.kind === 'rejected') db.close();
  return verdict;
}

/**
 * A file cut short (a copy that stopped, a full disk, a sync tool) can still open, and a cut at a
 * page boundary may pass quick_check when the lost pages are not reached. The header records the
 * database's size in pages (offset 28), valid when its "version-valid-for" number (offset 92)
 * matches the change counter (offset 24): fewer bytes than that is a truncated file.
 */
function truncationOf(bytes: Uint8Array): string | undefined {
  const header = new DataView(bytes.buffer, bytes.byteOffset, 100);
  const rawPageSize = header.getUint16(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = header.getUint32(28);
  const sizeIsValid = pages > 0 && header.getUint32(24) === header.getUint32(92);
  if (!sizeIsValid || pageSize < 512) return undefined;
  const expected = pages * pageSize;
  if (bytes.length >= expected) return undefined;
  return `is truncated: its header counts ${pages} pages of ${pageSize} bytes (${expected} bytes) but the file holds only ${bytes.length} bytes`;
}

function judge(db: Database): Inspection {
  const check = queryAll<{ quick_check: string }>(db, 'PRAGMA quick_check').map((row) => row.quick_check);
  if (check.join() !== 'ok') {
    return { kind: 'rejected', problem: 'damaged', detail: `is a damaged SQLite database (${check.slice(0, 3).join('; ')})` };
  }
  const applicationId = pragmaNumber(db, 'application_id');
  const version = pragmaNumber(db, 'user_version');
  if (applicationId === APPLICATION_ID) {
    if (version > SCHEMA_VERSION) {
      return {
        kind: 'rejected',
        problem: 'future_version',
        detail: `was written by a newer Agent Orchestrator (schema v${version}; this version knows up to v${SCHEMA_VERSION})`,
      };
    }
    return { kind: 'usable', db, version };
  }
  const tables = queryAll<{ name: string }>(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((row) => row.name);
  if (tables.length === 0 && version === 0) return { kind: 'usable', db, version: 0 };
  return {
    kind: 'rejected',
    problem: 'foreign',
    detail: `is a SQLite database of another application (application_id ${applicationId}, user_version ${version}, tables: ${tables.slice(0, 5).join(', ') || 'none'})`,
  };
}

/** Renames `path` to `<path>.corrupt-<UTC timestamp>` and returns the new name. */
export function moveAside(path: string, at: Date = new Date()): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  let target = `${path}.corrupt-${stamp}`;
  for (let n = 1; existsSync(target); n++) target = `${path}.corrupt-${stamp}-${n}`;
  renameSync(path, target);
  return target;
}
