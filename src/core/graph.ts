// The task graph the scheduler orders work by: topological order, parallel levels, critical path.
//
// A fan-out parent does no work of its own: its children do, and its status is aggregated from
// theirs (see strategy.ts). So in the graph a parent waits for its children, and its own
// estimate does not count towards any critical path (its children's estimates do).
//
// It takes tasks that passed plan/validateTasks.ts (unique ids, known dependencies, no cycle) and
// reports nothing in the plan's words itself. Tasks read back from the store reach it without
// those checks, so it keeps one guard: a list it cannot order throws rather than yield orders with
// holes in them.

import type { PlanTask } from './model';

/** What the graph reads of a task; plan/validateTasks.ts builds the same edges from unchecked tasks. */
export type GraphTask = Pick<PlanTask, 'id' | 'dependsOn' | 'parentId'>;

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

/** What each task waits for, keyed by id (first definition wins for a duplicated id). */
export function dependencyEdges(tasks: readonly GraphTask[]): Map<string, string[]> {
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
export function dependentsByTask(dependencies: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const dependents = new Map<string, string[]>([...dependencies.keys()].map((id) => [id, []]));
  for (const [id, waitsFor] of dependencies) for (const dependency of waitsFor) dependents.get(dependency)!.push(id);
  return dependents;
}

/**
 * The orders of valid tasks (see the header). Throws a plain Error, not the plan's issues, for a
 * list it cannot order: an id defined twice, or tasks that wait on a dependency cycle.
 */
export function buildTaskGraph(tasks: readonly PlanTask[]): TaskGraph {
  const position = new Map<string, number>();
  for (const [at, task] of tasks.entries()) {
    if (position.has(task.id)) throw new Error(`Cannot order the tasks: ${task.id} is defined twice`);
    position.set(task.id, at);
  }
  const dependenciesOf = dependencyEdges(tasks);
  const dependentsOf = dependentsByTask(dependenciesOf);

  // Kahn's algorithm, always taking the ready task that comes first in the plan.
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
  if (order.length < tasks.length) {
    const stuck = tasks.filter((task) => waiting.get(task.id)! > 0).map((task) => task.id);
    throw new Error(`Cannot order the tasks: ${stuck.join(', ')} wait on a dependency cycle`);
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

/**
 * The tasks `task` waits for before it may start: its own dependencies and, for a fan-out child,
 * its parent's (the parent does no work of its own, so what it depends on, each child does).
 * The scheduler orders the run by it; the executor merges these tasks' branches into the worktree.
 */
export function prerequisitesOf(task: PlanTask, byId: ReadonlyMap<string, PlanTask>): string[] {
  const inherited = task.parentId === undefined ? [] : byId.get(task.parentId)!.dependsOn;
  return [...new Set([...task.dependsOn, ...inherited])];
}
