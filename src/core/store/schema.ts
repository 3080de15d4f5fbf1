// The schema as an ordered list of migrations; `PRAGMA user_version` records how many ran.
// Each migration runs in its own transaction together with its version bump, so a file is
// always at exactly one version. Never edit a shipped migration: append a new one.
import type { Database } from 'sql.js';
import { pragmaNumber } from './sqlite';

/** Marks a file as ours ("AORC"), so a SQLite file of another app is told apart from an empty one. */
export const APPLICATION_ID = 0x414f5243;

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly up: (db: Database) => void;
}

const V1 = `
CREATE TABLE specs_specification (
  spec_id      TEXT PRIMARY KEY,
  title        TEXT NOT NULL,
  description  TEXT NOT NULL DEFAULT '',
  plan_source  TEXT,
  source_file  TEXT,
  source_line  INTEGER,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);

CREATE TABLE specs_task (
  task_id          TEXT PRIMARY KEY,
  spec_id          TEXT NOT NULL REFERENCES specs_specification(spec_id),
  title            TEXT NOT NULL,
  prompt           TEXT NOT NULL,
  priority         TEXT NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
  estimated_hours  INTEGER NOT NULL CHECK (typeof(estimated_hours) = 'integer' AND estimated_hours > 0),
  agent            TEXT,
  files            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(files)),
  verify           TEXT,
  parent_task_id   TEXT REFERENCES specs_task(task_id) DEFERRABLE INITIALLY DEFERRED,
  strategy         TEXT,
  threshold        REAL,
  fan_out          TEXT CHECK (fan_out IS NULL OR json_valid(fan_out)),
  source_file      TEXT,
  source_line      INTEGER,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready', 'assigned')),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX idx_specs_task_spec ON specs_task(spec_id);

CREATE TABLE specs_task_dependency (
  task_id             TEXT NOT NULL REFERENCES specs_task(task_id) ON DELETE CASCADE,
  depends_on_task_id  TEXT NOT NULL REFERENCES specs_task(task_id) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (task_id, depends_on_task_id),
  CHECK (task_id <> depends_on_task_id)
) WITHOUT ROWID;

-- The contract's twelve columns first, in its order and spelling (docs/database.md); run_id and
-- updated_at are this project's.
-- Statuses are checked by the one transition function (model.ts), not by a CHECK, so adding a
-- status never needs a table rebuild.
CREATE TABLE orchestrator_task (
  task_id                   TEXT PRIMARY KEY,
  spec_id                   TEXT NOT NULL REFERENCES specs_specification(spec_id),
  status                    TEXT NOT NULL,
  priority                  TEXT NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
  estimated_hours           INTEGER NOT NULL CHECK (typeof(estimated_hours) = 'integer' AND estimated_hours > 0),
  assigned_agent            TEXT,
  created_at                TEXT NOT NULL,
  started_at                TEXT,
  completed_at              TEXT,
  orchestrator_instance_id  TEXT NOT NULL,
  retry_count               INTEGER NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
  error_message             TEXT,
  run_id                    TEXT NOT NULL,
  updated_at                TEXT NOT NULL
);
CREATE INDEX idx_orchestrator_task_status ON orchestrator_task(status);
CREATE INDEX idx_orchestrator_task_run ON orchestrator_task(run_id);

-- run_id is the orchestrator instance id of the run's tasks (e.g. orch-20251026-103045-3fa1).
CREATE TABLE orchestrator_run (
  run_id        TEXT PRIMARY KEY,
  started_at    TEXT NOT NULL,
  ended_at      TEXT,
  status        TEXT NOT NULL,
  strategy      TEXT,
  max_parallel  INTEGER NOT NULL CHECK (max_parallel > 0),
  plan_source   TEXT,
  hostname      TEXT,
  pid           INTEGER,
  summary_md    TEXT,
  metrics_json  TEXT CHECK (metrics_json IS NULL OR json_valid(metrics_json))
);

CREATE TABLE orchestrator_attempt (
  attempt_id      INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id         TEXT NOT NULL REFERENCES orchestrator_task(task_id),
  run_id          TEXT NOT NULL,
  attempt_number  INTEGER NOT NULL CHECK (attempt_number > 0),
  agent           TEXT,
  worktree        TEXT,
  branch          TEXT,
  pid             INTEGER,
  exit_code       INTEGER,
  outcome         TEXT,
  started_at      TEXT NOT NULL,
  ended_at        TEXT,
  duration_ms     INTEGER,
  cost_usd        REAL,
  tokens_in       INTEGER,
  tokens_out      INTEGER,
  log_path        TEXT,
  error           TEXT,
  UNIQUE (task_id, attempt_number)
);

-- The event trace: every state change and decision, append-only. No foreign keys: the trace must
-- never be the reason a write fails, and it may name tasks that were later removed from a plan.
CREATE TABLE orchestrator_event (
  event_id     INTEGER PRIMARY KEY AUTOINCREMENT,
  at           TEXT NOT NULL,
  run_id       TEXT,
  task_id      TEXT,
  kind         TEXT NOT NULL,
  from_status  TEXT,
  to_status    TEXT,
  detail       TEXT CHECK (detail IS NULL OR json_valid(detail))
);
`;

const V2 = `
ALTER TABLE orchestrator_task ADD COLUMN routed_by TEXT;
ALTER TABLE specs_task ADD COLUMN done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1));
CREATE INDEX idx_event_task ON orchestrator_event(task_id, event_id);
CREATE INDEX idx_event_run ON orchestrator_event(run_id, event_id);
`;

// Review and integrate (docs/review.md): the commit an attempt's own work starts from (its base
// plus the dependency branches merged in), and one review state per task. A table of its own:
// the orchestrator_task columns are the contract's (docs/database.md) and never change.
const V4 = `
ALTER TABLE orchestrator_attempt ADD COLUMN start_commit TEXT;
CREATE TABLE orchestrator_review (
  task_id        TEXT PRIMARY KEY,
  state          TEXT NOT NULL CHECK (state IN ('unreviewed', 'merged', 'discarded')),
  target_branch  TEXT,
  merge_commit   TEXT,
  strategy       TEXT CHECK (strategy IS NULL OR strategy IN ('merge', 'squash', 'rebase')),
  updated_at     TEXT NOT NULL
);
`;

// Follow-ups and the conflict radar (docs/review.md). A follow-up waits for the next run; attempt_id
// is set when an attempt takes it on. An overlap is a pair of one run's tasks that touched the
// same files (task_a < task_b); conflict is NULL until both branches are final and merge-tree said.
const V5 = `
CREATE TABLE orchestrator_followup (
  followup_id  INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id      TEXT NOT NULL REFERENCES orchestrator_task(task_id),
  kind         TEXT NOT NULL CHECK (kind IN ('followup', 'resolve')),
  prompt       TEXT NOT NULL,
  base_ref     TEXT,
  merge_into   TEXT,
  created_at   TEXT NOT NULL,
  attempt_id   INTEGER REFERENCES orchestrator_attempt(attempt_id)
);
CREATE INDEX idx_followup_task ON orchestrator_followup(task_id, followup_id);

CREATE TABLE orchestrator_overlap (
  run_id         TEXT NOT NULL,
  task_a         TEXT NOT NULL,
  task_b         TEXT NOT NULL,
  files          TEXT NOT NULL CHECK (json_valid(files)),
  conflict       INTEGER CHECK (conflict IS NULL OR conflict IN (0, 1)),
  first_seen_at  TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  PRIMARY KEY (run_id, task_a, task_b),
  CHECK (task_a < task_b)
) WITHOUT ROWID;
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'specs, orchestrator tasks, runs, attempts and the event trace',
    up: (db) => {
      db.exec(V1);
      db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
    },
  },
  {
    version: 2,
    description: 'orchestrator_task.routed_by (why an agent was chosen), specs_task.done (checked in the plan), event indexes',
    up: (db) => db.exec(V2),
  },
  {
    version: 3,
    description: "orchestrator_attempt.session_id (the agent CLI's own session, for follow-ups)",
    up: (db) => db.exec('ALTER TABLE orchestrator_attempt ADD COLUMN session_id TEXT;'),
  },
  {
    version: 4,
    description: 'orchestrator_attempt.start_commit (the left side of a review) and orchestrator_review (merged, discarded)',
    up: (db) => db.exec(V4),
  },
  {
    version: 5,
    description: 'orchestrator_followup (follow-ups and resolve-with-agent for the next run) and orchestrator_overlap (the conflict radar)',
    up: (db) => db.exec(V5),
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export const REQUIRED_TABLES: readonly string[] = [
  'specs_specification',
  'specs_task',
  'specs_task_dependency',
  'orchestrator_task',
  'orchestrator_run',
  'orchestrator_attempt',
  'orchestrator_event',
];

export function schemaVersion(db: Database): number {
  return pragmaNumber(db, 'user_version');
}

/**
 * Brings `db` from its current version up to `target`; returns the versions applied. A failing
 * migration is rolled back whole, leaving the file at the last version that succeeded.
 */
export function migrate(db: Database, target: number = SCHEMA_VERSION): number[] {
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version <= schemaVersion(db) || migration.version > target) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      migration.up(db);
      // PRAGMA takes no bound parameters; the version is a number from the list above.
      db.exec(`PRAGMA user_version = ${migration.version}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw new Error(`Schema migration to v${migration.version} (${migration.description}) failed: ${(error as Error).message}`);
    }
    applied.push(migration.version);
  }
  return applied;
}

export function missingTables(db: Database): string[] {
  const present = new Set(
    (db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values ?? []).map((row) => String(row[0])),
  );
  return REQUIRED_TABLES.filter((name) => !present.has(name));
}
