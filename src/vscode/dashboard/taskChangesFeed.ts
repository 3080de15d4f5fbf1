// The selected task's changed files for the dashboard: fetched (git, through the façade) when the
// task's details open, and again only when its attempt or review state changes, never with every
// state update (a running plan posts several a second). A slow answer for a task that is no
// longer selected is dropped.
import type { TaskChanges } from '../../core';
import { showsChanges, type DashboardChanges, type DashboardState, type DashboardTaskView, type HostToWebviewMessage } from '../../shared/protocol';

export type ChangesMessage = Extract<HostToWebviewMessage, { type: 'changes' }>;

export class TaskChangesFeed {
  private taskId: string | null = null;
  /** What the last fetch was for (see changesKey); undefined: fetch on the next state. */
  private fetchedFor: string | undefined;
  private generation = 0;
  /** The last message sent (tests read it). */
  last: ChangesMessage | undefined;

  constructor(
    private readonly load: (taskId: string) => Promise<TaskChanges | undefined>,
    private readonly post: (message: ChangesMessage) => void,
  ) {}

  /** The webview opened a task's details (null: closed them). */
  select(taskId: string | null, state: DashboardState | undefined): void {
    this.taskId = taskId;
    this.fetchedFor = undefined;
    this.generation++;
    this.update(state);
  }

  /** A new state was posted: fetch again if the selected task's attempt or review changed. */
  update(state: DashboardState | undefined): void {
    const task = this.taskId ? state?.tasks.find((t) => t.taskId === this.taskId) : undefined;
    if (!task) return;
    const key = changesKey(task);
    if (key === this.fetchedFor) return;
    this.fetchedFor = key;
    if (!showsChanges(task)) return;
    const generation = ++this.generation;
    const { taskId } = task;
    const send = (message: ChangesMessage) => {
      if (generation !== this.generation) return;
      this.last = message;
      this.post(message);
    };
    this.load(taskId).then(
      (changes) => send({ type: 'changes', taskId, changes: changes ? changesView(changes) : null }),
      (error: unknown) => send({ type: 'changes', taskId, changes: null, error: error instanceof Error ? error.message : String(error) }),
    );
  }
}

/** Changes when a new attempt ran, the task's status moved, or it was merged or discarded. */
function changesKey(task: DashboardTaskView): string {
  return [task.status, task.attempts, task.branch ?? '', task.review?.state ?? '', task.review?.commit ?? ''].join('|');
}

/** The engine's TaskChanges as the webview reads it (plain data). */
export function changesView(changes: TaskChanges): DashboardChanges {
  return {
    taskId: changes.taskId,
    branch: changes.branch,
    startCommit: changes.startCommit,
    headCommit: changes.headCommit,
    files: changes.files.map((file) => ({ path: file.path, oldPath: file.oldPath, kind: file.kind, insertions: file.insertions, deletions: file.deletions })),
    insertions: changes.insertions,
    deletions: changes.deletions,
  };
}
