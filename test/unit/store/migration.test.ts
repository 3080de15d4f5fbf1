import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SCHEMA_VERSION } from '../../../src/core/store';
import { MIGRATIONS, migrate, schemaVersion } from '../../../src/core/store/schema';
import { queryAll } from '../../../src/core/store/sqlite';
import { loadSqlJs } from '../../../src/core/store/sqlJsLoader';
import { queryDisk, useStores, useTempDir } from './helpers';

/** A database file as version 1 of this code wrote it, with a little of everything in it. */
async function writeV1File(path: string): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  assert.deepEqual(migrate(db, 1), [1]);
  db.exec(`
    INSERT INTO specs_specification (spec_id, title, created_at, updated_at) VALUES ('SPEC-031', 'Old spec', '2025-10-26T10:00:00.000Z', '2025-10-26T10:00:00.000Z');
    INSERT INTO specs_task (task_id, spec_id, title, prompt, priority, estimated_hours, status, created_at, updated_at)
      VALUES ('TASK-31-1', 'SPEC-031', 'Old task', 'Do it', 'high', 8, 'assigned', '2025-10-26T10:00:00.000Z', '2025-10-26T10:00:00.000Z');
    INSERT INTO orchestrator_task (task_id, spec_id, status, priority, estimated_hours, created_at, orchestrator_instance_id, run_id, updated_at)
      VALUES ('TASK-31-1', 'SPEC-031', 'running', 'high', 8, '2025-10-26T10:30:45.000Z', 'orch-20251026-001', 'orch-20251026-001', '2025-10-26T10:30:45.000Z');
    INSERT INTO orchestrator_event (at, task_id, kind, to_status) VALUES ('2025-10-26T10:30:45.000Z', 'TASK-31-1', 'task_spawned', 'spawned');
  `);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, db.export());
  db.close();
}

describe('store: schema migrations', () => {
  const temp = useTempDir();
  const open = useStores(temp);

  it('lists migrations in order, one version each, ending at SCHEMA_VERSION', () => {
    assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
    assert.equal(SCHEMA_VERSION, MIGRATIONS.length);
    assert.equal(SCHEMA_VERSION, 5);
  });

  it('opens a v1 file: the data survives, v2 is applied and the file on disk is bumped', async () => {
    await writeV1File(temp.dbPath());
    assert.equal((await queryDisk(temp.dbPath(), 'PRAGMA user_version'))[0].user_version, 1);
    assert.equal((await queryDisk(temp.dbPath(), "SELECT COUNT(*) AS n FROM pragma_table_info('orchestrator_task') WHERE name = 'routed_by'"))[0].n, 0);

    const store = await open(temp.dbPath());
    assert.equal(store.notice, undefined);
    const task = store.getTask('TASK-31-1');
    assert.equal(task?.status, 'running');
    assert.equal(task?.orchestratorInstanceId, 'orch-20251026-001');
    assert.equal(task?.routedBy, null, 'the new column reads as null for old rows');
    assert.equal(store.listPlanTasks()[0].title, 'Old task');
    assert.equal(store.listPlanTasks()[0].done, false, 'specs_task.done defaults to 0 for old rows');
    assert.deepEqual(store.listEvents().map((e) => e.kind), ['task_spawned']);

    // The upgrade is on disk without any write or flush by the caller.
    assert.equal((await queryDisk(temp.dbPath(), 'PRAGMA user_version'))[0].user_version, SCHEMA_VERSION);
    assert.equal((await queryDisk(temp.dbPath(), "SELECT COUNT(*) AS n FROM pragma_table_info('orchestrator_attempt') WHERE name = 'session_id'"))[0].n, 1);
    const indexes = (await queryDisk(temp.dbPath(), "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_event_%' ORDER BY name")).map((r) => r.name);
    assert.deepEqual(indexes, ['idx_event_run', 'idx_event_task']);

    // And the new column is in use.
    store.transition('TASK-31-1', 'interrupted');
    store.transition('TASK-31-1', 'spawned');
    store.transition('TASK-31-1', 'running', { assignedAgent: 'codex', routedBy: 'keyword:api' });
    assert.equal(store.getTask('TASK-31-1')?.routedBy, 'keyword:api');
  });

  it('a reader upgrades only its in-memory copy and leaves the file at v1', async () => {
    await writeV1File(temp.dbPath());
    const before = readFileSync(temp.dbPath());
    const reader = await open(temp.dbPath(), { readOnly: true });
    assert.equal(reader.getTask('TASK-31-1')?.routedBy, null);
    assert.deepEqual(readFileSync(temp.dbPath()), before);
  });

  it('a failing migration is rolled back whole, leaving the last good version', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    migrate(db, 1);
    db.exec('DROP TABLE orchestrator_event');
    assert.throws(() => migrate(db), /Schema migration to v2 \(.*\) failed: no such table: main\.orchestrator_event/);
    assert.equal(schemaVersion(db), 1);
    const columns = queryAll<{ name: string }>(db, "SELECT name FROM pragma_table_info('orchestrator_task')").map((r) => r.name);
    assert.equal(columns.includes('routed_by'), false, 'the ALTER before the failure was undone too');
    db.close();
  });

  it('migrating an up-to-date database does nothing', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    assert.deepEqual(migrate(db), MIGRATIONS.map((m) => m.version));
    assert.deepEqual(migrate(db), []);
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    const tables = queryAll<{ name: string }>(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('orchestrator_followup', 'orchestrator_overlap') ORDER BY name");
    assert.deepEqual(tables.map((t) => t.name), ['orchestrator_followup', 'orchestrator_overlap'], 'v5');
    db.close();
  });
});
