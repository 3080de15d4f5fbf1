// The run at a glance: the run's metrics as cards, overall progress, and summary.md.
import type { DashboardState } from '../../src/shared/protocol';
import { countTasks } from '../../src/shared/taskCounts';
import { h } from './dom';
import { formatCost, formatCount, formatDuration } from './format';

export function renderSummary(state: DashboardState, now: number, summaryOpen: boolean, onToggle: (open: boolean) => void): HTMLElement {
  const { tasks, run } = state;
  // The same counts as the status bar and the end-of-run toast (fan-out parents are not counted).
  const counts = countTasks(tasks.map((t) => ({ taskId: t.taskId, status: t.status, parentId: t.parentId })));
  const count = (...statuses: Array<keyof typeof counts>) => statuses.reduce((sum, status) => sum + counts[status], 0);
  const completed = count('completed');
  const metrics = run?.metrics ?? null;
  const running = state.running;
  const elapsed = run ? (run.endedAt ?? now) - run.startedAt : 0;
  const cost = metrics?.cost_usd ?? tasks.reduce((sum, t) => sum + (t.costUsd ?? 0), 0);
  const tokensIn = metrics?.tokens_in ?? tasks.reduce((sum, t) => sum + (t.tokensIn ?? 0), 0);
  const tokensOut = metrics?.tokens_out ?? tasks.reduce((sum, t) => sum + (t.tokensOut ?? 0), 0);

  const cards: Array<[label: string, value: string, tone?: string, testid?: string]> = [
    ['Tasks', String(counts.total), undefined, 'metric-tasks'],
    ['Completed', String(completed), 'ok', 'metric-completed'],
    ['Running', String(count('running')), 'info', 'metric-running'],
    ['Failed', String(count('failed', 'timed_out')), count('failed', 'timed_out') > 0 ? 'bad' : undefined, 'metric-failed'],
    ['Blocked / cancelled', `${count('blocked')} / ${count('cancelled')}`, count('blocked', 'cancelled') > 0 ? 'warn' : undefined],
    ['Duration', run ? formatDuration(metrics ? metrics.total_duration_seconds * 1000 : elapsed) : '—'],
    ['Avg agent', metrics ? formatDuration(metrics.avg_agent_duration_seconds * 1000) : '—'],
    ['Attempts', metrics ? String(metrics.total_attempts) : String(state.timeline.length)],
    ['Peak parallel', metrics ? `${metrics.max_concurrent_agents} / ${run?.maxParallel ?? '?'}` : run ? `— / ${run.maxParallel}` : '—'],
    ['Cost', formatCost(cost), undefined, 'metric-cost'],
    ['Tokens in / out', `${formatCount(tokensIn)} / ${formatCount(tokensOut)}`],
  ];
  const share = counts.total > 0 ? completed / counts.total : 0;
  const fill = h('div', { class: 'overall-fill' });
  // CSSOM, not a style attribute: allowed under the CSP's style-src.
  fill.style.width = `${(share * 100).toFixed(1)}%`;

  const header = run
    ? h('p', { class: 'run-line' }, h('span', { class: `badge run-${run.status}` }, running ? (state.paused ? 'paused' : 'running') : run.status), ` Run ${run.runId}`, run.strategy ? ` · ${run.strategy}` : '', ` · max ${run.maxParallel} parallel`)
    : h('p', { class: 'run-line' }, 'No run yet.');
  const section = h(
    'section',
    { class: 'summary', 'data-testid': 'dashboard-summary', 'aria-label': 'Run summary' },
    h('h2', {}, 'Summary'),
    header,
    h('div', { class: 'overall', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': counts.total, 'aria-valuenow': completed, 'aria-label': 'Tasks completed' }, fill),
    h('div', { class: 'cards' }, ...cards.map(([label, value, tone, testid]) => h('div', { class: `card${tone ? ` tone-${tone}` : ''}`, 'data-testid': testid }, h('div', { class: 'card-value' }, value), h('div', { class: 'card-label' }, label)))),
  );
  if (metrics && metrics.branches_created.length > 0) {
    section.append(h('p', { class: 'branches' }, `Branches with completed work: ${metrics.branches_created.join(', ')}`));
  }
  if (run?.summaryMd) {
    const details = h('details', { class: 'summary-md', open: summaryOpen }, h('summary', { 'data-key': 'summary-md' }, 'summary.md'), h('pre', {}, run.summaryMd));
    details.addEventListener('toggle', () => onToggle(details.open));
    section.append(details);
  }
  return section;
}
