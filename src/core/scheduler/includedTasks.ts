// Which tasks a run is about (SchedulerOptions.only): the selected ones and what they need — their
// unfinished prerequisites, and whole fan-out groups. Tasks outside are neither started nor changed.
import type { TaskIndex } from './taskIndex';

/** Every task when `only` is absent; else the closure of `only`. Throws on an unknown task id. */
export function includedTasks(index: TaskIndex, only: readonly string[] | undefined, isCompleted: (id: string) => boolean): ReadonlySet<string> {
  if (!only) return new Set(index.tasks.keys());
  const included = new Set<string>();
  const stack = [...only];
  for (const id of stack) if (!index.tasks.has(id)) throw new Error(`Unknown task ${id}`);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (included.has(id)) continue;
    included.add(id);
    const parentId = index.tasks.get(id)!.parentId;
    if (parentId !== undefined) stack.push(parentId);
    stack.push(...(index.childrenOf.get(id) ?? []));
    stack.push(...index.prerequisites.get(id)!.filter((dependency) => !isCompleted(dependency)));
  }
  return included;
}
