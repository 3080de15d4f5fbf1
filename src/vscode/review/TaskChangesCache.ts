// What each finished task changed, read once per state of the task: the tree asks for a task's
// changed files every time VS Code re-renders it (every refresh of the row, every expand), and
// each answer from the engine costs git processes. A task's changes only move when its row does
// (a new attempt, a status change, an end time, a merge or a discard), so the row's state is the
// key; an unchanged task is never asked again. Concurrent asks share one load.
import type { ReviewState, TaskChanges, TaskView } from '../../core';

export interface ChangesSource {
  taskChanges(taskId: string): Promise<TaskChanges | undefined>;
}

/** The state of a row its changes depend on; equal keys, equal changes. */
export function changesKey(row: Pick<TaskView, 'displayStatus' | 'latestAttempt'>, review: ReviewState | undefined): string {
  const attempt = row.latestAttempt;
  return [row.displayStatus, attempt?.attemptId ?? '', attempt?.branch ?? '', attempt?.endedAt ?? '', review ?? 'unreviewed'].join('|');
}

interface Entry {
  readonly key: string;
  readonly changes: Promise<TaskChanges | undefined>;
  settled?: { readonly changes: TaskChanges | undefined };
}

export class TaskChangesCache {
  private readonly entries = new Map<string, Entry>();
  /** How many times the engine was asked (the integration tests check a refresh asks nothing). */
  loads = 0;

  constructor(private readonly source: () => Promise<ChangesSource>) {}

  /** The changes for this key if they are loaded already (so the tree can answer synchronously). */
  peek(taskId: string, key: string): { readonly changes: TaskChanges | undefined } | undefined {
    const entry = this.entries.get(taskId);
    return entry?.key === key ? entry.settled : undefined;
  }

  get(taskId: string, key: string): Promise<TaskChanges | undefined> {
    const existing = this.entries.get(taskId);
    if (existing?.key === key) return existing.changes;
    this.loads++;
    const entry: Entry = {
      key,
      changes: this.source().then((source) => source.taskChanges(taskId)),
    };
    this.entries.set(taskId, entry);
    entry.changes.then(
      (changes) => (entry.settled = { changes }),
      // A failed load is not kept: the next ask tries again.
      () => {
        if (this.entries.get(taskId) === entry) this.entries.delete(taskId);
      },
    );
    return entry.changes;
  }

  clear(): void {
    this.entries.clear();
  }
}
