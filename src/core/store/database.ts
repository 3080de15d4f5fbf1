// The in-memory sql.js database behind one file: opening (as the writer, or read-only when
// another process holds the lock), the write transaction, reloads and taking over as the writer.
// Reading the file is loadDatabase.ts's work; when changes reach the disk, flushSchedule.ts's.
//
// Every write goes through `write(fn)`: one synchronous transaction. Because `fn` cannot await,
// no transaction is ever open across an await, so `export()` (which throws inside an open write
// transaction) always runs between transactions. Where a flush's export and write run (on this
// thread, or in a worker once the database is big) is diskWriter.ts's concern.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { removeLeftoverTempFiles, type AtomicWriteHooks } from './atomicFile';
import { ensureDatabaseFolder, folderError, ignoreDefaultFolder, removeUnusedDatabaseFolder } from './databaseFolder';
import { LockLostError, ReadOnlyStoreError, StoreClosedError, type StoreFileError } from './errors';
import { DiskWriter } from './diskWriter';
import { recordEvent } from './events';
import { FlushSchedule, type FlushStats, type FlushTiming } from './flushSchedule';
import { fileStamp, loadDatabase, type Loaded } from './loadDatabase';
import { readLockOwner, type LockOwner } from './lockOwner';
import { execute } from './sqlite';
import { loadSqlJs } from './sqlJsLoader';
import { tryAcquireWriterLock, type LockAttempt, type WriterLock } from './writerLock';

export interface StoreOptions extends FlushTiming {
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
  readonly lock?: { readonly staleMs?: number; readonly heartbeatMs?: number };
  /** Fault injection for tests: runs between writing the temp file and renaming it. */
  readonly hooks?: AtomicWriteHooks;
  /** Failures nobody awaits: background flushes, a lost lock, a throwing change listener, a store worker that died. */
  readonly onError?: (error: Error) => void;
  /**
   * From this database size (bytes) flushes export and write in a worker thread instead of this
   * one (diskWriter.ts; default 512 KiB). 0: always (tests of the worker); Infinity: never (the
   * benchmark's before-figure).
   */
  readonly workerAboveBytes?: number;
}

export interface StoreChange {
  /** `write`: a transaction committed here; `reload`: the content was replaced from disk. */
  readonly cause: 'write' | 'reload';
}

/** A loaded stamp no file has: the next refresh() always reloads. */
const STALE = 'stale';

export class StoreDatabase {
  private lock: WriterLock | undefined;
  private closed = false;
  private inTransaction = false;
  private readonly flushSchedule: FlushSchedule;
  private readonly disk: DiskWriter;
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
  ) {
    this.disk = new DiskWriter({
      path,
      wasmPath: options.wasmPath,
      workerAboveBytes: options.workerAboveBytes,
      hooks: options.hooks,
      db: () => this.db,
      report: (error) => this.report(error),
    });
    this.flushSchedule = new FlushSchedule(options, {
      canWrite: () => !this.closed && this.lock !== undefined,
      verify: () => this.lock!.verify(),
      write: (first) => this.writeToDisk(first),
      report: (error) => this.report(error),
    });
  }

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
        result = this.disk.transaction(
          () => fn(this.db),
          (body) => {
            if (body instanceof Promise) throw new Error('StoreDatabase.write: the callback must be synchronous');
            execute(this.db, 'COMMIT');
          },
        );
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
    this.flushSchedule.changed(options.urgent ?? false);
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
    return this.flushSchedule.stats();
  }

  /** Writes all committed changes to disk now; resolves when they are durable. */
  flush(): Promise<void> {
    if (this.closed) return Promise.reject(new StoreClosedError(this.path));
    return this.flushSchedule.flush();
  }

  /**
   * Shrinks the file (VACUUM) and writes it; sizes are the database's before and after. With the
   * worker, only its copy (the file's) shrinks: VACUUM here would block this thread.
   */
  async vacuum(): Promise<{ bytesBefore: number; bytesAfter: number }> {
    this.assertWritable();
    const sizes = await this.disk.vacuum();
    this.flushSchedule.changedUnscheduled();
    await this.flush();
    return sizes;
  }

  /** The worker thread that owns the file, when flushes run there (tests, diagnostics). */
  get worker(): DiskWriter['worker'] {
    return this.disk.worker;
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
    this.flushSchedule.cancel();
    await this.disk.stop();
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
      this.disk.started(loaded.source);
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
      if (loaded.upgraded) this.flushSchedule.changedUnscheduled();
      await this.flush();
    } catch (error) {
      await this.disk.stop();
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
    this.flushSchedule.reset();
  }

  private load(asWriter: boolean): Promise<Loaded> {
    return loadDatabase(this.SQL, this.path, { asWriter, recover: this.options.recover, emptyDatabasePath: this.options.emptyDatabasePath });
  }

  /** One flush's disk work (flushSchedule.ts decides when): the whole database, atomically. */
  private async writeToDisk(first: boolean): Promise<number> {
    let bytes: number;
    try {
      bytes = await this.disk.write();
    } catch (error) {
      throw folderError(dirname(this.path), 'write the database in', error);
    }
    if (first) ignoreDefaultFolder(this.path);
    return bytes;
  }

  private lockLost(error: LockLostError): void {
    this.lock = undefined;
    this.flushSchedule.cancel();
    void this.disk.stop();
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

  /** A command that stored nothing leaves no folder behind that it made (databaseFolder.ts). */
  private removeFolderIfUnused(): void {
    if (this.createdFolder === undefined || this.lock || existsSync(this.path)) return;
    removeUnusedDatabaseFolder(this.path, this.createdFolder);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError(this.path);
  }
}
