// Task ids carry their spec's number (TASK-31-2 belongs to SPEC-031), so ids are
// parsed into numbers rather than compared as strings.

const TASK_ID_PARTS = /^TASK-(\d+)-(\d+)$/;
const SPEC_ID_PARTS = /^SPEC-(\d+)$/;

export function parseTaskId(id: string): { readonly spec: number; readonly task: number } | undefined {
  const match = TASK_ID_PARTS.exec(id);
  return match ? { spec: Number(match[1]), task: Number(match[2]) } : undefined;
}

export function parseSpecNumber(id: string): number | undefined {
  const match = SPEC_ID_PARTS.exec(id);
  return match ? Number(match[1]) : undefined;
}

/** Three digits, as in SPEC-031. */
export function formatSpecId(spec: number): string {
  return `SPEC-${String(spec).padStart(3, '0')}`;
}

export function formatTaskId(spec: number, task: number): string {
  return `TASK-${spec}-${task}`;
}

/**
 * Hands out the lowest number nobody holds yet, in call order. Numbers given explicitly in the
 * plan are reserved first, so assigned ids never collide with them and only depend on the plan's
 * text (the same file always yields the same ids).
 */
export class NumberPool {
  private readonly taken = new Set<number>();
  private next = 1;

  reserve(value: number): void {
    this.taken.add(value);
  }

  take(): number {
    while (this.taken.has(this.next)) this.next += 1;
    this.taken.add(this.next);
    return this.next;
  }
}

/** The ids a plan's specs and tasks end up with: as written, else assigned (docs/plan-format.md#ids). */
export interface AssignedIds {
  /** Each spec's number (a malformed written id still gets one from the pool). */
  readonly specNumbers: readonly number[];
  readonly specIds: readonly string[];
  /** Per spec, its tasks' ids in document order. */
  readonly taskIds: readonly (readonly string[])[];
  /** The pool of a spec number, for ids handed out later (fan-out children). */
  readonly taskPool: (spec: number) => NumberPool;
}

/**
 * A spec without an id takes the lowest number no spec id in the file uses, in document order; a
 * task without one the lowest number free in its spec. Shared by buildPlan and the plan outline
 * (planOutline.ts) so the editor names a task exactly as the import does.
 */
export function assignIds(specs: readonly { readonly id: string | undefined; readonly tasks: readonly { readonly id: string | undefined }[] }[]): AssignedIds {
  const specPool = new NumberPool();
  const givenSpecs = specs.map((spec) => (spec.id === undefined ? undefined : parseSpecNumber(spec.id)));
  for (const given of givenSpecs) if (given !== undefined) specPool.reserve(given);
  const specNumbers = givenSpecs.map((given) => given ?? specPool.take());
  const specIds = specs.map((spec, at) => spec.id ?? formatSpecId(specNumbers[at]));

  const pools = new Map<number, NumberPool>();
  const taskPool = (spec: number): NumberPool => {
    let pool = pools.get(spec);
    if (pool === undefined) pools.set(spec, (pool = new NumberPool()));
    return pool;
  };
  for (const spec of specs) {
    for (const task of spec.tasks) {
      const given = task.id === undefined ? undefined : parseTaskId(task.id);
      if (given !== undefined) taskPool(given.spec).reserve(given.task);
    }
  }
  const taskIds = specs.map((spec, at) => spec.tasks.map((task) => task.id ?? formatTaskId(specNumbers[at], taskPool(specNumbers[at]).take())));
  return { specNumbers, specIds, taskIds, taskPool };
}
