// Where each task row goes in the task tree: under its spec (a fan-out child under its parent)
// or under its status group, and the key that says when that placement changed. TaskTreeModel
// keeps the node objects VS Code matches by identity; the placing itself needs no editor, so it
// lives here, apart from `vscode`, and is tested in plain Node.
import type { DisplayStatus } from '../../shared/taskCounts';

export type TreeGrouping = 'spec' | 'status';

/** Status groups, in the order a person scanning the tree wants them. */
export const STATUS_GROUPS = ['running', 'queued', 'failed', 'timed_out', 'blocked', 'interrupted', 'cancelled', 'pending', 'completed'] as const;
export type StatusGroup = (typeof STATUS_GROUPS)[number];

export function statusGroupOf(status: DisplayStatus): StatusGroup {
  switch (status) {
    case 'spawned':
    case 'ready':
    case 'assigned':
      return 'queued';
    default:
      return status;
  }
}

/** What the placing reads of a task row; the store's TaskView has all of it. */
export interface PlacedRow {
  readonly taskId: string;
  readonly specId: string;
  readonly parentTaskId: string | null;
  readonly displayStatus: DisplayStatus;
}

/** A place in the tree: a group (a spec id or a status group as its key) or a task. */
export type TreePlace = { readonly kind: 'group'; readonly id: string; readonly key: string } | { readonly kind: 'task'; readonly taskId: string };

/** One node under its parent (undefined: a root), in the order the tree lists them. */
export interface TreeLink {
  readonly parent: TreePlace | undefined;
  readonly child: TreePlace;
}

/** What decides the tree's structure: grouping, and each row's place in it. */
export function treeShapeKey(rows: readonly PlacedRow[], grouping: TreeGrouping, hasData: boolean): string {
  const parts = [grouping, hasData ? 'db' : 'none'];
  for (const row of rows) parts.push(`${row.taskId}>${grouping === 'spec' ? `${row.specId}/${row.parentTaskId ?? ''}` : statusGroupOf(row.displayStatus)}`);
  return parts.join('|');
}

/**
 * The tree's links for rows in plan order. By spec: a group per spec, in order of its first row,
 * each row under its spec or under its fan-out parent when that row is listed. By status: the
 * groups that have rows, in STATUS_GROUPS order, each with its rows in plan order.
 */
export function treeLinks(rows: readonly PlacedRow[], grouping: TreeGrouping): TreeLink[] {
  const links: TreeLink[] = [];
  if (grouping === 'spec') {
    const listed = new Set(rows.map((row) => row.taskId));
    const groups = new Map<string, TreePlace>();
    for (const row of rows) {
      let group = groups.get(row.specId);
      if (!group) {
        group = { kind: 'group', id: `spec/${row.specId}`, key: row.specId };
        groups.set(row.specId, group);
        links.push({ parent: undefined, child: group });
      }
      // Rows come in plan order, so a fan-out parent is placed before its children.
      const parent: TreePlace = row.parentTaskId && listed.has(row.parentTaskId) ? { kind: 'task', taskId: row.parentTaskId } : group;
      links.push({ parent, child: { kind: 'task', taskId: row.taskId } });
    }
    return links;
  }
  const byGroup = new Map<StatusGroup, PlacedRow[]>();
  for (const row of rows) {
    const key = statusGroupOf(row.displayStatus);
    let list = byGroup.get(key);
    if (!list) byGroup.set(key, (list = []));
    list.push(row);
  }
  for (const key of STATUS_GROUPS) {
    const members = byGroup.get(key);
    if (!members) continue;
    const group: TreePlace = { kind: 'group', id: `status/${key}`, key };
    links.push({ parent: undefined, child: group });
    for (const row of members) links.push({ parent: group, child: { kind: 'task', taskId: row.taskId } });
  }
  return links;
}
