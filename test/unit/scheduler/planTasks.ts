import type { PlanTask, Priority, Strategy } from '../../../src/core/model';

export interface TaskSketch {
  readonly priority?: Priority;
  readonly hours?: number;
  readonly after?: readonly string[];
  readonly files?: readonly string[];
  readonly parent?: string;
  readonly strategy?: Strategy;
  readonly threshold?: number;
}

/** A PlanTask with defaults, for scheduling tests that care about a few fields. */
export function planTask(id: string, sketch: TaskSketch = {}): PlanTask {
  return {
    id,
    specId: `SPEC-${id.split('-')[1]}`,
    title: `Task ${id}`,
    prompt: `Do ${id}`,
    priority: sketch.priority ?? 'medium',
    estimatedHours: sketch.hours ?? 1,
    dependsOn: sketch.after ?? [],
    agent: undefined,
    files: sketch.files ?? [],
    verify: undefined,
    parentId: sketch.parent,
    strategy: sketch.strategy,
    threshold: sketch.threshold,
    // The graph accepts a strategy only on a fan-out parent; tests list its children explicitly.
    fanOut: sketch.strategy === undefined ? undefined : { kind: 'items', items: [] },
    location: { file: 'test.plan.md', line: 1 },
  };
}
