// What the task tree says about a task or a group: icon names per status, group labels and
// counts, a task's description line, its tooltip's text and the contextValue that menus match on.
// taskPresentation.ts and TaskTreeProvider.ts turn these into VS Code's ThemeIcons, TreeItems and
// MarkdownStrings; the words themselves need no editor, so they live here, apart from `vscode`,
// and are tested in plain Node.
import type { DisplayStatus } from '../../shared/taskCounts';
import { formatDuration, STATUS_ICONS as SHARED_ICONS, STATUS_LABELS } from '../../shared/format';
import type { TaskProgress } from '../session/RunActivity';
import type { PlacedRow, StatusGroup, TreeGrouping } from './taskTreeGroups';

/** The theme colour of each status's icon. */
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

/** Codicon (src/shared/format.ts's, shared with the dashboard) and theme colour per status; a running task's spins. */
export const STATUS_ICONS: Readonly<Record<DisplayStatus, readonly [icon: string, color: string]>> = treeIcons();

function treeIcons(): Record<DisplayStatus, readonly [icon: string, color: string]> {
  const icons = {} as Record<DisplayStatus, readonly [icon: string, color: string]>;
  for (const status of Object.keys(ICON_COLORS) as DisplayStatus[]) {
    icons[status] = [status === 'running' ? `${SHARED_ICONS[status]}~spin` : SHARED_ICONS[status], ICON_COLORS[status]];
  }
  return icons;
}

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

/** What the tree shows of a task's latest attempt; the store's AttemptRecord has all of it. */
export interface ShownAttempt {
  readonly attemptNumber: number;
  readonly durationMs: number | null;
  readonly exitCode: number | null;
  readonly worktree: string | null;
  readonly branch: string | null;
  readonly sessionId: string | null;
  readonly logPath: string | null;
  readonly costUsd: number | null;
  readonly tokensIn: number | null;
  readonly tokensOut: number | null;
}

/** What the tree shows of a task row; the store's TaskView has all of it. */
export interface ShownTask extends PlacedRow {
  readonly title: string | null;
  readonly priority: string;
  readonly estimatedHours: number;
  readonly agent: string | null;
  readonly routedBy: string | null;
  readonly dependsOn: readonly string[];
  readonly retryCount: number;
  readonly errorMessage: string | null;
  readonly startedAt: string | null;
  readonly latestAttempt: ShownAttempt | null;
}

export interface GroupText {
  readonly label: string;
  readonly description: string;
  /** A codicon for a spec group; a status group has none. */
  readonly icon: string | undefined;
  readonly contextValue: string;
}

/** A spec group: "SPEC-001: Title", "2/3 done", a check once all are done. A status group: its label and count. */
export function groupText(grouping: TreeGrouping, key: string, specTitle: string | undefined, tasks: readonly Pick<PlacedRow, 'displayStatus'>[]): GroupText {
  if (grouping === 'spec') {
    const done = tasks.filter((task) => task.displayStatus === 'completed').length;
    return {
      label: specTitle ? `${key}: ${specTitle}` : key,
      description: `${done}/${tasks.length} done`,
      icon: done === tasks.length && tasks.length > 0 ? 'pass' : 'symbol-namespace',
      contextValue: 'orchGroup:spec',
    };
  }
  return { label: GROUP_LABELS[key as StatusGroup] ?? key, description: String(tasks.length), icon: undefined, contextValue: `orchGroup:${key}` };
}

/** What the review adds to a task's row: its recorded state and whether the radar flagged it. */
export interface ShownReview {
  readonly state?: 'unreviewed' | 'merged' | 'discarded';
  readonly flagged?: boolean;
}

/**
 * `orchTask:<status>` plus `:log` and `:worktree` when those exist, `:branch` while its branch
 * holds work to review (not discarded), `:merged` or `:discarded`, and `:overlap` when the
 * conflict radar flagged it, so `when` clauses can say `viewItem =~ /^orchTask:(failed|timed_out)/`
 * or `viewItem =~ /:branch\b/`.
 */
export function taskContextValue(row: ShownTask, review: ShownReview = {}): string {
  const parts = ['orchTask', row.displayStatus];
  if (row.latestAttempt?.logPath) parts.push('log');
  if (row.latestAttempt?.worktree) parts.push('worktree');
  if (row.latestAttempt?.branch && review.state !== 'discarded') parts.push('branch');
  if (review.state === 'merged' || review.state === 'discarded') parts.push(review.state);
  if (review.flagged) parts.push('overlap');
  return parts.join(':');
}

/** Statuses whose work is reviewed and merged back: a completed task, and a failed or timed-out one that left changes. */
const REVIEWABLE: ReadonlySet<DisplayStatus> = new Set(['completed', 'failed', 'timed_out']);

/** Whether the tree lists the task's changed files under it. */
export function showsChanges(row: ShownTask, review: ShownReview = {}): boolean {
  return REVIEWABLE.has(row.displayStatus) && !!row.latestAttempt?.branch && review.state !== 'discarded';
}

/** "TASK-1-2 · scripted · 1/2 writing… · 0:12", or the duration once it ended. */
export function taskDescription(row: ShownTask, progress: TaskProgress | undefined, now: number = Date.now()): string {
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

/** A task's tooltip as Markdown pieces; taskPresentation.ts puts them into a MarkdownString. */
export interface TooltipText {
  /** "$(icon) **TASK-1-2** — Title" */
  readonly heading: string;
  /** Why it failed (at most 1200 characters), shown as a code block; undefined when it did not. */
  readonly error: string | undefined;
  /** One fact per line. */
  readonly lines: readonly string[];
}

/**
 * `worktreeGone`: the latest attempt's folder is no longer on disk (removed once its work was on
 * its branch, setting keepWorktrees): its path would mislead, so the branch is named instead.
 */
export function taskTooltipText(row: ShownTask, progress: TaskProgress | undefined, worktreeGone = false): TooltipText {
  const attempt = row.latestAttempt;
  const heading = `$(${STATUS_ICONS[row.displayStatus][0].replace('~spin', '')}) **${escape(row.taskId)}** — ${escape(row.title ?? row.taskId)}`;
  // Why it failed comes first: the exit code below is the agent's, and a failed verify command
  // leaves an agent that exited 0.
  const error = row.errorMessage ? (row.errorMessage.length > 1200 ? `${row.errorMessage.slice(0, 1200)}…` : row.errorMessage) : undefined;
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
    if (attempt.worktree && worktreeGone) lines.push(`Worktree: removed — ${attempt.branch ? `\`${attempt.branch}\`` : 'the branch'} holds the work (Open Task Worktree checks it out again)`);
    else if (attempt.worktree) lines.push(`Worktree: \`${attempt.worktree}\``);
    if (attempt.branch) lines.push(`Branch: \`${attempt.branch}\``);
    if (attempt.sessionId) lines.push(`Agent session: \`${attempt.sessionId}\``);
    if (attempt.costUsd != null || attempt.tokensIn != null) {
      lines.push(`Cost: $${(attempt.costUsd ?? 0).toFixed(2)}${attempt.tokensIn != null ? ` · tokens ${attempt.tokensIn} in / ${attempt.tokensOut ?? 0} out` : ''}`);
    }
  }
  return { heading, error, lines };
}

/** Markdown's special characters, escaped, so a title or message shows as written. */
export function escapeMarkdown(text: string): string {
  return escape(text);
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, '\\$&');
}
