// Finding the dependency cycles of a task list, for plan/validateTasks.ts to report: Tarjan's
// strongly connected components, then the shortest cycle through each component's first task.

import { dependentsByTask } from '../graph';

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
 * One cycle per strongly connected component of `edges` (what each task waits for), starting at
 * its member that comes first in the plan (`position`), in that order. Arrows point the way work
 * flows: `[TASK-1-1, TASK-1-2, TASK-1-1]` means TASK-1-2 depends on TASK-1-1 and back.
 */
export function dependencyCycles(edges: ReadonlyMap<string, readonly string[]>, position: ReadonlyMap<string, number>): string[][] {
  const waitingFor = dependentsByTask(edges);
  return stronglyConnected(edges)
    .filter((component) => component.length > 1)
    .map((component) => {
      const start = component.reduce((a, b) => (position.get(a)! <= position.get(b)! ? a : b));
      return cycleThrough(start, new Set(component), waitingFor);
    })
    .sort((a, b) => position.get(a[0])! - position.get(b[0])!);
}
