// The plan as the Scheduler walks it, computed once per run: where each task stands in the plan,
// its critical path, a fan-out parent's children, what each task waits for and who waits for it;
// and the order in which ready tasks take free slots.
import { buildTaskGraph, prerequisitesOf } from '../graph';
import { PRIORITY_RANK, type PlanTask } from '../model';

export interface TaskIndex {
  readonly tasks: ReadonlyMap<string, PlanTask>;
  /** Plan order: the last tie-breaker when starting tasks (the older task first). */
  readonly position: ReadonlyMap<string, number>;
  readonly criticalPath: ReadonlyMap<string, number>;
  /** Fan-out parents only: their children, in plan order. */
  readonly childrenOf: ReadonlyMap<string, readonly string[]>;
  /** A task's own dependencies plus, for a fan-out child, its parent's. */
  readonly prerequisites: ReadonlyMap<string, readonly string[]>;
  readonly dependents: ReadonlyMap<string, readonly string[]>;
}

export function indexTasks(tasks: readonly PlanTask[]): TaskIndex {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const position = new Map<string, number>();
  const childrenOf = new Map<string, string[]>();
  const prerequisiteIds = new Map<string, readonly string[]>();
  const dependents = new Map<string, string[]>();
  const criticalPath = buildTaskGraph(tasks).criticalPathHours;
  tasks.forEach((task, at) => {
    position.set(task.id, at);
    dependents.set(task.id, []);
    if (task.parentId !== undefined) {
      const siblings = childrenOf.get(task.parentId) ?? [];
      siblings.push(task.id);
      childrenOf.set(task.parentId, siblings);
    }
  });
  for (const task of tasks) {
    const prerequisites = prerequisitesOf(task, byId);
    prerequisiteIds.set(task.id, prerequisites);
    for (const dependency of prerequisites) dependents.get(dependency)!.push(task.id);
  }
  return { tasks: byId, position, criticalPath, childrenOf, prerequisites: prerequisiteIds, dependents };
}

/** Which ready task starts first: priority class, then the longer remaining critical path, then plan order. */
export function startOrder(index: TaskIndex): (a: PlanTask, b: PlanTask) => number {
  return (a, b) =>
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    index.criticalPath.get(b.id)! - index.criticalPath.get(a.id)! ||
    index.position.get(a.id)! - index.position.get(b.id)!;
}
