import type { ProgressCounts, TaskView } from '../core';

/** The `status` command's table: one row per task, then the counts. */
export function formatStatusTable(tasks: readonly TaskView[], counts: ProgressCounts): string {
  const rows = tasks.map((task) => [
    task.taskId,
    task.displayStatus,
    task.agent ?? '-',
    String(task.latestAttempt?.attemptNumber ?? 0),
    task.latestAttempt?.durationMs ? `${(task.latestAttempt.durationMs / 1000).toFixed(1)}s` : '-',
    (task.title ?? '').slice(0, 48),
    task.errorMessage ? task.errorMessage.split('\n')[0].slice(0, 60) : '',
  ]);
  const header = ['TASK', 'STATUS', 'AGENT', 'TRIES', 'TIME', 'TITLE', 'ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const tally = Object.entries(counts)
    .filter(([status, n]) => status !== 'total' && n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  return [line(header), ...rows.map(line), '', `${counts.total} tasks: ${tally}`].join('\n');
}
