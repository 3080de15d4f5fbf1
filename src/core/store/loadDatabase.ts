// Reading the database file into memory: its bytes become a usable database only if they are one
// of ours (or an empty SQLite file), upgraded to the current schema; a path with no file starts
// from the empty database the build made. A file that cannot be used stops the open with
// StoreFileError, unless the writer was asked to recover: then the file is moved aside and a new
// database starts (StoreOptions.recover in database.ts).
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { inspectDatabaseBytes, moveAside } from './corruptFile';
import { folderError } from './databaseFolder';
import { readEmptyDatabase } from './emptyDatabase';
import { StoreFileError, type FileProblem } from './errors';
import { migrate, missingTables } from './schema';

export interface Loaded {
  readonly db: Database;
  /**
   * The bytes `db` was opened from before its upgrade (the file's, or the empty database's copy);
   * undefined when it was made from nothing. The store's worker opens the same bytes the same
   * way (workerMirror.ts) instead of an export of `db`, which would block this thread.
   */
  readonly source: Uint8Array | undefined;
  readonly stamp: string | undefined;
  /** The file was migrated in memory, so the writer should persist it. */
  readonly upgraded: boolean;
  readonly movedAside: StoreFileError | undefined;
}

export interface LoadOptions {
  /** Only the writer may move a refused file aside, and only when the user asked to recover. */
  readonly asWriter: boolean;
  readonly recover: boolean | undefined;
  readonly emptyDatabasePath: string | undefined;
}

/** Identifies one version of the file: a flush renames a new inode into place. */
export async function fileStamp(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Uint8Array(0);
    throw error;
  }
}

type Prepared =
  | { readonly db: Database; readonly upgraded: boolean; readonly source: Uint8Array | undefined }
  | { readonly problem: FileProblem; readonly detail: string };

/**
 * sql.js keeps working in the buffer a database is opened from: the database gets a copy, so that
 * `source` stays the bytes as read (a memcpy, small beside parsing them).
 */
function copyOf(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** Bytes read from the file: used if they are one of ours (or an empty SQLite file), then upgraded. */
function prepare(SQL: SqlJsStatic, bytes: Uint8Array): Prepared {
  const inspection = inspectDatabaseBytes(SQL, copyOf(bytes));
  if (inspection.kind === 'rejected') return inspection;
  return upgrade(inspection.db, bytes);
}

/**
 * A database for a path with no file yet: a copy of the empty one the build made (emptyDatabase.ts),
 * else one whose tables are created here. A current copy needs no upgrade, so nothing is written
 * until the first change: an empty database on disk would hold nothing worth a flush.
 */
function prepareNew(SQL: SqlJsStatic, emptyDatabasePath: string | undefined): Prepared {
  const copy = readEmptyDatabase(emptyDatabasePath);
  if (copy) {
    const prepared = upgrade(new SQL.Database(copyOf(copy)), copy);
    if ('db' in prepared) return prepared;
  }
  return upgrade(new SQL.Database(), undefined);
}

/**
 * How every connection to a database of ours is set up, before its migrations: the host's and
 * the worker's copy alike (foreign keys decide what a DELETE cascades to, so both need them).
 */
export function configureConnection(db: Database): void {
  db.exec('PRAGMA foreign_keys = ON');
  // The database already lives in memory and reaches the disk only through an atomic flush;
  // a rollback journal in emscripten's in-memory file system only costs time (measured:
  // about half of each write transaction).
  db.exec('PRAGMA journal_mode = MEMORY');
  // This connection is the only one to its in-memory file, so it may keep the file locked and
  // its page cache valid between transactions instead of checking both again at each BEGIN
  // (measured: a task's nine writes 1.9 → 1.3 ms).
  db.exec('PRAGMA locking_mode = EXCLUSIVE');
}

function upgrade(db: Database, source: Uint8Array | undefined): Prepared {
  try {
    configureConnection(db);
    const applied = migrate(db);
    const missing = missingTables(db);
    if (missing.length) {
      db.close();
      return { problem: 'damaged', detail: `lacks the tables ${missing.join(', ')}` };
    }
    return { db, upgraded: applied.length > 0, source };
  } catch (error) {
    db.close();
    return { problem: 'damaged', detail: `could not be upgraded (${(error as Error).message})` };
  }
}

/** The file at `path` (or its absence) as an in-memory database; see the header for refusals. */
export async function loadDatabase(SQL: SqlJsStatic, path: string, options: LoadOptions): Promise<Loaded> {
  let stamp: string | undefined;
  let bytes: Uint8Array;
  try {
    stamp = await fileStamp(path);
    bytes = await readBytes(path);
  } catch (error) {
    throw folderError(dirname(path), 'read the database in', error);
  }
  const prepared = bytes.length === 0 ? prepareNew(SQL, options.emptyDatabasePath) : prepare(SQL, bytes);
  if ('db' in prepared) return { db: prepared.db, source: prepared.source, stamp, upgraded: prepared.upgraded, movedAside: undefined };
  // Replacing the file is the user's decision, never ours: only an explicit `recover` moves it,
  // only the writer may, and a newer version's healthy file is never moved.
  if (!options.asWriter || !options.recover || prepared.problem === 'future_version') {
    throw new StoreFileError(path, prepared.problem, prepared.detail, undefined);
  }
  let movedTo: string;
  try {
    movedTo = moveAside(path);
  } catch (error) {
    throw folderError(dirname(path), 'move the damaged database aside in', error);
  }
  const fresh = prepareNew(SQL, options.emptyDatabasePath);
  if (!('db' in fresh)) throw new Error(`Cannot create an empty database: ${fresh.detail}`);
  return { db: fresh.db, source: fresh.source, stamp: undefined, upgraded: true, movedAside: new StoreFileError(path, prepared.problem, prepared.detail, movedTo) };
}
