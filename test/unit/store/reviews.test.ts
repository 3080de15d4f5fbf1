import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SCHEMA_VERSION } from '../../../src/core/store';
import { migrate } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqlJsLoader';
import { queryDisk, samplePlan, useStores, useTempDir } from './helpers';

/** A v3 file (before review): one task that ran one attempt. */
async function writeV3File(path: string): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  assert.deepEqual(migrate(db, 3), [1, 2, 3]);
  db.exec(`
    INSERT INTO specs_specification (spec_id, title, created_at, updated_at) VALUES ('SPEC-031', 'Old spec', '2025-10-26T10:00:00.000Z', '2025-10-26T10:00:00.000Z');
    INSERT INTO orchestrator_task (task_id, spec_id, status, priority, estimated_hours, created_at, orchestrator_instance_id, run_id, updated_at)
      VALUES ('TASK-31-1', 'SPEC-031', 'completed', 'high', 8, '2025-10-26T10:30:45.000Z', 'orch-1', 'orch-1', '2025-10-26T10:30:45.000Z');
    INSERT INTO orchestrator_attempt (task_id, run_id, attempt_number, branch, outcome, started_at) VALUES ('TASK-31-1', 'orch-1', 1, 'orch/TASK-31-1/a1', 'completed', '2025-10-26T10:30:45.000Z');
  `);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, db.export());
  db.close();
}

describe('store: review states and start commits (schema v4)', () => {
  const temp = useTempDir();
  const open = useStores(temp);

  it('upgrades a v3 file: old attempts have no start commit, no task has a review row', async () => {
    await writeV3File(temp.dbPath());
    const store = await open(temp.dbPath());
    assert.equal((await queryDisk(temp.dbPath(), 'PRAGMA user_version'))[0].user_version, SCHEMA_VERSION);
    assert.equal(store.listAttempts('TASK-31-1')[0].startCommit, null);
    assert.deepEqual(store.listReviews(), []);
    assert.equal((await queryDisk(temp.dbPath(), "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'orchestrator_review'"))[0].n, 1);
  });

  it('records merged then discarded (one row per task), traced as review events and on disk at once', async () => {
    const store = await open(temp.dbPath());
    store.savePlan(samplePlan());
    const merged = store.recordReview({ taskId: 'TASK-31-1', state: 'merged', target: 'orch/integrate/r1', commit: 'abc123', strategy: 'squash', runId: 'r1' });
    assert.equal(merged.state, 'merged');
    assert.equal(merged.target, 'orch/integrate/r1');
    await store.flush();
    const onDisk = await queryDisk(temp.dbPath(), 'SELECT task_id, state, target_branch, merge_commit, strategy FROM orchestrator_review');
    assert.deepEqual(onDisk, [{ task_id: 'TASK-31-1', state: 'merged', target_branch: 'orch/integrate/r1', merge_commit: 'abc123', strategy: 'squash' }]);

    store.recordReview({ taskId: 'TASK-31-1', state: 'discarded' });
    assert.deepEqual(store.listReviews().map((r) => [r.taskId, r.state, r.target, r.strategy]), [['TASK-31-1', 'discarded', null, null]]);
    assert.deepEqual(store.listEvents({ taskId: 'TASK-31-1' }).filter((e) => e.kind === 'review').map((e) => e.toStatus), ['merged', 'discarded']);
  });

  it('refuses a state or strategy the table does not know', async () => {
    const store = await open(temp.dbPath());
    assert.throws(() => store.recordReview({ taskId: 'TASK-31-1', state: 'approved' as 'merged' }), /CHECK constraint failed/);
    assert.equal(store.getReview('TASK-31-1'), undefined);
  });

  it("keeps the run's base commit in its run_started event", async () => {
    const store = await open(temp.dbPath());
    store.beginRun({ runId: 'orch-20260101-000000-aaaa', baseCommit: 'f00d' });
    store.beginRun({ runId: 'orch-20260101-000001-bbbb' });
    assert.equal(store.runBaseCommit('orch-20260101-000000-aaaa'), 'f00d');
    assert.equal(store.runBaseCommit('orch-20260101-000001-bbbb'), undefined);
    assert.equal(store.runBaseCommit('orch-unknown'), undefined);
  });
});
