// The worker thread that owns the database file: it keeps a second sql.js copy of the database,
// replays each transaction the host committed (workerMirror.ts), and does the two things that
// cost time in proportion to the database's size, export() and the atomic write, so that the
// extension host's thread never waits for them. The build bundles it as dist/storeWorker.js.
//
// Anything that goes wrong while replaying means the copies differ: the error is left uncaught,
// the thread dies, and the host starts a new one from its own copy (workerMirror.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { Database, SqlJsStatic } from 'sql.js';
import { writeFileAtomic } from './atomicFile';
import { configureConnection } from './loadDatabase';
import { migrate } from './schema';
import { execute, queryOne } from './sqlite';
import { loadSqlJs } from './sqlJsLoader';
import type { FromWorker, RecordedStatement, StoreWorkerData, ToWorker, WorkerFailure } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('storeWorker.ts runs only as a worker thread (workerMirror.ts starts it)');
const { wasmPath } = workerData as StoreWorkerData;

let db: Database | undefined;

function copy(): Database {
  if (!db) throw new Error('the store worker received a change before its database');
  return db;
}

function seed(SQL: SqlJsStatic, source: Uint8Array | undefined): void {
  db?.close();
  db = source ? new SQL.Database(source) : new SQL.Database();
  configureConnection(db);
  migrate(db);
}

function apply(statements: readonly RecordedStatement[]): void {
  const target = copy();
  execute(target, 'BEGIN IMMEDIATE');
  try {
    for (const [sql, params] of statements) execute(target, sql, params);
    execute(target, 'COMMIT');
  } catch (error) {
    try {
      target.exec('ROLLBACK');
    } catch {
      // no transaction was active any more
    }
    throw new Error(`The store worker's copy differs from the host's: replaying a committed transaction failed (${(error as Error).message})`);
  }
}

function imageBytes(target: Database): number {
  const row = queryOne<{ bytes: number }>(target, 'SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()');
  return Number(row?.bytes ?? 0);
}

async function flush(id: number, path: string, returnBytes: boolean): Promise<FromWorker> {
  const data = copy().export();
  if (returnBytes) return { type: 'flushed', id, bytes: data.length, data };
  await writeFileAtomic(path, data);
  return { type: 'flushed', id, bytes: data.length, data: undefined };
}

function vacuum(id: number): FromWorker {
  const target = copy();
  const bytesBefore = imageBytes(target);
  target.exec('VACUUM');
  return { type: 'vacuumed', id, bytesBefore, bytesAfter: imageBytes(target) };
}

function failure(error: unknown): WorkerFailure {
  const e = error as NodeJS.ErrnoException;
  return { name: e?.name ?? 'Error', message: e?.message ?? String(error), code: typeof e?.code === 'string' ? e.code : undefined };
}

async function handle(SQL: SqlJsStatic, message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'seed':
      return seed(SQL, message.source);
    case 'apply':
      return apply(message.statements);
    case 'fault':
      if (message.kind === 'exit') process.exit(3);
      throw new Error('store worker fault injected by a test');
    case 'flush':
    case 'vacuum': {
      let reply: FromWorker;
      try {
        reply = message.type === 'flush' ? await flush(message.id, message.path, message.returnBytes) : vacuum(message.id);
      } catch (error) {
        reply = { type: 'failed', id: message.id, error: failure(error) };
      }
      // The export's buffer is handed over, not copied.
      port!.postMessage(reply, reply.type === 'flushed' && reply.data ? [reply.data.buffer as ArrayBuffer] : []);
      return;
    }
  }
}

// Messages that arrive while sql.js loads, or while a flush writes, wait their turn: one chain
// keeps them in the order they were posted.
let chain: Promise<unknown> = loadSqlJs(wasmPath);
const engine = chain as Promise<SqlJsStatic>;
port.on('message', (message: ToWorker) => {
  chain = chain.then(async () => handle(await engine, message)).catch((error: unknown) => {
    // Uncaught on purpose: the thread dies and the host re-seeds a new one.
    setImmediate(() => {
      throw error;
    });
  });
});
