// The messages between the store on the host's thread (workerMirror.ts) and the worker thread that
// owns the database file (storeWorker.ts). Both sides import this file only for its types.
//
// Messages are handled in the order they were posted, so a flush request always sees every
// transaction the host committed before it asked.
import type { SqlValue } from 'sql.js';

/** One statement as the host ran it: its SQL and the values bound to it. */
export type RecordedStatement = readonly [sql: string, params: SqlValue[]];

export type ToWorker =
  /**
   * Replace the worker's copy: open `source` (undefined: a database made from nothing), set the
   * connection up and migrate it, exactly as the host did with the same bytes (loadDatabase.ts).
   */
  | { readonly type: 'seed'; readonly source: Uint8Array | undefined }
  /** One transaction the host committed: replayed in one transaction. Nobody waits for it. */
  | { readonly type: 'apply'; readonly statements: readonly RecordedStatement[] }
  /**
   * Export the copy and write it to `path` atomically; or, with `returnBytes`, hand the export
   * back instead (the host writes it itself when a test's AtomicWriteHooks must run there).
   */
  | { readonly type: 'flush'; readonly id: number; readonly path: string; readonly returnBytes: boolean }
  /** VACUUM the worker's copy (the host's keeps its free pages); the next flush writes it. */
  | { readonly type: 'vacuum'; readonly id: number }
  /** Fault injection for tests: the worker dies as a crash would (exit, or an uncaught error). */
  | { readonly type: 'fault'; readonly kind: 'exit' | 'throw' };

export interface WorkerFailure {
  readonly name: string;
  readonly message: string;
  /** A file-system error's code (EACCES, ENOSPC…), so the host can name the cause (databaseFolder.ts). */
  readonly code: string | undefined;
}

export type FromWorker =
  | { readonly type: 'flushed'; readonly id: number; readonly bytes: number; readonly data: Uint8Array | undefined }
  | { readonly type: 'vacuumed'; readonly id: number; readonly bytesBefore: number; readonly bytesAfter: number }
  | { readonly type: 'failed'; readonly id: number; readonly error: WorkerFailure };

/** What the worker is started with (`workerData`). */
export interface StoreWorkerData {
  /** sql-wasm.wasm, resolved by the host (sqlJsLoader.ts): the worker's own __dirname may differ. */
  readonly wasmPath: string;
}

/** The worker's file: beside the module that starts it, in the bundle's dist/ and in out/ alike. */
export const STORE_WORKER_FILE = 'storeWorker.js';
