// Shared fixtures for the store tests: temp folders, small plans, and a way to read what is
// really on disk without going through the store under test.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan, PlanSpec } from '../../../src/core/model';
import { OrchestratorStore, type StoreOptions } from '../../../src/core/store';
import type { Database } from 'sql.js';
import { queryAll, type Row, type SqlParam } from '../../../src/core/store/sqlite';
import { loadSqlJs } from '../../../src/core/store/sqlJsLoader';
import { planTask } from '../../support/planTask';

export interface TempDir {
  readonly dir: () => string;
  readonly dbPath: () => string;
  /** Runs after the test, before the folder is removed. */
  readonly beforeRemove: (cleanup: () => Promise<void> | void) => void;
}

/** A fresh folder per test, removed afterwards; `dbPath()` is the default database path in it. */
export function useTempDir(): TempDir {
  let dir = '';
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'orch-store-'));
  });
  afterEach(async () => {
    for (const cleanup of cleanups) await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    dbPath: () => join(dir, '.agent-orchestrator', 'orchestrator.db'),
    beforeRemove: (cleanup) => cleanups.push(cleanup),
  };
}

/**
 * A small database flushes on the test's own thread (diskWriter.ts). ORCH_TEST_STORE_WORKER=1
 * runs every store the tests open through the store worker instead, to prove the mirror keeps
 * up with every kind of write the store makes.
 */
export function testWorkerAboveBytes(): number | undefined {
  return process.env.ORCH_TEST_STORE_WORKER === '1' ? 0 : undefined;
}

/** Opens stores that are closed after each test (before its folder goes), even when an assertion fails. */
export function useStores(temp: TempDir): (path: string, options?: StoreOptions) => Promise<OrchestratorStore> {
  const opened: OrchestratorStore[] = [];
  temp.beforeRemove(async () => {
    for (const store of opened.splice(0)) await store.close().catch(() => undefined);
  });
  return async (path, options = {}) => {
    const store = await OrchestratorStore.open(path, { lock: { staleMs: 5_000, heartbeatMs: 500 }, workerAboveBytes: testWorkerAboveBytes(), ...options });
    opened.push(store);
    return store;
  };
}

export function spec(id: string, title = `Spec ${id}`): PlanSpec {
  return { id, title, description: `About ${id}`, location: { file: 'demo.plan.md', line: 1 } };
}

/** SPEC-031 with four tasks (31-3 after 31-1 and 31-2), SPEC-032 with one. */
export function samplePlan(source = 'demo.plan.md'): Plan {
  return {
    source,
    specs: [spec('SPEC-031'), spec('SPEC-032')],
    tasks: [
      planTask('TASK-31-1', { priority: 'high', estimatedHours: 8, files: ['src/a/**'], location: { file: source, line: 3 } }),
      planTask('TASK-31-2', { priority: 'high', estimatedHours: 6, location: { file: source, line: 4 } }),
      planTask('TASK-31-3', { estimatedHours: 2, dependsOn: ['TASK-31-1', 'TASK-31-2'], agent: 'claude', verify: 'npm test', location: { file: source, line: 5 } }),
      planTask('TASK-31-4', { priority: 'low', estimatedHours: 1, location: { file: source, line: 6 } }),
      planTask('TASK-32-1', { estimatedHours: 2, location: { file: source, line: 9 } }),
    ],
  };
}

/** Queries the file on disk with a separate sql.js instance. */
export async function queryDisk(path: string, sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(path));
  try {
    return queryAll(db, sql, params);
  } finally {
    db.close();
  }
}

/** Changes the file on disk behind the store's back (the store must be closed). */
export async function editDisk(path: string, sql: string): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(path));
  try {
    db.exec(sql);
    writeFileSync(path, db.export());
  } finally {
    db.close();
  }
}

/** Rows of `table` in the file; 0 when there is no file yet (a new store writes at its first change). */
export async function countOnDisk(path: string, table: string): Promise<number> {
  if (!existsSync(path)) return 0;
  return Number((await queryDisk(path, `SELECT COUNT(*) AS n FROM ${table}`))[0].n);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it is true or `timeoutMs` passes; returns its last value. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
}

/** The bytes of a SQLite file that `build` made in memory: a database of ours, another's, or a spoilt one. */
export async function sqliteBytes(build: (db: Database) => void): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  build(db);
  const bytes = db.export();
  db.close();
  return bytes;
}

/** Every file under `dir` with its content, by relative path (retention's tests compare kept runs' folders). */
export function filesUnder(dir: string, prefix = ''): Record<string, string> {
  if (!existsSync(dir)) return {};
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(files, filesUnder(path, `${prefix}${name}/`));
    else files[`${prefix}${name}`] = readFileSync(path, 'utf8');
  }
  return files;
}
