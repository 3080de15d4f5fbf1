// The thin half of the task tree: maps the model's nodes to TreeItems. All data and change
// tracking live in TaskTreeModel, the words in taskTreeText.ts. A finished task's changed files
// are its children after any fan-out children, loaded on expand through TaskChangesCache (one
// engine call per state of the task) and rendered by changeNodes.ts.
import * as vscode from 'vscode';
import { taskFlagUri } from '../review/ReviewDecorations';
import { overlapLines, reviewStateText, reviewTooltipLine } from '../review/reviewText';
import { changesKey, type TaskChangesCache } from '../review/TaskChangesCache';
import { changeItem, ChangeNodes, type ChangeNode, type TreeElement } from './changeNodes';
import { statusIcon, taskTooltip } from './taskPresentation';
import type { TaskNode, TaskTreeModel } from './TaskTreeModel';
import { escapeMarkdown, groupText, showsChanges, taskContextValue, taskDescription } from './taskTreeText';

export class TaskTreeProvider implements vscode.TreeDataProvider<TreeElement> {
  readonly onDidChangeTreeData: vscode.Event<TreeElement[] | undefined>;
  private readonly changeNodes = new ChangeNodes();

  /** Without `changes` (the tree's performance test) no task lists its files. */
  constructor(
    private readonly model: TaskTreeModel,
    private readonly changes?: TaskChangesCache,
  ) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  /** The roots (groups), always synchronous. */
  getChildren(): TreeElement[];
  /** Synchronous unless a task's changed files must be loaded first. */
  getChildren(node?: TreeElement): TreeElement[] | Promise<TreeElement[]>;
  getChildren(node?: TreeElement): TreeElement[] | Promise<TreeElement[]> {
    if (!node) return this.model.getRoots();
    if (node.kind === 'file' || node.kind === 'note') return [];
    const own = this.model.getChildren(node);
    if (node.kind === 'group' || !this.listsChanges(node.taskId)) return own;
    if (!vscode.workspace.isTrusted) return [...own, this.changeNodes.note(node.taskId, 'Trust this workspace to see the changed files (reading them runs git).')];
    const key = this.keyOf(node.taskId);
    const cached = this.changes!.peek(node.taskId, key);
    if (cached) return [...own, ...this.changeNodes.of(node.taskId, cached.changes)];
    return this.changes!.get(node.taskId, key).then(
      (changes) => [...own, ...this.changeNodes.of(node.taskId, changes)],
      (error: unknown) => [...own, this.changeNodes.note(node.taskId, `Could not read the changes: ${error instanceof Error ? error.message : String(error)}`)],
    );
  }

  getParent(node: TreeElement): TreeElement | undefined {
    if (node.kind === 'file' || node.kind === 'note') return this.model.nodeOf(node.taskId);
    return this.model.getParent(node);
  }

  getTreeItem(node: TreeElement): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return this.groupItem(node);
      case 'task':
        return this.taskItem(node);
      default:
        return changeItem(node as ChangeNode);
    }
  }

  private listsChanges(taskId: string): boolean {
    const row = this.model.task(taskId);
    return this.changes !== undefined && row !== undefined && showsChanges(row, { state: this.model.review(taskId)?.state });
  }

  private keyOf(taskId: string): string {
    return changesKey(this.model.task(taskId)!, this.model.review(taskId)?.state);
  }

  private groupItem(node: Extract<TreeElement, { kind: 'group' }>): vscode.TreeItem {
    const text = groupText(this.model.grouping, node.key, this.model.specTitle(node.key), this.model.tasksUnder(node));
    const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.Expanded);
    item.description = text.description;
    if (text.icon) item.iconPath = new vscode.ThemeIcon(text.icon);
    item.contextValue = text.contextValue;
    item.id = node.id;
    return item;
  }

  private taskItem(node: TaskNode): vscode.TreeItem {
    const { taskId, id } = node;
    const row = this.model.task(taskId);
    if (!row) return Object.assign(new vscode.TreeItem(taskId), { id });
    const hasChildren = this.model.grouping === 'spec' && this.model.getChildren(node).length > 0;
    const listsChanges = this.listsChanges(taskId);
    const state = hasChildren ? vscode.TreeItemCollapsibleState.Expanded : listsChanges ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(row.title ?? row.taskId, state);
    item.id = id;
    const progress = this.model.progress(taskId);
    const review = this.model.review(taskId);
    const overlaps = this.model.overlaps(taskId);
    const reviewText = reviewStateText(review);
    item.description = reviewText ? `${taskDescription(row, progress)} · ${reviewText}` : taskDescription(row, progress);
    const more = [reviewTooltipLine(review, (text) => `\`${text}\``), ...overlapLines(taskId, overlaps).map((line) => `$(warning) ${escapeMarkdown(line)}`)].filter((line): line is string => line !== undefined);
    item.tooltip = taskTooltip(row, progress, more);
    item.iconPath = statusIcon(row.displayStatus);
    item.contextValue = taskContextValue(row, { state: review?.state, flagged: overlaps.length > 0 });
    // Only a flagged task gets a URI: ReviewDecorations.ts paints it with the warning colour.
    if (overlaps.length > 0) item.resourceUri = taskFlagUri(taskId);
    // The status stays last: screen readers (and the e2e checks) read it there.
    const notes = `${reviewText ? `, ${reviewText}` : ''}${overlaps.length > 0 ? ', flagged by the conflict radar' : ''}`;
    item.accessibilityInformation = { label: `${row.taskId} ${row.title ?? ''}${notes}, ${row.displayStatus.replace('_', ' ')}` };
    return item;
  }
}
