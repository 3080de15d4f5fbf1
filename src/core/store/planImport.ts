// Writes a parsed Plan into specs_specification, specs_task and specs_task_dependency, and
// reads it back.
//
// Re-importing is well-defined; the whole import is one transaction and all-or-nothing:
// - a new task is inserted as pending;
// - a pending or ready task takes every new field; if anything but its title, its done mark
//   or its source location changed, a ready task goes back to pending so readiness is judged
//   again;
// - an assigned task (already handed to the orchestrator) may only change its title, done mark
//   and source location; any other change refuses the whole import (PlanImportError names
//   each task and field), because the agent may already be working from the old definition;
// - a task missing from the plan is deleted while pending or ready, and kept while assigned
//   (or while a kept task still refers to it), reported as `retained`. Only tasks of this
//   plan's specs, or of specs this plan file imported before, are considered.
import type { Database } from 'sql.js';
import { isoNow, type FanOut, type Plan, type PlanSpec, type PlanTask, type Priority, type SpecTaskStatus, type Strategy } from '../model';
import { PlanImportError, type PlanProblem } from './errors';
import { recordEvent } from './events';
import { execute, queryAll, queryOne } from './sqlite';

export interface SavePlanResult {
  readonly source: string;
  readonly specs: { readonly inserted: string[]; readonly updated: string[]; readonly removed: string[] };
  readonly tasks: {
    readonly inserted: string[];
    readonly updated: string[];
    readonly unchanged: string[];
    readonly removed: string[];
    readonly retained: string[];
  };
}

interface SpecTaskRow {
  task_id: string;
  spec_id: string;
  title: string;
  prompt: string;
  priority: Priority;
  estimated_hours: number;
  agent: string | null;
  files: string;
  verify: string | null;
  parent_task_id: string | null;
  strategy: Strategy | null;
  threshold: number | null;
  fan_out: string | null;
  source_file: string | null;
  source_line: number | null;
  done: number;
  status: SpecTaskStatus;
}

/** The fields that decide what an agent is asked to do, normalised for comparison. */
type Definition = Record<string, string | number | null>;

function definitionOf(task: PlanTask): Definition {
  return {
    spec: task.specId,
    prompt: task.prompt,
    priority: task.priority,
    estimatedHours: task.estimatedHours,
    agent: task.agent ?? null,
    files: JSON.stringify(task.files),
    verify: task.verify ?? null,
    parent: task.parentId ?? null,
    strategy: task.strategy ?? null,
    threshold: task.threshold ?? null,
    fanOut: task.fanOut ? JSON.stringify(task.fanOut) : null,
    dependsOn: JSON.stringify([...new Set(task.dependsOn)].sort()),
  };
}

function definitionOfRow(row: SpecTaskRow, dependsOn: readonly string[]): Definition {
  return {
    spec: row.spec_id,
    prompt: row.prompt,
    priority: row.priority,
    estimatedHours: row.estimated_hours,
    agent: row.agent,
    files: row.files,
    verify: row.verify,
    parent: row.parent_task_id,
    strategy: row.strategy,
    threshold: row.threshold,
    fanOut: row.fan_out,
    dependsOn: JSON.stringify([...dependsOn].sort()),
  };
}

function changedFields(a: Definition, b: Definition): string[] {
  return Object.keys(a).filter((key) => a[key] !== b[key]);
}

function dependencyMap(db: Database): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const row of queryAll<{ task_id: string; depends_on_task_id: string }>(db, 'SELECT task_id, depends_on_task_id FROM specs_task_dependency')) {
    const list = map.get(row.task_id) ?? [];
    list.push(row.depends_on_task_id);
    map.set(row.task_id, list);
  }
  return map;
}

function findProblems(plan: Plan, existing: ReadonlyMap<string, SpecTaskRow>, dependencies: ReadonlyMap<string, string[]>, knownSpecs: ReadonlySet<string>): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const at = (task: PlanTask): string => `${task.location.file}:${task.location.line}`;
  const specIds = new Set<string>();
  for (const spec of plan.specs) {
    if (specIds.has(spec.id)) problems.push({ taskId: undefined, message: `Spec ${spec.id} is defined twice (${spec.location.file}:${spec.location.line})` });
    specIds.add(spec.id);
  }
  const taskIds = new Set<string>();
  for (const task of plan.tasks) {
    if (taskIds.has(task.id)) problems.push({ taskId: task.id, message: `${task.id} is defined twice (${at(task)})` });
    taskIds.add(task.id);
  }
  // A reference must be to a task of this plan or to one that stays in the database regardless.
  const resolvable = (id: string): boolean => taskIds.has(id) || existing.get(id)?.status === 'assigned';
  for (const task of plan.tasks) {
    if (!specIds.has(task.specId) && !knownSpecs.has(task.specId)) {
      problems.push({ taskId: task.id, message: `${task.id} (${at(task)}) belongs to unknown spec ${task.specId}` });
    }
    for (const dep of task.dependsOn) {
      if (!resolvable(dep)) problems.push({ taskId: task.id, message: `${task.id} (${at(task)}) depends on unknown task ${dep}` });
    }
    if (task.parentId !== undefined && !resolvable(task.parentId)) {
      problems.push({ taskId: task.id, message: `${task.id} (${at(task)}) has unknown parent ${task.parentId}` });
    }
    const row = existing.get(task.id);
    if (row?.status === 'assigned') {
      const changed = changedFields(definitionOf(task), definitionOfRow(row, dependencies.get(task.id) ?? []));
      if (changed.length) {
        problems.push({
          taskId: task.id,
          message: `${task.id} (${at(task)}) is already assigned to the orchestrator, so its ${changed.join(', ')} cannot change; revert the edit or give the task a new id`,
        });
      }
    }
  }
  return problems;
}

function upsertSpec(db: Database, spec: PlanSpec, source: string, exists: boolean, now: string): void {
  if (exists) {
    execute(
      db,
      'UPDATE specs_specification SET title = ?, description = ?, plan_source = ?, source_file = ?, source_line = ?, updated_at = ? WHERE spec_id = ?',
      [spec.title, spec.description, source, spec.location.file, spec.location.line, now, spec.id],
    );
  } else {
    execute(
      db,
      `INSERT INTO specs_specification (spec_id, title, description, plan_source, source_file, source_line, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [spec.id, spec.title, spec.description, source, spec.location.file, spec.location.line, now, now],
    );
  }
}

function taskValues(task: PlanTask): (string | number | null)[] {
  return [
    task.specId,
    task.title,
    task.prompt,
    task.priority,
    task.estimatedHours,
    task.agent ?? null,
    JSON.stringify(task.files),
    task.verify ?? null,
    task.parentId ?? null,
    task.strategy ?? null,
    task.threshold ?? null,
    task.fanOut ? JSON.stringify(task.fanOut) : null,
    task.done ? 1 : 0,
    task.location.file,
    task.location.line,
  ];
}

function writeTask(db: Database, task: PlanTask, row: SpecTaskRow | undefined, status: SpecTaskStatus, now: string): void {
  if (row) {
    execute(
      db,
      `UPDATE specs_task SET spec_id = ?, title = ?, prompt = ?, priority = ?, estimated_hours = ?, agent = ?, files = ?, verify = ?,
         parent_task_id = ?, strategy = ?, threshold = ?, fan_out = ?, done = ?, source_file = ?, source_line = ?, status = ?, updated_at = ?
       WHERE task_id = ?`,
      [...taskValues(task), status, now, task.id],
    );
    execute(db, 'DELETE FROM specs_task_dependency WHERE task_id = ?', [task.id]);
  } else {
    execute(
      db,
      `INSERT INTO specs_task (spec_id, title, prompt, priority, estimated_hours, agent, files, verify, parent_task_id, strategy,
         threshold, fan_out, done, source_file, source_line, status, created_at, updated_at, task_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [...taskValues(task), status, now, now, task.id],
    );
  }
  for (const dep of new Set(task.dependsOn)) {
    execute(db, 'INSERT INTO specs_task_dependency (task_id, depends_on_task_id) VALUES (?, ?)', [task.id, dep]);
  }
}

/** Of the tasks missing from the plan, those that may go: unassigned and not referred to by any task that stays. */
function removable(db: Database, missing: readonly SpecTaskRow[]): Set<string> {
  const remove = new Set(missing.filter((row) => row.status !== 'assigned').map((row) => row.task_id));
  const references = queryAll<{ from_id: string; to_id: string }>(
    db,
    `SELECT task_id AS from_id, depends_on_task_id AS to_id FROM specs_task_dependency
     UNION ALL SELECT task_id, parent_task_id FROM specs_task WHERE parent_task_id IS NOT NULL`,
  );
  for (let changed = true; changed; ) {
    changed = false;
    for (const ref of references) {
      if (remove.has(ref.to_id) && !remove.has(ref.from_id)) {
        remove.delete(ref.to_id);
        changed = true;
      }
    }
  }
  return remove;
}

/** Runs inside the caller's transaction; throws PlanImportError before writing anything if the plan cannot be applied. */
export function savePlan(db: Database, plan: Plan, now: string = isoNow()): SavePlanResult {
  const existing = new Map(queryAll<SpecTaskRow>(db, 'SELECT * FROM specs_task').map((row) => [row.task_id, row]));
  const existingSpecs = new Map(queryAll<{ spec_id: string; plan_source: string | null }>(db, 'SELECT spec_id, plan_source FROM specs_specification').map((r) => [r.spec_id, r.plan_source]));
  const dependencies = dependencyMap(db);
  const problems = findProblems(plan, existing, dependencies, new Set(existingSpecs.keys()));
  if (problems.length) throw new PlanImportError(plan.source, problems);

  const result: SavePlanResult = {
    source: plan.source,
    specs: { inserted: [], updated: [], removed: [] },
    tasks: { inserted: [], updated: [], unchanged: [], removed: [], retained: [] },
  };
  for (const spec of plan.specs) {
    upsertSpec(db, spec, plan.source, existingSpecs.has(spec.id), now);
    (existingSpecs.has(spec.id) ? result.specs.updated : result.specs.inserted).push(spec.id);
  }

  for (const task of plan.tasks) {
    const row = existing.get(task.id);
    if (!row) {
      writeTask(db, task, undefined, 'pending', now);
      result.tasks.inserted.push(task.id);
      continue;
    }
    const definitionChanged = changedFields(definitionOf(task), definitionOfRow(row, dependencies.get(task.id) ?? [])).length > 0;
    const cosmeticChanged =
      row.title !== task.title || row.done !== (task.done ? 1 : 0) || row.source_file !== task.location.file || row.source_line !== task.location.line;
    if (!definitionChanged && !cosmeticChanged) {
      result.tasks.unchanged.push(task.id);
    } else if (row.status === 'assigned') {
      execute(db, 'UPDATE specs_task SET title = ?, done = ?, source_file = ?, source_line = ?, updated_at = ? WHERE task_id = ?', [
        task.title,
        task.done ?? false,
        task.location.file,
        task.location.line,
        now,
        task.id,
      ]);
      result.tasks.updated.push(task.id);
    } else {
      writeTask(db, task, row, definitionChanged ? 'pending' : row.status, now);
      result.tasks.updated.push(task.id);
    }
  }

  const planSpecIds = new Set(plan.specs.map((spec) => spec.id));
  const planTaskIds = new Set(plan.tasks.map((task) => task.id));
  const inScope = (specId: string): boolean => planSpecIds.has(specId) || existingSpecs.get(specId) === plan.source;
  const missing = [...existing.values()].filter((row) => !planTaskIds.has(row.task_id) && inScope(row.spec_id));
  const remove = removable(db, missing);
  for (const row of missing) {
    if (remove.has(row.task_id)) {
      execute(db, 'DELETE FROM specs_task WHERE task_id = ?', [row.task_id]);
      result.tasks.removed.push(row.task_id);
    } else {
      result.tasks.retained.push(row.task_id);
    }
  }

  for (const [specId, source] of existingSpecs) {
    if (source !== plan.source || planSpecIds.has(specId)) continue;
    const used = queryOne(db, 'SELECT 1 AS used FROM specs_task WHERE spec_id = ?1 UNION ALL SELECT 1 FROM orchestrator_task WHERE spec_id = ?1 LIMIT 1', [specId]);
    if (used) continue;
    execute(db, 'DELETE FROM specs_specification WHERE spec_id = ?', [specId]);
    result.specs.removed.push(specId);
  }

  recordEvent(
    db,
    {
      kind: 'plan_imported',
      detail: {
        source: plan.source,
        specs: { inserted: result.specs.inserted.length, updated: result.specs.updated.length, removed: result.specs.removed.length },
        tasks: Object.fromEntries(Object.entries(result.tasks).map(([key, ids]) => [key, (ids as string[]).length])),
      },
    },
    now,
  );
  return result;
}

interface PlanTaskRow extends SpecTaskRow {
  rowid: number;
}

/** The plan as stored, in import order: lets a reopened orchestrator rebuild its graph. */
export function listPlanTasks(db: Database, specId?: string): PlanTask[] {
  const dependencies = dependencyMap(db);
  return queryAll<PlanTaskRow>(db, 'SELECT rowid, * FROM specs_task WHERE ?1 IS NULL OR spec_id = ?1 ORDER BY rowid', [specId]).map((row) => ({
    id: row.task_id,
    specId: row.spec_id,
    title: row.title,
    prompt: row.prompt,
    priority: row.priority,
    estimatedHours: row.estimated_hours,
    dependsOn: dependencies.get(row.task_id) ?? [],
    agent: row.agent ?? undefined,
    files: JSON.parse(row.files) as string[],
    verify: row.verify ?? undefined,
    parentId: row.parent_task_id ?? undefined,
    strategy: row.strategy ?? undefined,
    threshold: row.threshold ?? undefined,
    fanOut: row.fan_out === null ? undefined : (JSON.parse(row.fan_out) as FanOut),
    done: row.done === 1,
    location: { file: row.source_file ?? '', line: row.source_line ?? 0 },
  }));
}

export function listSpecs(db: Database): PlanSpec[] {
  return queryAll<{ spec_id: string; title: string; description: string; source_file: string | null; source_line: number | null }>(
    db,
    'SELECT spec_id, title, description, source_file, source_line FROM specs_specification ORDER BY rowid',
  ).map((row) => ({ id: row.spec_id, title: row.title, description: row.description, location: { file: row.source_file ?? '', line: row.source_line ?? 0 } }));
}
