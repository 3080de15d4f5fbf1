// Commands receive tasks in several shapes: a tree node (plus the whole selection, from a context
// menu; a changed file's node counts as its task), `{ taskId }` or a bare id (the dashboard, tests, keybindings), or nothing (the palette:
// use the tree's selection, else ask).
import * as vscode from 'vscode';
import type { TaskView } from '../../core';
import type { TreeElement } from '../tree/changeNodes';
import type { TaskTreeModel, TaskTreeNode } from '../tree/TaskTreeModel';

export function taskIdsFromArgs(model: TaskTreeModel, args: readonly unknown[]): string[] {
  const [first, second] = args;
  const picked = Array.isArray(second) && second.length > 0 ? second : first === undefined ? [] : [first];
  const ids: string[] = [];
  for (const arg of picked.flat()) {
    if (typeof arg === 'string') ids.push(arg);
    else if (isNode(arg)) ids.push(...model.tasksUnder(arg).map((row) => row.taskId));
    else if (typeof arg === 'object' && arg !== null && typeof (arg as { taskId?: unknown }).taskId === 'string') ids.push((arg as { taskId: string }).taskId);
  }
  return [...new Set(ids)];
}

function isNode(value: unknown): value is TaskTreeNode {
  return typeof value === 'object' && value !== null && ((value as TaskTreeNode).kind === 'task' || (value as TaskTreeNode).kind === 'group') && typeof (value as TaskTreeNode).id === 'string';
}

/** The ids from the arguments, else the tree's selection, else a quick pick among `candidates`. */
export async function resolveTaskIds(
  model: TaskTreeModel,
  selection: () => readonly TreeElement[],
  args: readonly unknown[],
  pick: { readonly candidates: (row: TaskView) => boolean; readonly placeholder: string; readonly many: boolean },
): Promise<string[]> {
  const fromArgs = taskIdsFromArgs(model, args);
  if (fromArgs.length > 0) return fromArgs;
  const selected = taskIdsFromArgs(model, [undefined, [...selection()]]).filter((id) => {
    const row = model.task(id);
    return row !== undefined && pick.candidates(row);
  });
  if (selected.length > 0) return pick.many ? selected : selected.slice(0, 1);
  const items = model
    .tasks()
    .filter(pick.candidates)
    .map((row) => ({ label: row.taskId, description: row.title ?? '', detail: row.displayStatus.replace('_', ' '), taskId: row.taskId }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Agent Orchestrator: no task fits this command right now.');
    return [];
  }
  if (pick.many) {
    const chosen = await vscode.window.showQuickPick(items, { placeHolder: pick.placeholder, canPickMany: true });
    return chosen?.map((item) => item.taskId) ?? [];
  }
  const chosen = await vscode.window.showQuickPick(items, { placeHolder: pick.placeholder });
  return chosen ? [chosen.taskId] : [];
}
