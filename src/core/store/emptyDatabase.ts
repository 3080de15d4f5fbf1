// A new database starts as a copy of `empty.sqlite`, which the build writes beside the bundle by
// running the schema's own migrations. Creating the tables at run time costs a fresh CLI ~10 ms
// before its first agent can start: SQLite re-reads its whole schema after every CREATE and
// ALTER, and each is compiled cold (sql.js compiles its WebAssembly lazily). The copy is only a
// head start: opening it still runs `migrate`, so a copy from an older build is brought up to
// date, and a missing or unusable one just means the tables are created the slow way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { migrate } from './schema';

export const EMPTY_DATABASE_FILE = 'empty.sqlite';

/** The bytes of a database with every migration applied and nothing in it (run by the build). */
export function buildEmptyDatabase(SQL: SqlJsStatic): Uint8Array {
  const db = new SQL.Database();
  try {
    migrate(db);
    return db.export();
  } finally {
    db.close();
  }
}

/** The copy beside this module (dist/ for the bundles, out/ for the tests), if there is one. */
export function readEmptyDatabase(path: string = join(__dirname, EMPTY_DATABASE_FILE)): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
