// How a task row looks in the tree: icon and colour per status, the description line, the
// markdown tooltip, and the contextValue that menus match on.
import * as vscode from 'vscode';
import type { DisplayStatus, TaskView } from '../../core/store';
import type { TaskProgress } from '../session/RunActivity';
import type { StatusGroup } from './TaskTreeModel';
import { formatDuration, STATUS_LABELS } from '../../shared/format';

const ICONS: Readonly<Record<DisplayStatus, readonly [icon: string, color?: string]>> = {
  pending: ['circle-large-outline', 'descriptionForeground'],
  ready: ['circle-large-outline', 'charts.blue'],
  assigned: ['clock', 'charts.blue'],
  spawned: ['clock', 'charts.blue'],
  running: ['sync~spin', 'charts.blue'],
  completed: ['pass-filled', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  timed_out: ['watch', 'testing.iconFailed'],
  cancelled: ['circle-slash', 'disabledForeground'],
  blocked: ['warning', 'list.warningForeground'],
  interrupted: ['debug-pause', 'list.warningForeground'],
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

/** Statuses a user may retry (the engine's RETRYABLE set). */
export const RETRYABLE_STATUSES: ReadonlySet<DisplayStatus> = new Set(['failed', 'timed_out', 'cancelled', 'blocked', 'interrupted']);

export function statusIcon(status: DisplayStatus): vscode.ThemeIcon {
  const [icon, color] = ICONS[status];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
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
  md.appendMarkdown(`$(${ICONS[row.displayStatus][0].replace('~spin', '')}) **${escape(row.taskId)}** — ${escape(row.title ?? row.taskId)}\n\n`);
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
