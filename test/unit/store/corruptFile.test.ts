import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OrchestratorStore, StoreFileError, type FileProblem } from '../../../src/core/store';
import { inspectDatabaseBytes } from '../../../src/core/store/corruptFile';
import { APPLICATION_ID, migrate, SCHEMA_VERSION } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqlJsLoader';
import { queryDisk, samplePlan, sqliteBytes, useStores, useTempDir } from './helpers';

const CORRUPT_NAME = /^orchestrator\.db\.corrupt-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;


/** One of our databases with a plan in it, as a real store flushes it. */
async function ourDatabaseBytes(dir: string): Promise<Uint8Array> {
  const path = join(dir, 'source', 'orchestrator.db');
  const store = await OrchestratorStore.open(path);
  store.savePlan(samplePlan());
  await store.close();
  return readFileSync(path);
}

export interface DamagedFile {
  readonly name: string;
  readonly problem: FileProblem;
  readonly message: RegExp;
  readonly bytes: (scratchDir: string) => Promise<Uint8Array>;
}

export const DAMAGED_FILES: readonly DamagedFile[] = [
  {
    name: 'our database truncated to half its size',
    problem: 'damaged',
    message: /is truncated: its header counts \d+ pages of 4096 bytes \(\d+ bytes\) but the file holds only \d+ bytes/,
    bytes: async (dir) => {
      const whole = await ourDatabaseBytes(dir);
      return whole.subarray(0, Math.floor(whole.length / 2));
    },
  },
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

  /** Everything in the database folder, so a test can tell that an open changed nothing there. */
  function folderListing(): string[] {
    return readdirSync(dirname(temp.dbPath())).sort();
  }

  function refusal(c: DamagedFile): (error: unknown) => boolean {
    return (error: unknown) => {
      assert.ok(error instanceof StoreFileError, `a StoreFileError, not ${String(error)}`);
      assert.equal(error.problem, c.problem);
      assert.equal(error.movedTo, undefined);
      assert.equal(error.path, temp.dbPath());
      assert.match(error.message, c.message);
      assert.ok(error.message.startsWith(`The orchestrator database ${temp.dbPath()} `), error.message);
      assert.match(error.message, /Nothing was changed\./);
      if (c.problem === 'future_version') {
        assert.match(error.message, /upgrade Agent Orchestrator/);
        assert.match(error.message, /--recover does not replace it/);
      } else {
        assert.match(error.message, /run the command again with --recover/);
      }
      return true;
    };
  }

  for (const c of DAMAGED_FILES) {
    it(`${c.name}: the writer refuses it and changes nothing`, async () => {
      const original = await c.bytes(temp.dir());
      place(original);
      const before = folderListing();
      await assert.rejects(open(temp.dbPath()), refusal(c));
      assert.deepEqual(readFileSync(temp.dbPath()), Buffer.from(original), 'the file, byte for byte');
      assert.deepEqual(folderListing(), before, 'no file moved aside, no lock left behind');
    });

    it(`${c.name}: a reader refuses it the same way and leaves it in place`, async () => {
      const original = await c.bytes(temp.dir());
      place(original);
      await assert.rejects(OrchestratorStore.open(temp.dbPath(), { readOnly: true, recover: true }), refusal(c));
      assert.deepEqual(readFileSync(temp.dbPath()), Buffer.from(original));
      assert.deepEqual(asideFiles(), []);
    });

    if (c.problem === 'future_version') {
      it(`${c.name}: even with recover the file is refused and left alone`, async () => {
        const original = await c.bytes(temp.dir());
        place(original);
        await assert.rejects(open(temp.dbPath(), { recover: true }), refusal(c));
        assert.deepEqual(readFileSync(temp.dbPath()), Buffer.from(original));
        assert.deepEqual(asideFiles(), []);
      });
      continue;
    }

    it(`${c.name}: with recover the writer keeps it aside, says where, and starts empty`, async () => {
      const original = await c.bytes(temp.dir());
      place(original);
      const store = await open(temp.dbPath(), { recover: true });
      assert.ok(store.notice instanceof StoreFileError);
      assert.equal(store.notice.problem, c.problem);
      assert.match(store.notice.message, c.message);
      const [aside] = asideFiles();
      assert.match(aside ?? '', CORRUPT_NAME);
      assert.equal(store.notice.movedTo, join(dirname(temp.dbPath()), aside));
      assert.match(store.notice.message, /It was kept as .*orchestrator\.db\.corrupt-\S+; a new, empty database was started\./);
      assert.deepEqual(readFileSync(join(dirname(temp.dbPath()), aside)), Buffer.from(original), 'moved, byte for byte');

      // The new database works and says what happened.
      assert.deepEqual(store.listEvents().map((e) => [e.kind, e.detail?.problem]), [['database_moved_aside', c.problem]]);
      store.savePlan(samplePlan());
      await store.flush();
      assert.equal((await queryDisk(temp.dbPath(), 'PRAGMA application_id'))[0].application_id, APPLICATION_ID);
    });
  }

  it('recover leaves a good database alone', async () => {
    place(await ourDatabaseBytes(temp.dir()));
    const store = await open(temp.dbPath(), { recover: true });
    assert.equal(store.notice, undefined);
    assert.equal(store.listTasks().length, samplePlan().tasks.length);
    assert.deepEqual(asideFiles(), []);
  });

  it('a truncated file is named as truncated, from the page count in its header', async () => {
    const SQL = await loadSqlJs();
    const whole = await ourDatabaseBytes(temp.dir());
    const verdict = inspectDatabaseBytes(SQL, whole.subarray(0, whole.length - 4096));
    assert.equal(verdict.kind, 'rejected');
    assert.match(verdict.kind === 'rejected' ? verdict.detail : '', /is truncated/);
  });

  it('never overwrites an earlier moved-aside file', async () => {
    for (let i = 0; i < 2; i++) {
      place(new TextEncoder().encode(`not a database, take ${i}`.padEnd(200, '.')));
      const store = await OrchestratorStore.open(temp.dbPath(), { recover: true });
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

  it('removes a half-written temp file of ours without a word, even beside a refused file', async () => {
    const garbage = new TextEncoder().encode('not a database'.padEnd(200, '.'));
    place(garbage);
    const leftover = `${temp.dbPath()}.tmp-99999-1`;
    writeFileSync(leftover, 'half a database');
    await assert.rejects(open(temp.dbPath()), StoreFileError);
    assert.equal(existsSync(leftover), false);
    assert.deepEqual(readFileSync(temp.dbPath()), Buffer.from(garbage));
  });

  it('still removes a half-written temp file of ours beside a good database', async () => {
    place(await ourDatabaseBytes(temp.dir()));
    const leftover = `${temp.dbPath()}.tmp-99999-1`;
    writeFileSync(leftover, 'half a database');
    const store = await open(temp.dbPath());
    assert.equal(existsSync(leftover), false);
    assert.equal(store.listTasks().length, samplePlan().tasks.length);
  });
});
