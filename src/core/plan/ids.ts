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
