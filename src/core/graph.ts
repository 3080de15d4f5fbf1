// The task DAG: every check a plan must pass before anything runs, then the orders the
// scheduler needs (topological order, parallel levels, critical path).
//
// A fan-out parent does no work of its own: its children do, and its status is aggregated from
// theirs (see strategy.ts). So in the graph a parent waits for its children, and its own
// estimate does not count towards any critical path (its children's estimates do).

import { isPriority, isStrategy, STRATEGIES, type PlanTask } from './model';
import { parseSpecNumber, parseTaskId } from './plan/ids';
import { throwIfIssues, type PlanIssue } from './plan/planErrors';

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

export interface TaskGraph {
  /** Every task id, dependencies before dependents; among ready tasks the plan's order wins. */
  readonly order: readonly string[];
  /** levels[k] holds the tasks whose longest chain of dependencies has k links; a level may run in parallel. */
  readonly levels: readonly (readonly string[])[];
  /** Estimated hours on the longest chain from the task to the end of the graph, its own hours included. */
  readonly criticalPathHours: ReadonlyMap<string, number>;
  /** What each task waits for: its declared dependencies and, for a fan-out parent, its children. */
  readonly dependenciesOf: ReadonlyMap<string, readonly string[]>;
  readonly dependentsOf: ReadonlyMap<string, readonly string[]>;
}

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

/** What each task waits for, keyed by id (first definition wins for a duplicated id). */
function dependencyEdges(tasks: readonly UncheckedTask[]): Map<string, string[]> {
  // Sets while collecting: a fan-out parent may wait for thousands of children.
  const edges = new Map<string, Set<string>>();
  for (const task of tasks) if (!edges.has(task.id)) edges.set(task.id, new Set());
  const seen = new Set<string>();
  for (const task of tasks) {
    if (seen.has(task.id)) continue;
    seen.add(task.id);
    const own = edges.get(task.id)!;
    for (const dependency of task.dependsOn) if (dependency !== task.id && edges.has(dependency)) own.add(dependency);
  }
  for (const task of tasks) {
    if (task.parentId !== undefined) edges.get(task.parentId)?.add(task.id);
  }
  return new Map([...edges].map(([id, dependencies]) => [id, [...dependencies]]));
}

/** A min-heap of plan positions: the ready task that comes first in the plan is taken first. */
class PositionHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const items = this.items;
    items.push(value);
    for (let at = items.length - 1; at > 0; ) {
      const parent = (at - 1) >> 1;
      if (items[parent] <= items[at]) break;
      [items[parent], items[at]] = [items[at], items[parent]];
      at = parent;
    }
  }

  pop(): number {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      for (let at = 0; ; ) {
        const left = 2 * at + 1;
        const smallest = [left, left + 1].filter((child) => child < items.length).reduce((a, b) => (items[b] < items[a] ? b : a), at);
        if (smallest === at) break;
        [items[smallest], items[at]] = [items[at], items[smallest]];
        at = smallest;
      }
    }
    return top;
  }
}

/** The edges turned around: for each task, the tasks that wait for it. */
function dependentsByTask(dependencies: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const dependents = new Map<string, string[]>([...dependencies.keys()].map((id) => [id, []]));
  for (const [id, waitsFor] of dependencies) for (const dependency of waitsFor) dependents.get(dependency)!.push(id);
  return dependents;
}

/** Tarjan's strongly connected components; every component of two or more holds a cycle. */
function stronglyConnected(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return components;
}

/** The shortest cycle from `start` back to itself inside one strongly connected component. */
function cycleThrough(start: string, members: ReadonlySet<string>, edges: ReadonlyMap<string, readonly string[]>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head];
    for (const next of edges.get(node) ?? []) {
      if (next === start) {
        const path = [node];
        while (path[path.length - 1] !== start) path.push(previous.get(path[path.length - 1])!);
        return [...path.reverse(), start];
      }
      if (members.has(next) && !previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  throw new Error(`internal: ${start} is in a strongly connected component but on no cycle`);
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
  const edges = dependencyEdges(tasks);
  const waitingFor = dependentsByTask(edges);
  const position = new Map([...byId.keys()].map((id, at) => [id, at]));
  const cycles = stronglyConnected(edges)
    .filter((component) => component.length > 1)
    .map((component) => {
      const start = component.reduce((a, b) => (position.get(a)! <= position.get(b)! ? a : b));
      return cycleThrough(start, new Set(component), waitingFor);
    })
    .sort((a, b) => position.get(a[0])! - position.get(b[0])!);
  for (const cycle of cycles) issues.push(issueOf(byId.get(cycle[0])!, `dependency cycle: ${cycle.join(' → ')}`));
  return issues;
}

/** Every check on tasks of any origin; an empty result means they may be used as PlanTasks. */
export function validateTasks(tasks: readonly UncheckedTask[]): PlanIssue[] {
  return [...tasks.flatMap(checkTaskFields), ...checkTaskGraph(tasks)];
}

/** Validates the tasks (throwing PlanValidationError with every problem) and computes their graph. */
export function buildTaskGraph(tasks: readonly PlanTask[]): TaskGraph {
  throwIfIssues(validateTasks(tasks));
  const dependenciesOf = dependencyEdges(tasks);
  const dependentsOf = dependentsByTask(dependenciesOf);

  // Kahn's algorithm, always taking the ready task that comes first in the plan.
  const position = new Map(tasks.map((task, at) => [task.id, at]));
  const waiting = new Map([...dependenciesOf].map(([id, dependencies]) => [id, dependencies.length]));
  const ready = new PositionHeap();
  for (const [at, task] of tasks.entries()) if (waiting.get(task.id) === 0) ready.push(at);
  const order: string[] = [];
  while (ready.size > 0) {
    const id = tasks[ready.pop()].id;
    order.push(id);
    for (const dependent of dependentsOf.get(id)!) {
      const left = waiting.get(dependent)! - 1;
      waiting.set(dependent, left);
      if (left === 0) ready.push(position.get(dependent)!);
    }
  }

  const level = new Map<string, number>();
  for (const id of order) {
    level.set(id, dependenciesOf.get(id)!.reduce((deepest, dependency) => Math.max(deepest, level.get(dependency)! + 1), 0));
  }
  const levels: string[][] = [];
  for (const id of order) (levels[level.get(id)!] ??= []).push(id);
  for (const group of levels) group.sort((a, b) => position.get(a)! - position.get(b)!);

  const parents = new Set(tasks.flatMap((task) => (task.parentId === undefined ? [] : [task.parentId])));
  const hoursById = new Map(tasks.map((task) => [task.id, parents.has(task.id) ? 0 : task.estimatedHours]));
  const criticalPathHours = new Map<string, number>();
  for (const id of [...order].reverse()) {
    const downstream = dependentsOf.get(id)!.reduce((longest, dependent) => Math.max(longest, criticalPathHours.get(dependent)!), 0);
    criticalPathHours.set(id, hoursById.get(id)! + downstream);
  }

  return { order, levels, criticalPathHours, dependenciesOf, dependentsOf };
}
