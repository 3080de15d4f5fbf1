// Where the writer's flushes do their work: export() and the atomic write. Both cost time in
// proportion to the database's size (export() of 100,000 events blocks ~190 ms), so once the
// database is big they move to a worker thread that keeps a second copy (workerMirror.ts), and a
// flush on the host's thread becomes one message out and one back.
//
// A small database stays on the host's thread: its export takes well under a millisecond, while
// a worker costs ~100 ms of CPU to start (a Node isolate and a second sql.js) and a second copy
// in memory; a short CLI command or a new workspace would pay that for nothing. The switch
// happens at open (the file is big) or at the flush that first exports a big database, from the
// bytes that flush exported: it never needs an extra export.
import type { Database } from 'sql.js';
import { writeFileAtomic, type AtomicWriteHooks } from './atomicFile';
import { setStatementSink } from './sqlite';
import { WorkerMirror } from './workerMirror';
import type { RecordedStatement } from './workerProtocol';

/**
 * The database size from which flushes run in the worker. Measured: export() costs 3–7 ms per MiB
 * (71–190 ms for 27 MiB, bench/storeBench.ts), so below this a flush blocks the host ≤ ~3 ms.
 */
export const DEFAULT_WORKER_ABOVE_BYTES = 512 * 1024;

/**
 * Test infrastructure: `1` makes every store of this process (and of the CLIs a test spawns,
 * which inherit it) flush through the worker whatever the size, `0` never through it, so the
 * fault suites (test/unit/faults) kill, signal and race both paths. An explicit
 * `workerAboveBytes` still wins.
 */
export const ENV_TEST_STORE_WORKER = 'ORCH_TEST_STORE_WORKER';

function defaultThreshold(): number {
  const forced = process.env[ENV_TEST_STORE_WORKER];
  if (forced === '1') return 0;
  if (forced === '0') return Number.POSITIVE_INFINITY;
  return DEFAULT_WORKER_ABOVE_BYTES;
}

export interface DiskWriterOptions {
  readonly path: string;
  readonly wasmPath: string | undefined;
  /** From this size (bytes) flushes run in the worker: 0 always, Infinity never (the old path). */
  readonly workerAboveBytes: number | undefined;
  /** Fault injection for tests; functions cannot cross to the worker (see write()). */
  readonly hooks: AtomicWriteHooks | undefined;
  /** The host's copy, the truth. */
  readonly db: () => Database;
  readonly report: (error: Error) => void;
}

export class DiskWriter {
  private mirror: WorkerMirror | undefined;

  constructor(private readonly options: DiskWriterOptions) {}

  private get threshold(): number {
    return this.options.workerAboveBytes ?? defaultThreshold();
  }

  /** The worker that owns the file, if flushes run there (tests, diagnostics). */
  get worker(): WorkerMirror | undefined {
    return this.mirror;
  }

  /** Became the writer of a database opened from `source` (loadDatabase.ts): a big one goes to the worker now. */
  started(source: Uint8Array | undefined): void {
    if ((source?.length ?? 0) >= this.threshold) this.startMirror(source);
  }

  /**
   * Runs one write transaction's body, recording its statements for the worker when there is one.
   * `commit` runs after the body (it may throw: then nothing is sent); the statements are sent after it.
   */
  transaction<T>(body: () => T, commit: (result: T) => void): T {
    const mirror = this.mirror;
    if (!mirror) {
      const result = body();
      commit(result);
      return result;
    }
    const statements: RecordedStatement[] = [];
    const db = this.options.db();
    setStatementSink(db, (sql, params) => statements.push([sql, params]));
    let result: T;
    try {
      result = body();
    } finally {
      setStatementSink(db, undefined);
    }
    commit(result);
    mirror.apply(statements);
    return result;
  }

  /** One flush: the whole database, atomically. Returns its size in bytes. */
  async write(): Promise<number> {
    const { hooks, path } = this.options;
    if (this.mirror && !hooks) return (await this.mirror.flush(false)).bytes;
    // With a test's hooks the worker only exports, and the write (and the hooks) happens here.
    const bytes = this.mirror ? (await this.mirror.flush(true)).data! : this.options.db().export();
    // Still synchronous with the export: no write can come between, so the worker starts from
    // exactly these bytes (a copy: these are written below).
    if (!this.mirror && bytes.length >= this.threshold) this.startMirror(new Uint8Array(bytes));
    await writeFileAtomic(path, bytes, hooks);
    return bytes.length;
  }

  /**
   * VACUUM where the file's copy is: in the worker, the host's copy keeps its free pages (they
   * only cost memory; VACUUM here would block this thread). Sizes are the database image's.
   */
  async vacuum(): Promise<{ bytesBefore: number; bytesAfter: number }> {
    if (this.mirror) return this.mirror.vacuum();
    const db = this.options.db();
    const size = (): number => Number(db.exec('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()')[0].values[0][0]);
    const bytesBefore = size();
    db.exec('VACUUM');
    return { bytesBefore, bytesAfter: size() };
  }

  /** Ends the worker, if any (after the last flush, or when the lock was lost). */
  async stop(): Promise<void> {
    const mirror = this.mirror;
    this.mirror = undefined;
    await mirror?.close();
  }

  private startMirror(source: Uint8Array | undefined): void {
    this.mirror = new WorkerMirror({
      path: this.options.path,
      wasmPath: this.options.wasmPath,
      exportHost: () => this.options.db().export(),
      report: this.options.report,
    });
    this.mirror.start(source);
  }
}
