// A finished task's changed files as children of its row in the task tree, and the one-line notes
// that stand in for them ("No changes", why they could not be read). The nodes keep their identity
// while the task's head commit stays the same, so VS Code keeps their selection across refreshes.
// A click opens the file's diff (`vscode.diff`) between the commit the task started from and its
// branch tip, both sides read from git objects (src/vscode/review/ReviewDocuments.ts).
import * as vscode from 'vscode';
import type { ChangedFile, TaskChanges } from '../../core';
import { changedFileText } from '../review/reviewText';
import { reviewUri } from '../review/reviewUri';
import type { TaskTreeNode } from './TaskTreeModel';

export interface FileNode {
  readonly kind: 'file';
  readonly id: string;
  readonly taskId: string;
  readonly startCommit: string;
  readonly headCommit: string;
  readonly file: ChangedFile;
}

export interface NoteNode {
  readonly kind: 'note';
  readonly id: string;
  readonly taskId: string;
  readonly text: string;
}

export type ChangeNode = FileNode | NoteNode;

/** Everything the task tree shows. */
export type TreeElement = TaskTreeNode | ChangeNode;

/** The two sides of one changed file: left at the start commit (its old path when renamed), right at the branch tip. */
export function diffSides(node: Pick<FileNode, 'taskId' | 'startCommit' | 'headCommit' | 'file'>): { readonly left: vscode.Uri; readonly right: vscode.Uri } {
  const { taskId, file } = node;
  return {
    left: reviewUri({ taskId, commit: node.startCommit, path: file.oldPath ?? file.path }),
    right: reviewUri({ taskId, commit: node.headCommit, path: file.path }),
  };
}

/** "greet.js (TASK-1-1)", the diff editor's title. */
export function diffTitle(taskId: string, file: ChangedFile): string {
  return `${file.path.slice(file.path.lastIndexOf('/') + 1)} (${taskId})`;
}

/** Builds a task's file nodes, reusing the previous ones while its head commit is the same. */
export class ChangeNodes {
  private readonly byTask = new Map<string, { readonly headCommit: string; readonly files: readonly ChangedFile[]; readonly nodes: ChangeNode[] }>();

  of(taskId: string, changes: TaskChanges | undefined): ChangeNode[] {
    if (!changes) return [this.note(taskId, 'no branch to review')];
    const previous = this.byTask.get(taskId);
    if (previous && previous.headCommit === changes.headCommit && previous.files === changes.files) return previous.nodes;
    const nodes: ChangeNode[] =
      changes.files.length === 0
        ? [this.note(taskId, 'No changes')]
        : changes.files.map((file) => ({ kind: 'file', id: `file/${taskId}/${file.path}`, taskId, startCommit: changes.startCommit, headCommit: changes.headCommit, file }));
    this.byTask.set(taskId, { headCommit: changes.headCommit, files: changes.files, nodes });
    return nodes;
  }

  note(taskId: string, text: string): NoteNode {
    return { kind: 'note', id: `note/${taskId}`, taskId, text };
  }
}

export function changeItem(node: ChangeNode): vscode.TreeItem {
  if (node.kind === 'note') {
    const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.contextValue = 'orchNote';
    return item;
  }
  const text = changedFileText(node.file);
  const sides = diffSides(node);
  const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = text.description;
  item.tooltip = text.tooltip;
  // With a resourceUri, ThemeIcon.File is the file icon theme's icon for that name; the fragment
  // tells the review decorations (src/vscode/review/ReviewDecorations.ts) which letter and colour.
  item.resourceUri = (node.file.kind === 'deleted' ? sides.left : sides.right).with({ fragment: node.file.kind });
  item.iconPath = vscode.ThemeIcon.File;
  item.contextValue = `orchChangedFile:${node.file.kind}`;
  item.command = { command: 'vscode.diff', title: 'Open Changes', arguments: [sides.left, sides.right, diffTitle(node.taskId, node.file), { preview: true }] };
  item.accessibilityInformation = { label: `${node.file.path}, ${node.file.kind}, ${text.description}` };
  return item;
}
