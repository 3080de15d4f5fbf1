// What the summary section shows, worked out from the dashboard state: the metric cards, the run
// line, the overall progress and the run's branches and summary.md. summary.ts draws it; this
// file touches no DOM, so it is tested in plain Node (test/unit/webview/).
import type { DashboardState } from '../../src/shared/protocol';
import { countTasks } from '../../src/shared/taskCounts';
import { formatCost, formatCount, formatDuration } from './format';

export interface SummaryCard {
  readonly label: string;
  readonly value: string;
  /** Colours the card: ok, info, bad or warn. */
  readonly tone?: string;
  readonly testid?: string;
}

export interface SummaryModel {
  /** Tasks counted as the status bar and the end-of-run toast count them (no fan-out parents). */
  readonly total: number;
  readonly completed: number;
  /** Completed ÷ total, 0 without tasks: the overall bar's fill. */
  readonly share: number;
  readonly cards: readonly SummaryCard[];
  /** The run line: a badge, then the run's id, strategy and parallelism; null before any run. */
  readonly runLine: { readonly status: string; readonly badge: string; readonly details: readonly string[] } | null;
  /** Branches with completed work, from the run's metrics. */
  readonly branches: readonly string[];
  readonly summaryMd: string | null;
}

export function summaryModel(state: DashboardState, now: number): SummaryModel {
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

  const cards: SummaryCard[] = [
    { label: 'Tasks', value: String(counts.total), testid: 'metric-tasks' },
    { label: 'Completed', value: String(completed), tone: 'ok', testid: 'metric-completed' },
    { label: 'Running', value: String(count('running')), tone: 'info', testid: 'metric-running' },
    { label: 'Failed', value: String(count('failed', 'timed_out')), tone: count('failed', 'timed_out') > 0 ? 'bad' : undefined, testid: 'metric-failed' },
    { label: 'Blocked / cancelled', value: `${count('blocked')} / ${count('cancelled')}`, tone: count('blocked', 'cancelled') > 0 ? 'warn' : undefined },
    { label: 'Duration', value: run ? formatDuration(metrics ? metrics.total_duration_seconds * 1000 : elapsed) : '—' },
    { label: 'Avg agent', value: metrics ? formatDuration(metrics.avg_agent_duration_seconds * 1000) : '—' },
    { label: 'Attempts', value: metrics ? String(metrics.total_attempts) : String(state.timeline.length) },
    { label: 'Peak parallel', value: metrics ? `${metrics.max_concurrent_agents} / ${run?.maxParallel ?? '?'}` : run ? `— / ${run.maxParallel}` : '—' },
    { label: 'Cost', value: formatCost(cost), testid: 'metric-cost' },
    { label: 'Tokens in / out', value: `${formatCount(tokensIn)} / ${formatCount(tokensOut)}` },
  ];
  return {
    total: counts.total,
    completed,
    share: counts.total > 0 ? completed / counts.total : 0,
    cards,
    runLine: run
      ? {
          status: run.status,
          badge: running ? (state.paused ? 'paused' : 'running') : run.status,
          details: [` Run ${run.runId}`, run.strategy ? ` · ${run.strategy}` : '', ` · max ${run.maxParallel} parallel`],
        }
      : null,
    branches: metrics ? metrics.branches_created : [],
    summaryMd: run?.summaryMd ?? null,
  };
}
