import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { SCHEMA_VERSION } from '../../../src/core/store';
import { buildEmptyDatabase, readEmptyDatabase } from '../../../src/core/store/emptyDatabase';
import { APPLICATION_ID, migrate } from '../../../src/core/store/schema';
import { queryAll } from '../../../src/core/store/sqlite';
import { loadSqlJs } from '../../../src/core/store/sqlJsLoader';
import { queryDisk, samplePlan, useStores, useTempDir } from './helpers';

/** Everything that makes a schema: its objects' SQL, and the two numbers that say whose and which. */
function schemaOf(db: Database): unknown {
  return {
    objects: queryAll(db, 'SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name'),
    userVersion: queryAll(db, 'PRAGMA user_version')[0].user_version,
    applicationId: queryAll(db, 'PRAGMA application_id')[0].application_id,
  };
}

async function migratedFromScratch(): Promise<unknown> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    migrate(db);
    return schemaOf(db);
  } finally {
    db.close();
  }
}

describe('store: the empty database a new file starts from', () => {
  const temp = useTempDir();
  const open = useStores(temp);

  it('is what the migrations make, as written by the build beside the store modules', async () => {
    const shipped = readEmptyDatabase();
    assert.ok(shipped, 'the build writes empty.sqlite (scripts/build.mjs)');
    const SQL = await loadSqlJs();
    const db = new SQL.Database(shipped);
    try {
      const schema = schemaOf(db) as { userVersion: number; applicationId: number };
      assert.equal(schema.userVersion, SCHEMA_VERSION);
      assert.equal(schema.applicationId, APPLICATION_ID);
      assert.deepEqual(schema, await migratedFromScratch());
      assert.deepEqual(queryAll(db, 'SELECT COUNT(*) AS n FROM orchestrator_event'), [{ n: 0 }]);
    } finally {
      db.close();
    }
  });

  it('gives a new store the full schema, and the file appears with the first change', async () => {
    const store = await open(temp.dbPath());
    assert.equal(store.readOnly, false);
    assert.equal(existsSync(temp.dbPath()), false, 'an empty database is not worth a write');
    store.savePlan(samplePlan());
    await store.flush();
    assert.equal((await queryDisk(temp.dbPath(), 'PRAGMA user_version'))[0].user_version, SCHEMA_VERSION);
    assert.equal((await queryDisk(temp.dbPath(), 'SELECT COUNT(*) AS n FROM specs_task'))[0].n, samplePlan().tasks.length);
  });

  it('is brought up to date when it comes from an older build', async () => {
    const SQL = await loadSqlJs();
    const old = new SQL.Database();
    migrate(old, 1);
    const path = join(temp.dir(), 'empty-v1.sqlite');
    writeFileSync(path, old.export());
    old.close();
    const store = await open(temp.dbPath(), { emptyDatabasePath: path });
    assert.equal((await queryDisk(temp.dbPath(), 'PRAGMA user_version'))[0].user_version, SCHEMA_VERSION, 'upgraded, so written at once');
    store.savePlan(samplePlan());
    assert.equal(store.listPlanTasks().length, samplePlan().tasks.length);
  });

  it('is only a head start: a missing or damaged one means the tables are created here', async () => {
    const damaged = join(temp.dir(), 'damaged.sqlite');
    writeFileSync(damaged, 'SQLite format 3\0 but nothing after it'.padEnd(4096, 'x'));
    for (const emptyDatabasePath of [join(temp.dir(), 'missing.sqlite'), damaged]) {
      const path = join(temp.dir(), `${emptyDatabasePath.endsWith('missing.sqlite') ? 'a' : 'b'}`, 'orchestrator.db');
      const store = await open(path, { emptyDatabasePath });
      assert.equal(store.notice, undefined, 'nothing was moved aside');
      store.savePlan(samplePlan());
      await store.flush();
      assert.equal((await queryDisk(path, 'SELECT COUNT(*) AS n FROM specs_task'))[0].n, samplePlan().tasks.length);
    }
  });

  it('builds with the migrations applied and nothing else', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database(buildEmptyDatabase(SQL));
    try {
      assert.deepEqual(schemaOf(db), await migratedFromScratch());
    } finally {
      db.close();
    }
  });
});
