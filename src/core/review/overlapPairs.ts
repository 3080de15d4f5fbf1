// Which tasks of a run touch the same files: the conflict radar's pure core, apart from git and
// timers (conflictRadar.ts) so the rule is tested on its own. A pair where one task depends on the
// other, directly or through others, is not flagged: the dependent's worktree starts from the
// other's work (src/core/run/dependencyBranches.ts), so touching the same file is building on it.

export interface TouchedFiles {
  readonly taskId: string;
  readonly files: ReadonlySet<string>;
}

export interface FilePair {
  /** taskA < taskB in string order, as the store keeps pairs. */
  readonly taskA: string;
  readonly taskB: string;
  /** The files both touched, sorted. */
  readonly files: readonly string[];
}

/** Every task `taskId` builds on: its prerequisites, theirs, and so on. */
export function ancestorsOf(taskId: string, prerequisites: (taskId: string) => readonly string[]): Set<string> {
  const found = new Set<string>();
  const stack = [...prerequisites(taskId)];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (found.has(id)) continue;
    found.add(id);
    stack.push(...prerequisites(id));
  }
  return found;
}

/**
 * The pairs of tasks whose file sets intersect, except a task and one it builds on. Files are
 * indexed by path first, so the cost follows the number of files touched, not tasks squared.
 */
export function overlappingPairs(tasks: readonly TouchedFiles[], prerequisites: (taskId: string) => readonly string[]): FilePair[] {
  const byFile = new Map<string, string[]>();
  for (const task of tasks) {
    for (const file of task.files) {
      const touching = byFile.get(file);
      if (touching) touching.push(task.taskId);
      else byFile.set(file, [task.taskId]);
    }
  }
  const shared = new Map<string, { taskA: string; taskB: string; files: string[] }>();
  for (const [file, ids] of byFile) {
    if (ids.length < 2) continue;
    const sorted = [...new Set(ids)].sort();
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const key = `${sorted[i]}\0${sorted[j]}`;
        const pair = shared.get(key);
        if (pair) pair.files.push(file);
        else shared.set(key, { taskA: sorted[i], taskB: sorted[j], files: [file] });
      }
    }
  }
  const ancestors = new Map<string, Set<string>>();
  const ancestorsOfTask = (id: string) => {
    let set = ancestors.get(id);
    if (!set) ancestors.set(id, (set = ancestorsOf(id, prerequisites)));
    return set;
  };
  return [...shared.values()]
    .filter((pair) => !ancestorsOfTask(pair.taskA).has(pair.taskB) && !ancestorsOfTask(pair.taskB).has(pair.taskA))
    .map((pair) => ({ ...pair, files: pair.files.sort() }))
    .sort((x, y) => (x.taskA === y.taskA ? (x.taskB < y.taskB ? -1 : 1) : x.taskA < y.taskA ? -1 : 1));
}
