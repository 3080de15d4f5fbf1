// One task in full: what it is, how its attempts went, what it changed (changesModel.ts), and the
// last lines its agent printed.
import { CANCELLABLE_STATUSES, RETRYABLE_STATUSES, type DashboardCommand, type DashboardTaskView } from '../../src/shared/protocol';
import { changesView, reviewText, type ChangesEntry } from './changesModel';
import { h, icon } from './dom';
import { formatCost, formatDuration, STATUS_ICONS, STATUS_LABELS } from './format';

export interface DetailsActions {
  readonly run: (command: DashboardCommand, taskId: string) => void;
  readonly openReview: (taskId: string) => void;
  readonly close: () => void;
}

export function renderDetails(
  task: DashboardTaskView,
  output: readonly string[],
  changes: ChangesEntry | undefined,
  running: boolean,
  readOnly: boolean,
  actions: DetailsActions,
): HTMLElement {
  const aside = h('aside', { class: 'details', 'data-testid': 'dashboard-details', 'aria-label': `Details of ${task.taskId}` });
  const button = (label: string, codicon: string, command: DashboardCommand) => {
    const b = h('button', { type: 'button', class: 'secondary' }, icon(codicon), ` ${label}`);
    b.addEventListener('click', () => actions.run(command, task.taskId));
    return b;
  };
  const close = h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close the details', title: 'Close' }, icon('close'));
  close.addEventListener('click', actions.close);
  const rows: Array<[string, string | null]> = [
    ['Status', `${STATUS_LABELS[task.status]}${task.progress && task.progress.total > 0 ? ` — step ${task.progress.step}/${task.progress.total} ${task.progress.message}` : ''}`],
    // The agent's CLI retrying its API by itself: without this a waiting agent looks stuck.
    ['Agent API', task.progress?.apiRetry ?? null],
    ['Spec', task.specId],
    ['Agent', task.agent],
    ['Priority', `${task.priority} · estimate ${task.estimatedHours} h`],
    ['Depends on', task.dependsOn.length > 0 ? task.dependsOn.join(', ') : 'nothing'],
    ['Part of', task.parentId],
    ['Attempts', task.attempts > 0 ? `${task.attempts}${task.retryCount > 0 ? ` (${task.retryCount} retries)` : ''}` : null],
    ['Duration', task.durationMs !== null ? formatDuration(task.durationMs) : task.startedAt && task.status === 'running' ? `${formatDuration(Date.now() - Date.parse(task.startedAt))} so far` : null],
    ['Agent exit code', task.exitCode !== null ? String(task.exitCode) : null],
    ['Cost', task.costUsd !== null ? `${formatCost(task.costUsd)}${task.tokensIn !== null ? ` · ${task.tokensIn} / ${task.tokensOut ?? 0} tokens` : ''}` : null],
    ['Worktree', task.worktree],
    ['Branch', task.branch],
    ['Review', reviewText(task)],
    ['Agent session', task.sessionId],
  ];
  const buttons = h('div', { class: 'actions' });
  if (task.hasLog) buttons.append(button('Show Log', 'output', 'agentOrchestrator.showTaskLog'));
  if (task.worktree) buttons.append(button('Open Worktree', 'empty-window', 'agentOrchestrator.openTaskWorktree'));
  if (!readOnly && running && CANCELLABLE_STATUSES.has(task.status)) buttons.append(button('Cancel', 'stop', 'agentOrchestrator.cancelTask'));
  if (!readOnly && !running && RETRYABLE_STATUSES.has(task.status)) buttons.append(button('Retry', 'debug-restart', 'agentOrchestrator.retryFailed'));
  if (!readOnly && !running && (task.status === 'pending' || task.status === 'ready')) buttons.append(button('Run', 'play', 'agentOrchestrator.runSelected'));

  const pre = h('pre', { class: 'output', tabindex: 0, 'aria-label': `Last lines of output of ${task.taskId}` }, output.length > 0 ? output.join('\n') : 'No output yet.');
  aside.append(
    h('div', { class: 'details-head' }, h('h2', {}, h('span', { class: `status-icon status-${task.status}` }, icon(STATUS_ICONS[task.status])), ` ${task.taskId}`), close),
    h('p', { class: 'details-title' }, task.title),
    // Why it failed, before the facts: the exit code is the agent's, 0 when only its verify command failed.
    ...(task.error ? [h('pre', { class: 'error', 'data-testid': 'details-error' }, task.error)] : []),
    h('dl', {}, ...rows.filter(([, v]) => v !== null && v !== '').flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v!)])),
    buttons,
    ...renderChanges(task, changes, actions),
    h('h3', {}, 'Output'),
    pre,
  );
  queueMicrotask(() => (pre.scrollTop = pre.scrollHeight));
  return aside;
}

/** The changed files with kind and counts, and the button that opens them in VS Code's diff editors. */
function renderChanges(task: DashboardTaskView, entry: ChangesEntry | undefined, actions: DetailsActions): HTMLElement[] {
  const view = changesView(task, entry);
  if (view.kind === 'hidden') return [];
  const heading = h('h3', {}, 'Changes');
  if (view.kind === 'message') return [heading, h('p', { class: view.error ? 'changes-note error-text' : 'changes-note', 'data-testid': 'details-changes-note' }, view.text)];
  const review = h('button', { type: 'button', class: 'primary', 'data-key': `review-${task.taskId}`, 'data-testid': 'open-review' }, icon('diff-multiple'), ' Open Review');
  review.addEventListener('click', () => actions.openReview(task.taskId));
  return [
    heading,
    h('p', { class: 'changes-summary' }, view.summary),
    h(
      'ul',
      { class: 'changes', 'data-testid': 'details-changes', 'aria-label': `Files changed by ${task.taskId}` },
      ...view.rows.map((row) =>
        h(
          'li',
          { class: `change kind-${row.kind}`, title: row.title, 'data-path': row.path },
          h('span', { class: `codicon codicon-${row.icon}`, 'aria-label': row.kind, role: 'img' }),
          h('span', { class: 'change-path' }, row.label),
          h('span', { class: 'change-counts' }, row.counts),
        ),
      ),
    ),
    h('div', { class: 'actions' }, review),
  ];
}
