// From a parsed draft to a valid Plan: ids assigned, values normalized, fan-out expanded, every
// check run, and all problems thrown together as one PlanValidationError.

import { isPriority, isStrategy, priorityFromNumber, type Plan, type PlanSpec, type PlanTask } from '../model';
import { fanOutChild, fanOutItems } from './fanOut';
import { assignIds, formatTaskId, parseSpecNumber } from './ids';
import type { DraftTask, PlanDraft } from './planDraft';
import { throwIfIssues, type PlanIssue } from './planErrors';
import { checkTaskFields, checkTaskGraph, type UncheckedTask } from './validateTasks';

/** A task that says nothing about them is of average urgency and the smallest valid size. */
const DEFAULT_PRIORITY = 'medium';
const DEFAULT_ESTIMATED_HOURS = 1;

export interface BuildPlanOptions {
  /** The folder file fan-out globs are relative to: the workspace root. */
  readonly baseDir: string;
}

/** A class name in any case, or 1–10 as a number or as text; anything else is left for the checks to report. */
function normalizePriority(raw: unknown): unknown {
  if (raw === undefined) return DEFAULT_PRIORITY;
  if (typeof raw === 'number') return priorityFromNumber(raw) ?? raw;
  if (typeof raw !== 'string') return raw;
  const text = raw.trim().toLowerCase();
  if (/^\d+$/.test(text)) return priorityFromNumber(Number(text)) ?? raw;
  return isPriority(text) ? text : raw;
}

/** `best-effort`, `Best Effort` and `best_effort` are one strategy. */
function normalizeStrategy(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const name = raw.trim().toLowerCase().replace(/[-\s]+/g, '_');
  return isStrategy(name) ? name : raw;
}

function toTask(draft: DraftTask, id: string, specId: string, file: string): UncheckedTask {
  return {
    id,
    specId,
    title: draft.title,
    prompt: draft.prompt ?? draft.title,
    priority: normalizePriority(draft.priority),
    estimatedHours: draft.estimatedHours ?? DEFAULT_ESTIMATED_HOURS,
    dependsOn: draft.dependsOn,
    agent: draft.agent,
    files: draft.files,
    verify: draft.verify,
    parentId: undefined,
    strategy: draft.strategy === undefined ? (draft.fanOut === undefined ? undefined : 'wait_all') : normalizeStrategy(draft.strategy),
    threshold: draft.threshold,
    fanOut: draft.fanOut,
    done: draft.done,
    location: { file, line: draft.line },
  };
}

/**
 * Ids: a spec without one takes the lowest number no spec id in the file uses, in document
 * order; a task without one takes the lowest number free in its spec, in document order; fan-out
 * children come after all planned tasks of their spec, parent by parent, item by item.
 */
export async function buildPlan(draft: PlanDraft, options: BuildPlanOptions): Promise<Plan> {
  const file = draft.source;
  const issues: PlanIssue[] = draft.issues.map((issue) => ({ file, line: issue.line, message: issue.message }));

  const ids = assignIds(draft.specs);
  const specLineByNumber = new Map<number, number>();
  const specs: PlanSpec[] = [];
  for (const [at, spec] of draft.specs.entries()) {
    const given = spec.id === undefined ? undefined : parseSpecNumber(spec.id);
    if (spec.id !== undefined && given === undefined) {
      issues.push({ file, line: spec.line, message: `malformed spec id "${spec.id}" (expected SPEC-<number>)` });
    }
    const firstLine = given === undefined ? undefined : specLineByNumber.get(given);
    if (firstLine !== undefined) issues.push({ file, line: spec.line, message: `duplicate spec id ${spec.id} (first defined on line ${firstLine})` });
    const number = ids.specNumbers[at];
    if (!specLineByNumber.has(number)) specLineByNumber.set(number, spec.line);
    specs.push({ id: ids.specIds[at], title: spec.title, description: spec.description, location: { file, line: spec.line } });
  }

  const planned: { readonly task: UncheckedTask; readonly specNumber: number }[] = [];
  for (const [at, spec] of draft.specs.entries()) {
    const specNumber = ids.specNumbers[at];
    for (const [t, draftTask] of spec.tasks.entries()) {
      const task = toTask(draftTask, ids.taskIds[at][t], specs[at].id, file);
      issues.push(...draftTask.issues.map((issue) => ({ file, line: issue.line, taskId: task.id, message: issue.message })));
      issues.push(...checkTaskFields(task));
      planned.push({ task, specNumber });
    }
  }

  const tasks: UncheckedTask[] = [];
  for (const { task, specNumber } of planned) {
    tasks.push(task);
    if (task.fanOut === undefined) continue;
    const fanOut = task.fanOut;
    const items = await fanOutItems(fanOut, options.baseDir);
    const at = { file, line: task.location.line, taskId: task.id };
    if (items.length === 0) {
      issues.push({ ...at, message: fanOut.kind === 'files' ? `fan-out over files "${fanOut.glob}" matched no files` : 'fan-out has no items' });
    }
    const expanded = new Set<string>();
    for (const item of items) {
      if (expanded.has(item)) issues.push({ ...at, message: `fan-out item "${item}" is listed twice` });
      else tasks.push(fanOutChild({ ...task, fanOut }, formatTaskId(specNumber, ids.taskPool(specNumber).take()), item));
      expanded.add(item);
    }
  }
  issues.push(...checkTaskGraph(tasks));
  // An empty plan is worth reporting only when no other problem explains it.
  if (tasks.length === 0 && issues.length === 0) issues.push({ file, line: 1, message: 'the plan has no tasks' });
  throwIfIssues(issues);
  // Every value passed checkTaskFields and every reference checkTaskGraph: these are PlanTasks.
  return { source: file, specs, tasks: tasks as readonly PlanTask[] };
}
