// The checks a list of tasks must pass to be used as PlanTasks: each task's own values
// (checkTaskFields) and the tasks as a graph (checkTaskGraph). buildPlan.ts runs both on a plan
// it has just parsed; validateTasks runs them on tasks of any origin. Every problem is collected
// as a PlanIssue naming the file, the line and the task (planErrors.ts), none is thrown alone.

import { dependencyEdges } from '../graph';
import { isPriority, isStrategy, STRATEGIES, type PlanTask } from '../model';
import { dependencyCycles } from './dependencyCycles';
import { parseSpecNumber, parseTaskId } from './ids';
import type { PlanIssue } from './planErrors';

/**
 * A task whose values have not been checked yet: freshly parsed from a plan, or read back from
 * a store. A PlanTask is one; a task passes as a PlanTask once validateTasks finds nothing.
 */
export type UncheckedTask = Omit<PlanTask, 'priority' | 'estimatedHours' | 'strategy' | 'threshold'> & {
  readonly priority: unknown;
  readonly estimatedHours: unknown;
  readonly strategy: unknown;
  readonly threshold: unknown;
};

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function issueOf(task: UncheckedTask, message: string): PlanIssue {
  return { file: task.location.file, line: task.location.line, taskId: task.id, message };
}

/**
 * Beyond this an estimate is a typo, and past 2^53 it is no longer an integer the database
 * accepts: about fifty years of working hours.
 */
export const MAX_ESTIMATED_HOURS = 100_000;

/** Checks one task's own values: id format, priority, estimate, strategy, threshold. */
export function checkTaskFields(task: UncheckedTask): PlanIssue[] {
  const problems: string[] = [];
  const numbers = parseTaskId(task.id);
  if (numbers === undefined) {
    problems.push('malformed task id (expected TASK-<spec number>-<task number>)');
  } else {
    const spec = parseSpecNumber(task.specId);
    if (spec !== undefined && spec !== numbers.spec) {
      problems.push(`belongs to ${task.specId}, so its id must start with TASK-${spec}-`);
    }
  }
  if (!isPriority(task.priority)) {
    problems.push(`invalid priority ${describe(task.priority)} (expected high, medium, low or 1–10)`);
  }
  const hours = task.estimatedHours;
  if (typeof hours !== 'number' || !Number.isInteger(hours) || hours <= 0) {
    problems.push(`estimated hours must be a positive integer, got ${describe(hours)}`);
  } else if (hours > MAX_ESTIMATED_HOURS) {
    problems.push(`estimated hours must be a whole number from 1 to ${MAX_ESTIMATED_HOURS}, got ${describe(hours)}`);
  }
  // Agents get their prompt and the verify command as process arguments, which end at a NUL.
  if (task.prompt.includes('\0')) problems.push('the prompt contains a NUL character, which no agent command can receive');
  if (task.verify?.includes('\0')) problems.push('the verify command contains a NUL character, which no process can receive');
  if (task.strategy !== undefined) {
    if (!isStrategy(task.strategy)) {
      problems.push(`invalid strategy ${describe(task.strategy)} (expected ${STRATEGIES.join(', ')})`);
    }
    if (task.fanOut === undefined) problems.push('a strategy applies only to a fan-out task');
  }
  if (task.threshold !== undefined) {
    const threshold = task.threshold;
    if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
      problems.push(`threshold must be above 0 and at most 1, got ${describe(threshold)}`);
    }
    if (task.strategy !== 'best_effort') problems.push('a threshold applies only to the best_effort strategy');
  }
  return problems.map((message) => issueOf(task, message));
}

/**
 * Checks the tasks as a graph: duplicate ids, unknown or self dependencies, unknown fan-out
 * parents, and cycles. One cycle is reported per strongly connected component, starting at its
 * member that comes first in the plan. Arrows point the way work flows, from a task to one that
 * waits for it: `TASK-1-1 → TASK-1-2 → TASK-1-1` means TASK-1-2 depends on TASK-1-1 and back.
 */
export function checkTaskGraph(tasks: readonly UncheckedTask[]): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const byId = new Map<string, UncheckedTask>();
  for (const task of tasks) {
    const first = byId.get(task.id);
    if (first === undefined) byId.set(task.id, task);
    else issues.push(issueOf(task, `duplicate task id (first defined on line ${first.location.line})`));
  }
  for (const task of tasks) {
    for (const dependency of task.dependsOn) {
      if (dependency === task.id) issues.push(issueOf(task, 'depends on itself'));
      else if (!byId.has(dependency)) issues.push(issueOf(task, `depends on unknown task ${dependency}`));
    }
    if (task.parentId !== undefined && !byId.has(task.parentId)) {
      issues.push(issueOf(task, `fan-out parent ${task.parentId} does not exist`));
    }
  }
  const position = new Map([...byId.keys()].map((id, at) => [id, at]));
  const cycles = dependencyCycles(dependencyEdges(tasks), position);
  for (const cycle of cycles) issues.push(issueOf(byId.get(cycle[0])!, `dependency cycle: ${cycle.join(' → ')}`));
  return issues;
}

/** Every check on tasks of any origin; an empty result means they may be used as PlanTasks. */
export function validateTasks(tasks: readonly UncheckedTask[]): PlanIssue[] {
  return [...tasks.flatMap(checkTaskFields), ...checkTaskGraph(tasks)];
}
