// The host's side of the store worker (storeWorker.ts): the worker keeps a second copy of the
// database and owns the file, so a flush on the host's thread is one message out and one back,
// whatever the database's size (export() of 100,000 events blocks for ~190 ms).
//
// The host keeps its own copy for synchronous reads and writes; each committed transaction's
// statements (sqlite.ts records them) are posted here and replayed in the worker. The copy is
// seeded from the very bytes the host opened (loadDatabase.ts's `source`), so opening costs no
// export either. A worker that dies (crash, terminate, a replay that failed) is replaced by a
// new one seeded from one export of the host's copy, the truth, and unanswered requests are
// posted again: nothing committed is lost.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { StoreClosedError } from './errors';
import { defaultWasmPath } from './sqlJsLoader';
import { STORE_WORKER_FILE, type FromWorker, type RecordedStatement, type StoreWorkerData, type ToWorker } from './workerProtocol';

export interface MirrorOptions {
  /** The database file (for StoreClosedError's message and the flushes). */
  readonly path: string;
  readonly wasmPath: string | undefined;
  /** An export of the host's copy: what a replacement worker starts from. */
  readonly exportHost: () => Uint8Array;
  /** A worker that died is reported (and replaced); nobody awaits that. */
  readonly report: (error: Error) => void;
}

type Request = Extract<ToWorker, { id: number }>;

interface Pending {
  readonly message: Request;
  readonly resolve: (reply: FromWorker) => void;
  readonly reject: (error: Error) => void;
}

/** Deaths in a row without one answer before the pending requests fail instead of retrying. */
const MAX_RESTARTS_IN_A_ROW = 3;

export class WorkerMirror {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private deathsInARow = 0;
  private lastDeath: Error | undefined;
  private closed = false;
  /** How many workers were started, for tests and the docs' claim that deaths are survived. */
  starts = 0;

  constructor(private readonly options: MirrorOptions) {}

  /** Starts the worker from the bytes the host opened its copy from (loadDatabase.ts). */
  start(source: Uint8Array | undefined): void {
    this.spawn(source);
  }

  /** The running worker, if any (tests kill it to prove a death is survived). */
  get thread(): Worker | undefined {
    return this.worker;
  }

  /** One committed transaction. A dead worker drops it: its replacement starts from an export. */
  apply(statements: readonly RecordedStatement[]): void {
    if (statements.length === 0 || !this.worker) return;
    this.post({ type: 'apply', statements });
  }

  /** Exports and writes the worker's copy to the file; with `returnBytes` the export comes back instead. */
  async flush(returnBytes: boolean): Promise<{ bytes: number; data: Uint8Array | undefined }> {
    const reply = await this.request({ type: 'flush', id: this.nextId++, path: this.options.path, returnBytes });
    if (reply.type !== 'flushed') throw new Error(`store worker: unexpected reply ${reply.type} to a flush`);
    return { bytes: reply.bytes, data: reply.data };
  }

  async vacuum(): Promise<{ bytesBefore: number; bytesAfter: number }> {
    const reply = await this.request({ type: 'vacuum', id: this.nextId++ });
    if (reply.type !== 'vacuumed') throw new Error(`store worker: unexpected reply ${reply.type} to a vacuum`);
    return { bytesBefore: reply.bytesBefore, bytesAfter: reply.bytesAfter };
  }

  /** Ends the worker (call after the last flush); requests still waiting fail with StoreClosedError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failPending(new StoreClosedError(this.options.path));
    await worker?.terminate();
  }

  private request(message: Request): Promise<FromWorker> {
    if (this.closed) return Promise.reject(new StoreClosedError(this.options.path));
    return new Promise<FromWorker>((resolve, reject) => {
      this.pending.set(message.id, { message, resolve, reject });
      // A dead worker is replaced when someone needs it (the next flush comes within a second).
      if (!this.worker) this.spawn(this.options.exportHost());
      else this.post(message);
      // Keeps the process alive while an answer is due (a CLI awaiting its last flush).
      this.worker?.ref();
    });
  }

  private spawn(source: Uint8Array | undefined): void {
    const workerData: StoreWorkerData = { wasmPath: this.options.wasmPath ?? defaultWasmPath() };
    const worker = new Worker(join(__dirname, STORE_WORKER_FILE), { workerData });
    this.worker = worker;
    this.starts++;
    // Idle, it must not keep a process alive: a CLI exits when its work is done.
    worker.unref();
    worker.on('message', (reply: FromWorker) => this.answered(reply));
    worker.on('error', (error) => {
      this.lastDeath = error;
    });
    worker.on('exit', (code) => this.died(worker, code));
    const seed = source && ownedBytes(source);
    this.post({ type: 'seed', source: seed }, seed?.buffer as ArrayBuffer | undefined);
    for (const pending of this.pending.values()) this.post(pending.message);
    if (this.pending.size > 0) worker.ref();
  }

  private post(message: ToWorker, transfer?: ArrayBuffer): void {
    this.worker?.postMessage(message, transfer ? [transfer] : []);
  }

  private answered(reply: FromWorker): void {
    this.deathsInARow = 0;
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.type === 'failed') pending.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code }));
    else pending.resolve(reply);
  }

  private died(worker: Worker, code: number): void {
    if (worker !== this.worker) return; // closed, or already replaced
    this.worker = undefined;
    const cause = this.lastDeath ?? new Error(`exited with code ${code}`);
    this.lastDeath = undefined;
    this.deathsInARow++;
    const error = new Error(`The store's worker thread stopped (${cause.message}); a new one starts from the host's copy`);
    this.options.report(error);
    if (this.pending.size === 0) return;
    if (this.deathsInARow >= MAX_RESTARTS_IN_A_ROW) {
      this.failPending(new Error(`The store's worker thread stopped ${this.deathsInARow} times in a row; last: ${cause.message}`));
      return;
    }
    this.spawn(this.options.exportHost());
  }

  private failPending(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }
}

/**
 * Bytes whose whole buffer may be handed over to the worker rather than cloned (nobody else uses
 * `source`: loadDatabase.ts opened a copy). A Buffer from Node's shared pool shares its memory
 * with other buffers: that one is copied first (it is small; a big file has a buffer of its own).
 */
function ownedBytes(source: Uint8Array): Uint8Array {
  return source.byteOffset === 0 && source.byteLength === source.buffer.byteLength ? source : new Uint8Array(source);
}
