// How a task row looks in the tree: icon and colour per status, the description line, the
// markdown tooltip, and the contextValue that menus match on.
import * as vscode from 'vscode';
import type { DisplayStatus, TaskView } from '../../core';
import type { TaskProgress } from '../session/RunActivity';
import type { StatusGroup } from './TaskTreeModel';
import { formatDuration, STATUS_ICONS, STATUS_LABELS } from '../../shared/format';

/** The theme colour of each status's icon (the icons themselves are src/shared/format.ts's). */
const ICON_COLORS: Readonly<Record<DisplayStatus, string>> = {
  pending: 'descriptionForeground',
  ready: 'charts.blue',
  assigned: 'charts.blue',
  spawned: 'charts.blue',
  running: 'charts.blue',
  completed: 'testing.iconPassed',
  failed: 'testing.iconFailed',
  timed_out: 'testing.iconFailed',
  cancelled: 'disabledForeground',
  blocked: 'list.warningForeground',
  interrupted: 'list.warningForeground',
};


export const GROUP_LABELS: Readonly<Record<StatusGroup, string>> = {
  running: 'Running',
  queued: 'Queued',
  failed: 'Failed',
  timed_out: 'Timed out',
  blocked: 'Blocked',
  interrupted: 'Interrupted',
  cancelled: 'Cancelled',
  pending: 'Not started',
  completed: 'Completed',
};

/** The row's icon: its status's codicon in its colour, spinning while the task runs. */
export function statusIcon(status: DisplayStatus): vscode.ThemeIcon {
  const icon = status === 'running' ? `${STATUS_ICONS.running}~spin` : STATUS_ICONS[status];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(ICON_COLORS[status]));
}

/**
 * `orchTask:<status>` plus `:log` and `:worktree` when those exist, so `when` clauses can say
 * `viewItem =~ /^orchTask:(failed|timed_out)/` or `viewItem =~ /:log\b/`.
 */
export function taskContextValue(row: TaskView): string {
  const parts = ['orchTask', row.displayStatus];
  if (row.latestAttempt?.logPath) parts.push('log');
  if (row.latestAttempt?.worktree) parts.push('worktree');
  return parts.join(':');
}

/** "TASK-1-2 · scripted · 1/2 writing… · 0:12", or the duration once it ended. */
export function taskDescription(row: TaskView, progress: TaskProgress | undefined, now: number = Date.now()): string {
  const parts = [row.taskId];
  if (row.agent) parts.push(row.agent);
  if (row.displayStatus === 'running') {
    if (progress && progress.total > 0) parts.push(`${progress.step}/${progress.total}${progress.message ? ` ${progress.message}` : ''}`);
    if (row.startedAt) parts.push(formatDuration(now - Date.parse(row.startedAt)));
  } else if (row.latestAttempt?.durationMs != null && row.displayStatus !== 'spawned') {
    parts.push(formatDuration(row.latestAttempt.durationMs));
  }
  return parts.join(' · ');
}

export function taskTooltip(row: TaskView, progress: TaskProgress | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.supportThemeIcons = true;
  const attempt = row.latestAttempt;
  md.appendMarkdown(`$(${STATUS_ICONS[row.displayStatus]}) **${escape(row.taskId)}** — ${escape(row.title ?? row.taskId)}\n\n`);
  // Why it failed comes first: the exit code below is the agent's, and a failed verify command
  // leaves an agent that exited 0.
  if (row.errorMessage) {
    md.appendMarkdown('**Why it failed**\n');
    md.appendCodeblock(row.errorMessage.length > 1200 ? `${row.errorMessage.slice(0, 1200)}…` : row.errorMessage, 'text');
    md.appendMarkdown('\n');
  }
  const lines: string[] = [
    `Status: **${STATUS_LABELS[row.displayStatus]}**${progress && progress.total > 0 && row.displayStatus === 'running' ? ` (step ${progress.step}/${progress.total}${progress.message ? `: ${escape(progress.message)}` : ''})` : ''}`,
    `Priority: ${row.priority} · Estimate: ${row.estimatedHours} h${row.agent ? ` · Agent: ${escape(row.agent)}${row.routedBy ? ` (${escape(row.routedBy)})` : ''}` : ''}`,
    `Depends on: ${row.dependsOn.length > 0 ? row.dependsOn.map(escape).join(', ') : 'nothing'}`,
  ];
  // The agent's CLI retrying its API by itself: without this a waiting agent looks stuck.
  if (progress?.apiRetry && row.displayStatus === 'running') lines.push(`Agent API: ${escape(progress.apiRetry)}`);
  if (row.parentTaskId) lines.push(`Part of: ${escape(row.parentTaskId)}`);
  if (attempt) {
    lines.push(`Attempt ${attempt.attemptNumber}${row.retryCount > 0 ? ` (${row.retryCount} retr${row.retryCount === 1 ? 'y' : 'ies'})` : ''}${attempt.durationMs != null ? ` · ${formatDuration(attempt.durationMs)}` : ''}${attempt.exitCode != null ? ` · agent exit code ${attempt.exitCode}` : ''}`);
    if (attempt.worktree) lines.push(`Worktree: \`${attempt.worktree}\``);
    if (attempt.branch) lines.push(`Branch: \`${attempt.branch}\``);
    if (attempt.sessionId) lines.push(`Agent session: \`${attempt.sessionId}\``);
    if (attempt.costUsd != null || attempt.tokensIn != null) {
      lines.push(`Cost: $${(attempt.costUsd ?? 0).toFixed(2)}${attempt.tokensIn != null ? ` · tokens ${attempt.tokensIn} in / ${attempt.tokensOut ?? 0} out` : ''}`);
    }
  }
  md.appendMarkdown(lines.join('  \n'));
  return md;
}


function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, '\\$&');
}
