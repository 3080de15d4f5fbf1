// The in-memory sql.js database behind one file: opening (as the writer, or read-only when
// another process holds the lock), the write transaction, batched atomic flushes, reloads.
//
// Every write goes through `write(fn)`: one synchronous transaction. Because `fn` cannot await,
// no transaction is ever open across an await, so `export()` (which throws inside an open write
// transaction) always runs between transactions.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { removeLeftoverTempFiles, writeFileAtomic, type AtomicWriteHooks } from './atomicFile';
import { inspectDatabaseBytes, moveAside } from './corruptFile';
import { ensureDatabaseFolder, folderError, ignoreDefaultFolder, removeUnusedDatabaseFolder } from './databaseFolder';
import { readEmptyDatabase } from './emptyDatabase';
import { LockLostError, ReadOnlyStoreError, StoreClosedError, StoreFileError, type FileProblem } from './errors';
import { recordEvent } from './events';
import { readLockOwner, type LockOwner } from './lockOwner';
import { migrate, missingTables } from './schema';
import { execute } from './sqlite';
import { loadSqlJs } from './sqlJsLoader';
import { tryAcquireWriterLock, type LockAttempt, type WriterLock } from './writerLock';

export interface StoreOptions {
  /** Where sql-wasm.wasm is; by default beside the bundle, else from node_modules. */
  readonly wasmPath?: string;
  /** The empty database a new file starts from (emptyDatabase.ts); by default beside the bundle. */
  readonly emptyDatabasePath?: string;
  /**
   * The user asked to start over from a damaged or foreign file (`--recover`, "Start Fresh"):
   * as the writer, it is moved to `<db>.corrupt-<time>` (named in `notice`) and a new database
   * starts. Without it such a file stops the open with StoreFileError and is left untouched; a
   * newer version's file stops it even with it (a newer install can still read that file).
   */
  readonly recover?: boolean;
  /** Never take the writer lock (a viewer). */
  readonly readOnly?: boolean;
  /** A batch of writes is flushed this long after its first change. */
  readonly flushDelayMs?: number;
  /** ...or as soon as it holds this many committed transactions. */
  readonly flushEveryChanges?: number;
  /** Urgent flushes start at most this often; a burst of them shares one write. */
  readonly urgentFlushIntervalMs?: number;
  readonly lock?: { readonly staleMs?: number; readonly heartbeatMs?: number };
  /** Fault injection for tests: runs between writing the temp file and renaming it. */
  readonly hooks?: AtomicWriteHooks;
  /** Failures nobody awaits: background flushes, a lost lock, a throwing change listener. */
  readonly onError?: (error: Error) => void;
}

export interface StoreChange {
  /** `write`: a transaction committed here; `reload`: the content was replaced from disk. */
  readonly cause: 'write' | 'reload';
}

export interface FlushStats {
  readonly flushes: number;
  readonly lastFlushMs: number | undefined;
  readonly lastFlushBytes: number | undefined;
  /** Committed changes not yet on disk. */
  readonly pendingChanges: number;
}

export const DEFAULT_FLUSH_DELAY_MS = 250;
export const DEFAULT_FLUSH_EVERY_CHANGES = 50;
/**
 * When agents finish in a burst (short tasks, or many at once), each completion would write the
 * whole database again: at most one flush starts per this interval, so a terminal state reaches
 * the disk within it. Rare completions (the normal case) are still written at once.
 */
export const DEFAULT_URGENT_FLUSH_INTERVAL_MS = 100;
const MAX_RETRY_DELAY_MS = 30_000;
/** A loaded stamp no file has: the next refresh() always reloads. */
const STALE = 'stale';

interface Loaded {
  readonly db: Database;
  readonly stamp: string | undefined;
  /** The file was migrated in memory, so the writer should persist it. */
  readonly upgraded: boolean;
  readonly movedAside: StoreFileError | undefined;
}

/** Identifies one version of the file: a flush renames a new inode into place. */
async function fileStamp(path: string): Promise<string | undefined> {
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

type Prepared = { readonly db: Database; readonly upgraded: boolean } | { readonly problem: FileProblem; readonly detail: string };

/** Bytes read from the file: used if they are one of ours (or an empty SQLite file), then upgraded. */
function prepare(SQL: SqlJsStatic, bytes: Uint8Array): Prepared {
  const inspection = inspectDatabaseBytes(SQL, bytes);
  if (inspection.kind === 'rejected') return inspection;
  return upgrade(inspection.db);
}

/**
 * A database for a path with no file yet: a copy of the empty one the build made (emptyDatabase.ts),
 * else one whose tables are created here. A current copy needs no upgrade, so nothing is written
 * until the first change: an empty database on disk would hold nothing worth a flush.
 */
function prepareNew(SQL: SqlJsStatic, emptyDatabasePath: string | undefined): Prepared {
  const copy = readEmptyDatabase(emptyDatabasePath);
  if (copy) {
    const prepared = upgrade(new SQL.Database(copy));
    if ('db' in prepared) return prepared;
  }
  return upgrade(new SQL.Database());
}

function upgrade(db: Database): Prepared {
  try {
    db.exec('PRAGMA foreign_keys = ON');
    // The database already lives in memory and reaches the disk only through an atomic flush;
    // a rollback journal in emscripten's in-memory file system only costs time (measured:
    // about half of each write transaction).
    db.exec('PRAGMA journal_mode = MEMORY');
    // This connection is the only one to its in-memory file, so it may keep the file locked and
    // its page cache valid between transactions instead of checking both again at each BEGIN
    // (measured: a task's nine writes 1.9 → 1.3 ms).
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    const applied = migrate(db);
    const missing = missingTables(db);
    if (missing.length) {
      db.close();
      return { problem: 'damaged', detail: `lacks the tables ${missing.join(', ')}` };
    }
    return { db, upgraded: applied.length > 0 };
  } catch (error) {
    db.close();
    return { problem: 'damaged', detail: `could not be upgraded (${(error as Error).message})` };
  }
}

export class StoreDatabase {
  private lock: WriterLock | undefined;
  private closed = false;
  private inTransaction = false;
  private generation = 0;
  private flushedGeneration = 0;
  private flushing: Promise<void> = Promise.resolve();
  /** Cancels the pending flush timer, if there is one. */
  private timer: (() => void) | undefined;
  /** When the pending timer fires (performance.now() time). */
  private timerDueAt = 0;
  private lastFlushStartedAt = Number.NEGATIVE_INFINITY;
  private consecutiveFailures = 0;
  private flushes = 0;
  private lastFlushMs: number | undefined;
  private lastFlushBytes: number | undefined;
  private readonly listeners = new Set<(change: StoreChange) => void>();
  /**
   * The version of the file the in-memory copy was loaded from (readers compare it on refresh):
   * undefined when there was no file, STALE when memory is known to differ from whatever is there.
   */
  private loadedStamp: string | undefined;
  /** Set when a foreign or damaged file was moved aside while opening (only with `recover`). */
  notice: StoreFileError | undefined;
  /** The first folder this store made for the database, removed at close if no database was written. */
  private createdFolder: string | undefined;

  private constructor(
    readonly path: string,
    private readonly SQL: SqlJsStatic,
    private db: Database,
    private readonly options: StoreOptions,
  ) {}

  /**
   * Opens `path` as the writer if the lock can be had (taking over a stale one), else
   * read-only. A file that is not a usable database throws StoreFileError and is left alone,
   * unless `recover` lets the writer move it aside (reported in `notice`). A folder that cannot
   * be made or written throws StoreFolderError.
   */
  static async open(path: string, options: StoreOptions = {}): Promise<StoreDatabase> {
    const SQL = await loadSqlJs(options.wasmPath);
    const store = new StoreDatabase(path, SQL, new SQL.Database(), options);
    try {
      if (!options.readOnly && (await store.tryBecomeWriter())) return store;
      await store.reloadReadOnly();
    } catch (error) {
      store.db.close();
      store.removeFolderIfUnused();
      throw error;
    }
    return store;
  }

  get readOnly(): boolean {
    return this.lock === undefined;
  }

  /** Who holds the writer lock, as recorded in its owner file. */
  lockOwner(): LockOwner | undefined {
    return this.lock?.owner ?? readLockOwner(this.path);
  }

  read<T>(fn: (db: Database) => T): T {
    this.assertOpen();
    return fn(this.db);
  }

  /**
   * Runs `fn` in one transaction: all of it commits or none of it does. `urgent` flushes right
   * after the commit instead of batching (terminal states, plan imports, run ends).
   */
  write<T>(fn: (db: Database) => T, options: { readonly urgent?: boolean } = {}): T {
    this.assertWritable();
    if (this.inTransaction) throw new Error('StoreDatabase.write: transactions do not nest; pass the Database down instead');
    this.inTransaction = true;
    let result: T;
    try {
      // Prepared once and reused (sqlite.ts), not parsed again by exec() for every transaction.
      execute(this.db, 'BEGIN IMMEDIATE');
      try {
        result = fn(this.db);
        if (result instanceof Promise) throw new Error('StoreDatabase.write: the callback must be synchronous');
        execute(this.db, 'COMMIT');
      } catch (error) {
        // A failed COMMIT (a deferred foreign key) leaves the transaction open; some errors
        // end it already, and then ROLLBACK itself complains: either way it is over after this.
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // no transaction was active any more
        }
        throw error;
      }
    } finally {
      this.inTransaction = false;
    }
    this.markDirty(options.urgent ?? false);
    this.emit({ cause: 'write' });
    return result;
  }

  /** Throws ReadOnlyStoreError (naming the lock holder) unless this store may write. */
  assertWritable(): void {
    this.assertOpen();
    if (!this.lock) throw new ReadOnlyStoreError(this.path, readLockOwner(this.path));
  }

  onDidChange(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): FlushStats {
    return {
      flushes: this.flushes,
      lastFlushMs: this.lastFlushMs,
      lastFlushBytes: this.lastFlushBytes,
      pendingChanges: this.generation - this.flushedGeneration,
    };
  }

  /** Writes all committed changes to disk now; resolves when they are durable. */
  flush(): Promise<void> {
    this.clearTimer();
    const next = this.flushing.catch(() => undefined).then(() => this.writeToDisk());
    this.flushing = next;
    return next;
  }

  /**
   * Read-only: reloads the file if another process changed it since it was loaded; true if it
   * did. The writer's memory is the truth, so for the writer this is always false.
   */
  async refresh(): Promise<boolean> {
    this.assertOpen();
    if (this.lock) return false;
    if ((await fileStamp(this.path)) === this.loadedStamp) return false;
    await this.reloadReadOnly();
    this.emit({ cause: 'reload' });
    return true;
  }

  /**
   * Read-only: takes the writer lock if it is free or stale now (e.g. the other window closed),
   * reloading the latest file first. True if this store is now the writer.
   */
  async tryBecomeWriter(): Promise<boolean> {
    this.assertOpen();
    if (this.lock) return true;
    this.createdFolder ??= ensureDatabaseFolder(this.path);
    let attempt: LockAttempt;
    try {
      attempt = tryAcquireWriterLock(this.path, { ...this.options.lock, onLost: (error) => this.lockLost(error) });
    } catch (error) {
      throw folderError(dirname(this.path), 'take the writer lock in', error);
    }
    if (!attempt.acquired) return false;
    await this.becomeWriter(attempt);
    this.emit({ cause: 'reload' });
    return true;
  }

  /** Flushes, frees the lock and the memory. A failed final flush is thrown after cleaning up. */
  async close(): Promise<void> {
    if (this.closed) return;
    let failure: unknown;
    try {
      await this.flush();
    } catch (error) {
      failure = error;
    }
    this.closed = true;
    this.clearTimer();
    this.lock?.release();
    this.lock = undefined;
    this.db.close();
    this.listeners.clear();
    this.removeFolderIfUnused();
    if (failure !== undefined) throw failure;
  }

  private async becomeWriter(attempt: Extract<LockAttempt, { acquired: true }>): Promise<void> {
    this.lock = attempt.lock;
    try {
      // Half-written temp files are ours (atomicFile.ts): removed without a word, even beside a
      // file that is refused below.
      await removeLeftoverTempFiles(this.path).catch((error: unknown) => {
        throw folderError(dirname(this.path), 'clean up in', error);
      });
      const loaded = await this.load(true);
      this.replaceDb(loaded);
      this.notice = loaded.movedAside;
      const tookOver = attempt.tookOver;
      if (tookOver || loaded.movedAside) {
        this.write((db) => {
          if (tookOver) {
            recordEvent(db, {
              kind: 'writer_lock_taken_over',
              detail: { reason: tookOver.reason, previousOwner: tookOver.owner ? { pid: tookOver.owner.pid, hostname: tookOver.owner.hostname, startedAt: tookOver.owner.startedAt } : null },
            });
          }
          if (loaded.movedAside) {
            recordEvent(db, { kind: 'database_moved_aside', detail: { problem: loaded.movedAside.problem, movedTo: loaded.movedAside.movedTo, reason: loaded.movedAside.detail } });
          }
        });
      }
      // A migration changes the database outside write(); count it so the flush writes it.
      if (loaded.upgraded) this.generation++;
      await this.flush();
    } catch (error) {
      this.lock.release();
      this.lock = undefined;
      throw error;
    }
  }

  private async reloadReadOnly(): Promise<void> {
    this.replaceDb(await this.load(false));
  }

  private replaceDb(loaded: Loaded): void {
    this.db.close();
    this.db = loaded.db;
    this.loadedStamp = loaded.stamp;
    this.generation = 0;
    this.flushedGeneration = 0;
  }

  private async load(asWriter: boolean): Promise<Loaded> {
    let stamp: string | undefined;
    let bytes: Uint8Array;
    try {
      stamp = await fileStamp(this.path);
      bytes = await readBytes(this.path);
    } catch (error) {
      throw folderError(dirname(this.path), 'read the database in', error);
    }
    const prepared = bytes.length === 0 ? prepareNew(this.SQL, this.options.emptyDatabasePath) : prepare(this.SQL, bytes);
    if ('db' in prepared) return { db: prepared.db, stamp, upgraded: prepared.upgraded, movedAside: undefined };
    // Replacing the file is the user's decision, never ours: only an explicit `recover` moves it,
    // only the writer may, and a newer version's healthy file is never moved.
    if (!asWriter || !this.options.recover || prepared.problem === 'future_version') {
      throw new StoreFileError(this.path, prepared.problem, prepared.detail, undefined);
    }
    let movedTo: string;
    try {
      movedTo = moveAside(this.path);
    } catch (error) {
      throw folderError(dirname(this.path), 'move the damaged database aside in', error);
    }
    const fresh = prepareNew(this.SQL, this.options.emptyDatabasePath);
    if (!('db' in fresh)) throw new Error(`Cannot create an empty database: ${fresh.detail}`);
    return { db: fresh.db, stamp: undefined, upgraded: true, movedAside: new StoreFileError(this.path, prepared.problem, prepared.detail, movedTo) };
  }

  private async writeToDisk(): Promise<void> {
    if (this.closed || !this.lock || this.generation === this.flushedGeneration) return;
    this.lock.verify();
    const generation = this.generation;
    const started = performance.now();
    this.lastFlushStartedAt = started;
    const bytes = this.db.export();
    try {
      await writeFileAtomic(this.path, bytes, this.options.hooks);
    } catch (error) {
      throw folderError(dirname(this.path), 'write the database in', error);
    }
    this.flushedGeneration = generation;
    this.consecutiveFailures = 0;
    if (this.flushes === 0) ignoreDefaultFolder(this.path);
    this.flushes++;
    this.lastFlushMs = performance.now() - started;
    this.lastFlushBytes = bytes.length;
  }

  private markDirty(urgent: boolean): void {
    this.generation++;
    const pending = this.generation - this.flushedGeneration;
    if (urgent || pending >= (this.options.flushEveryChanges ?? DEFAULT_FLUSH_EVERY_CHANGES)) {
      const dueAt = this.lastFlushStartedAt + (this.options.urgentFlushIntervalMs ?? DEFAULT_URGENT_FLUSH_INTERVAL_MS);
      const now = performance.now();
      if (!this.timer || this.timerDueAt > dueAt) this.schedule(Math.max(0, dueAt - now));
    } else if (!this.timer) {
      this.schedule(this.options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS);
    }
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.timerDueAt = performance.now() + delayMs;
    const fire = (): void => {
      this.timer = undefined;
      void this.backgroundFlush();
    };
    // A flush due now still waits for the end of this turn of the event loop, so that the writes
    // of one turn share it: the last task's final state and the run's end are one flush, not two.
    if (delayMs <= 0) {
      const immediate = setImmediate(fire);
      this.timer = () => clearImmediate(immediate);
    } else {
      const timeout = setTimeout(fire, delayMs);
      this.timer = () => clearTimeout(timeout);
    }
  }

  private async backgroundFlush(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      this.report(error as Error);
      // Every flush writes the whole database, so one later success repairs all earlier failures.
      if (!this.closed && this.lock && !this.timer) {
        this.consecutiveFailures++;
        const base = this.options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS;
        this.schedule(Math.min(base * 2 ** this.consecutiveFailures, MAX_RETRY_DELAY_MS));
      }
    }
  }

  private lockLost(error: LockLostError): void {
    this.lock = undefined;
    this.clearTimer();
    // What is in memory may now differ from the file (or from no file at all, when nothing was
    // ever flushed); the next refresh() reloads it.
    this.loadedStamp = STALE;
    this.report(error);
  }

  private emit(change: StoreChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.report(error as Error);
      }
    }
  }

  private report(error: Error): void {
    this.options.onError?.(error);
  }

  private clearTimer(): void {
    this.timer?.();
    this.timer = undefined;
  }

  /** A command that stored nothing leaves no folder behind that it made (databaseFolder.ts). */
  private removeFolderIfUnused(): void {
    if (this.createdFolder === undefined || this.lock || existsSync(this.path)) return;
    removeUnusedDatabaseFolder(this.path, this.createdFolder);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError(this.path);
  }
}
