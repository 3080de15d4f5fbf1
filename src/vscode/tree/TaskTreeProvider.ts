// The thin half of the task tree: maps the model's nodes to TreeItems. All data and change
// tracking live in TaskTreeModel, the words in taskTreeText.ts.
import * as vscode from 'vscode';
import { statusIcon, taskTooltip } from './taskPresentation';
import type { TaskTreeModel, TaskTreeNode } from './TaskTreeModel';
import { groupText, taskContextValue, taskDescription } from './taskTreeText';

export class TaskTreeProvider implements vscode.TreeDataProvider<TaskTreeNode> {
  readonly onDidChangeTreeData: vscode.Event<TaskTreeNode[] | undefined>;

  constructor(private readonly model: TaskTreeModel) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  getChildren(node?: TaskTreeNode): TaskTreeNode[] {
    return node ? this.model.getChildren(node) : this.model.getRoots();
  }

  getParent(node: TaskTreeNode): TaskTreeNode | undefined {
    return this.model.getParent(node);
  }

  getTreeItem(node: TaskTreeNode): vscode.TreeItem {
    return node.kind === 'group' ? this.groupItem(node) : this.taskItem(node.taskId, node.id);
  }

  private groupItem(node: Extract<TaskTreeNode, { kind: 'group' }>): vscode.TreeItem {
    const text = groupText(this.model.grouping, node.key, this.model.specTitle(node.key), this.model.tasksUnder(node));
    const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.Expanded);
    item.description = text.description;
    if (text.icon) item.iconPath = new vscode.ThemeIcon(text.icon);
    item.contextValue = text.contextValue;
    item.id = node.id;
    return item;
  }

  private taskItem(taskId: string, id: string): vscode.TreeItem {
    const row = this.model.task(taskId);
    if (!row) return Object.assign(new vscode.TreeItem(taskId), { id });
    const hasChildren = this.model.grouping === 'spec' && this.model.getChildren(this.model.nodeOf(taskId)!).length > 0;
    const item = new vscode.TreeItem(row.title ?? row.taskId, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = id;
    const progress = this.model.progress(taskId);
    item.description = taskDescription(row, progress);
    item.tooltip = taskTooltip(row, progress);
    item.iconPath = statusIcon(row.displayStatus);
    item.contextValue = taskContextValue(row);
    item.accessibilityInformation = { label: `${row.taskId} ${row.title ?? ''}, ${row.displayStatus.replace('_', ' ')}` };
    return item;
  }
}
