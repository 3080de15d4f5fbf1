// Typed helpers over a sql.js Database.
//
// Prepared statements are cached per database and reset after every use: compiling a statement
// costs more than running it (measured: importing a 1,000-task plan spent 70% of its time in
// prepare). Nothing leaks: a reset statement holds no lock (so neither COMMIT nor export() is
// blocked), an evicted one is freed, and sql.js frees the rest in db.close().
//
// Every statement that may change the database can also be handed to a sink while it is set
// (database.ts sets one during a write transaction): the worker that owns the file replays them
// on its own copy (workerMirror.ts). This file is the one way the store runs SQL in a
// transaction, so nothing that writes can slip past the sink.
import type { Database, SqlValue, Statement } from 'sql.js';

/** What callers may bind; `undefined` becomes NULL (sql.js throws an unnamed error on it). */
export type SqlParam = SqlValue | boolean | undefined;

export type Row = Record<string, SqlValue>;

const MAX_CACHED_STATEMENTS = 200;
const caches = new WeakMap<Database, Map<string, Statement>>();

/** Receives each statement that ran without error on its database, with its bound values. */
export type StatementSink = (sql: string, params: SqlValue[]) => void;
const sinks = new WeakMap<Database, StatementSink>();

/** A plain SELECT changes nothing, so it is not worth replaying; anything else is (RETURNING included). */
const READ_ONLY = /^\s*SELECT\b/i;

/** Hands every statement that may write on `db` to `sink` from now on; `undefined` stops it. */
export function setStatementSink(db: Database, sink: StatementSink | undefined): void {
  if (sink) sinks.set(db, sink);
  else sinks.delete(db);
}

function bindable(params: readonly SqlParam[]): SqlValue[] {
  return params.map((value) => {
    if (value === undefined) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    return value;
  });
}

/** Runs `use` with the cached statement for `sql`, bound to `params`, and resets it afterwards. */
function withStatement<T>(db: Database, sql: string, params: readonly SqlParam[], use: (statement: Statement) => T): T {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement) {
    // Re-insert: the Map's order is the eviction order, oldest use first.
    cache.delete(sql);
  } else {
    statement = db.prepare(sql);
    if (cache.size >= MAX_CACHED_STATEMENTS) {
      const [oldestSql, oldest] = cache.entries().next().value as [string, Statement];
      oldest.free();
      cache.delete(oldestSql);
    }
  }
  cache.set(sql, statement);
  try {
    // reset() below also clears the bindings, so a statement without parameters needs no bind.
    const values = params.length > 0 ? bindable(params) : [];
    if (params.length > 0) statement.bind(values);
    const result = use(statement);
    // Only after it succeeded: a failed statement changed nothing (SQLite undoes it whole).
    const sink = sinks.get(db);
    if (sink && !READ_ONLY.test(sql)) sink(sql, values);
    return result;
  } finally {
    statement.reset();
  }
}

/**
 * Column names of cached statements: getAsObject() asks SQLite for them again for every row, one
 * call into the engine and one string conversion per column. A statement's columns change only
 * with the schema (migrations, at open), and then so does their number, which is checked.
 */
const columnNames = new WeakMap<Statement, string[]>();

/** The current row as an object, as getAsObject() makes it. */
function rowOf<T>(statement: Statement): T {
  const values = statement.get();
  let names = columnNames.get(statement);
  if (names?.length !== values.length) {
    names = statement.getColumnNames();
    columnNames.set(statement, names);
  }
  const row: Row = {};
  for (let i = 0; i < values.length; i++) row[names[i]] = values[i];
  return row as T;
}

export function queryAll<T = Row>(db: Database, sql: string, params: readonly SqlParam[] = []): T[] {
  return withStatement(db, sql, params, (statement) => {
    const rows: T[] = [];
    while (statement.step()) rows.push(rowOf<T>(statement));
    return rows;
  });
}

export function queryOne<T = Row>(db: Database, sql: string, params: readonly SqlParam[] = []): T | undefined {
  return withStatement(db, sql, params, (statement) => (statement.step() ? rowOf<T>(statement) : undefined));
}

/** Runs one statement and returns how many rows it changed. */
export function execute(db: Database, sql: string, params: readonly SqlParam[] = []): number {
  withStatement(db, sql, params, (statement) => statement.step());
  return db.getRowsModified();
}

export function pragmaNumber(db: Database, name: 'user_version' | 'application_id'): number {
  const row = queryOne<Record<string, number>>(db, `PRAGMA ${name}`);
  return row ? Number(row[name]) : 0;
}
