// How a task row looks in the tree, in VS Code's types: the status icon and the tooltip's
// MarkdownString. The words and icon names come from taskTreeText.ts.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { DisplayStatus, TaskView } from '../../core';
import type { TaskProgress } from '../session/RunActivity';
import { STATUS_ICONS, taskTooltipText } from './taskTreeText';

/** Statuses a user may retry (the engine's RETRYABLE set). */
export const RETRYABLE_STATUSES: ReadonlySet<DisplayStatus> = new Set(['failed', 'timed_out', 'cancelled', 'blocked', 'interrupted']);

export function statusIcon(status: DisplayStatus): vscode.ThemeIcon {
  const [icon, color] = STATUS_ICONS[status];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

/** `more`: further Markdown lines (the review state, the radar's warnings), after the task's own. */
export function taskTooltip(row: TaskView, progress: TaskProgress | undefined, more: readonly string[] = []): vscode.MarkdownString {
  // Only a finished attempt's worktree can have been removed (keepWorktrees); the tree asks for the
  // rows it shows, so this is one stat per visible finished row.
  const worktree = row.latestAttempt?.worktree;
  const text = taskTooltipText(row, progress, !!worktree && row.displayStatus !== 'running' && !existsSync(worktree));
  const md = new vscode.MarkdownString(undefined, true);
  md.supportThemeIcons = true;
  md.appendMarkdown(`${text.heading}\n\n`);
  if (text.error !== undefined) {
    md.appendMarkdown('**Why it failed**\n');
    md.appendCodeblock(text.error, 'text');
    md.appendMarkdown('\n');
  }
  md.appendMarkdown([...text.lines, ...more].join('  \n'));
  return md;
}
