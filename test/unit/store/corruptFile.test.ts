import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OrchestratorStore, StoreFileError, type FileProblem } from '../../../src/core/store';
import { APPLICATION_ID, migrate, SCHEMA_VERSION } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqlJsLoader';
import { queryDisk, samplePlan, useStores, useTempDir } from './helpers';

const CORRUPT_NAME = /^orchestrator\.db\.corrupt-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

async function sqliteBytes(build: (db: import('sql.js').Database) => void): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  build(db);
  const bytes = db.export();
  db.close();
  return bytes;
}

describe('store: a file that is not our database', () => {
  const temp = useTempDir();
  const open = useStores(temp);

  function place(bytes: Uint8Array): void {
    mkdirSync(dirname(temp.dbPath()), { recursive: true });
    writeFileSync(temp.dbPath(), bytes);
  }

  function asideFiles(): string[] {
    return readdirSync(dirname(temp.dbPath())).filter((name) => name.includes('.corrupt-'));
  }

  const cases: ReadonlyArray<{ name: string; problem: FileProblem; message: RegExp; bytes: () => Promise<Uint8Array> }> = [
    {
      name: 'garbage bytes',
      problem: 'not_sqlite',
      message: /is not a SQLite database \(it starts with "hello, I am not "\)/,
      bytes: async () => new TextEncoder().encode('hello, I am not a database at all, just some text that got here'.repeat(10)),
    },
    {
      name: 'a SQLite database of another application',
      problem: 'foreign',
      message: /another application \(application_id 0, user_version 7, tables: moz_bookmarks, moz_places\)/,
      bytes: () => sqliteBytes((db) => db.exec("CREATE TABLE moz_places (id INTEGER, url TEXT); CREATE TABLE moz_bookmarks (id); INSERT INTO moz_places VALUES (1, 'https://example.org'); PRAGMA user_version = 7")),
    },
    {
      name: 'a SQLite database with our table names but not our mark',
      problem: 'foreign',
      message: /another application .*tables: orchestrator_task/,
      bytes: () => sqliteBytes((db) => db.exec('CREATE TABLE orchestrator_task (task_id TEXT)')),
    },
    {
      name: 'our database from a newer version',
      problem: 'future_version',
      message: new RegExp(`written by a newer Agent Orchestrator \\(schema v99; this version knows up to v${SCHEMA_VERSION}\\)`),
      bytes: () => sqliteBytes((db) => { migrate(db); db.exec('PRAGMA user_version = 99'); }),
    },
    {
      name: 'our database with a table missing',
      problem: 'damaged',
      message: /lacks the tables orchestrator_event/,
      bytes: () => sqliteBytes((db) => { migrate(db); db.exec('DROP TABLE orchestrator_event'); }),
    },
    {
      name: 'a SQLite header over damaged pages',
      problem: 'damaged',
      message: /is a damaged SQLite database/,
      bytes: async () => {
        const bytes = await sqliteBytes((db) => migrate(db));
        bytes.fill(0xee, 100, 4096);
        return bytes;
      },
    },
  ];

  for (const c of cases) {
    it(`${c.name}: the writer moves it aside, reports it, and starts empty`, async () => {
      const original = await c.bytes();
      place(original);
      const store = await open(temp.dbPath());
      assert.ok(store.notice instanceof StoreFileError);
      assert.equal(store.notice.problem, c.problem);
      assert.match(store.notice.message, c.message);
      const [aside] = asideFiles();
      assert.match(aside ?? '', CORRUPT_NAME);
      assert.equal(store.notice.movedTo, join(dirname(temp.dbPath()), aside));
      assert.match(store.notice.message, /It was moved to .*orchestrator\.db\.corrupt-.* and a new, empty database was created\./);
      assert.deepEqual(readFileSync(join(dirname(temp.dbPath()), aside)), Buffer.from(original), 'moved, byte for byte');

      // The new database works and says what happened.
      assert.deepEqual(store.listEvents().map((e) => [e.kind, e.detail?.problem]), [['database_moved_aside', c.problem]]);
      store.savePlan(samplePlan());
      await store.flush();
      assert.equal((await queryDisk(temp.dbPath(), 'PRAGMA application_id'))[0].application_id, APPLICATION_ID);
    });

    it(`${c.name}: a reader refuses it and leaves it in place`, async () => {
      const original = await c.bytes();
      place(original);
      await assert.rejects(
        OrchestratorStore.open(temp.dbPath(), { readOnly: true }),
        (error: unknown) => error instanceof StoreFileError && error.problem === c.problem && error.movedTo === undefined && /The file was left untouched\.$/.test(error.message),
      );
      assert.deepEqual(readFileSync(temp.dbPath()), Buffer.from(original));
      assert.deepEqual(asideFiles(), []);
    });
  }

  it('never overwrites an earlier moved-aside file', async () => {
    for (let i = 0; i < 2; i++) {
      place(new TextEncoder().encode(`not a database, take ${i}`.padEnd(200, '.')));
      const store = await OrchestratorStore.open(temp.dbPath());
      await store.close();
    }
    const aside = asideFiles();
    assert.equal(aside.length, 2);
    const contents = aside.map((name) => readFileSync(join(dirname(temp.dbPath()), name), 'utf8').slice(0, 27)).sort();
    assert.deepEqual(contents, ['not a database, take 0.....', 'not a database, take 1.....']);
  });

  it('adopts a zero-length file and an empty SQLite file without complaint', async () => {
    place(new Uint8Array(0));
    const fromEmpty = await open(temp.dbPath());
    assert.equal(fromEmpty.notice, undefined);
    await fromEmpty.close();
    assert.equal(existsSync(temp.dbPath()), true);

    place(await sqliteBytes(() => undefined));
    const fromBlank = await open(temp.dbPath());
    assert.equal(fromBlank.notice, undefined);
    fromBlank.savePlan(samplePlan());
    assert.deepEqual(asideFiles(), []);
  });
});
