// Big fan-outs folded into their parent: a parent with more than COLLAPSE_ABOVE children (see
// src/core/plan/fanOut.ts: each child has the parent's id as `parentId`) is drawn as one node that
// counts its parts by status, until the user expands it. A task that depends on a hidden child
// depends on the folded node instead, so no edge is lost. graph.ts draws the result; this file
// touches no DOM, so it is tested in plain Node (test/unit/webview/).
import type { DashboardTaskView, DisplayStatus } from '../../src/shared/protocol';

/** Fan-outs with more children than this are folded. */
export const COLLAPSE_ABOVE = 8;

export interface FanOutGroup {
  readonly parentId: string;
  readonly parts: number;
  readonly done: number;
  readonly running: number;
  readonly failed: number;
  /** The children folded into it (the critical path weighs the node by the longest of them). */
  readonly childIds: readonly string[];
}

export interface CollapsedGraph {
  /** The tasks to draw: hidden children left out, dependencies on them pointed at their parent. */
  readonly tasks: readonly DashboardTaskView[];
  /** The folded parents, by id. */
  readonly groups: ReadonlyMap<string, FanOutGroup>;
}

const DONE: ReadonlySet<DisplayStatus> = new Set(['completed']);
const RUNNING: ReadonlySet<DisplayStatus> = new Set(['running', 'spawned', 'assigned']);
const FAILED: ReadonlySet<DisplayStatus> = new Set(['failed', 'timed_out', 'interrupted']);

export function collapseFanOuts(tasks: readonly DashboardTaskView[], expanded: ReadonlySet<string>, above = COLLAPSE_ABOVE): CollapsedGraph {
  const ids = new Set(tasks.map((t) => t.taskId));
  const children = new Map<string, DashboardTaskView[]>();
  for (const task of tasks) {
    if (task.parentId === null || !ids.has(task.parentId)) continue;
    const list = children.get(task.parentId) ?? [];
    list.push(task);
    children.set(task.parentId, list);
  }
  const groups = new Map<string, FanOutGroup>();
  const hiddenIn = new Map<string, string>();
  for (const [parentId, list] of children) {
    if (list.length <= above || expanded.has(parentId)) continue;
    for (const child of list) hiddenIn.set(child.taskId, parentId);
    groups.set(parentId, {
      parentId,
      parts: list.length,
      done: list.filter((t) => DONE.has(t.status)).length,
      running: list.filter((t) => RUNNING.has(t.status)).length,
      failed: list.filter((t) => FAILED.has(t.status)).length,
      childIds: list.map((t) => t.taskId),
    });
  }
  if (groups.size === 0) return { tasks, groups };
  const visible: DashboardTaskView[] = [];
  for (const task of tasks) {
    if (hiddenIn.has(task.taskId)) continue;
    const redirected = task.dependsOn.map((id) => hiddenIn.get(id) ?? id);
    const dependsOn = [...new Set(redirected)].filter((id) => id !== task.taskId);
    const changed = dependsOn.length !== task.dependsOn.length || dependsOn.some((id, i) => id !== task.dependsOn[i]);
    visible.push(changed ? { ...task, dependsOn } : task);
  }
  return { tasks: visible, groups };
}

/** "24 parts: 20 done, 3 running, 1 failed" (the counts that are not zero). */
export function groupCounts(group: FanOutGroup): string {
  const counts = [
    [group.done, 'done'],
    [group.running, 'running'],
    [group.failed, 'failed'],
  ] as const;
  const shown = counts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`);
  return `${group.parts} parts${shown.length > 0 ? `: ${shown.join(', ')}` : ''}`;
}

/** A folded node's words: "TASK-x (24 parts: 20 done, 3 running, 1 failed)". */
export function groupLabel(group: FanOutGroup): string {
  return `${group.parentId} (${groupCounts(group)})`;
}
