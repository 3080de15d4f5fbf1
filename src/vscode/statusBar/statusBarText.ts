// What the status-bar item says: its text (counts while a run goes on, the final tally after) and
// its tooltip's Markdown (the counts by status, the run, its cost). StatusBarController.ts puts
// them on VS Code's StatusBarItem; the words need no editor, so they live here, apart from
// `vscode`, and are tested in plain Node.
import { formatDuration } from '../../shared/format';
import type { StatusCounts } from '../../shared/taskCounts';

/** What the tooltip shows of a run; the store's RunRecord has all of it. */
export interface ShownRun {
  readonly runId: string;
  readonly status: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly metrics: Record<string, unknown> | null;
}

/** Failed and timed-out tasks: both turn the item red once the run is over. */
export function failedCount(counts: StatusCounts): number {
  return counts.failed + counts.timed_out;
}

export function statusText(counts: StatusCounts, running: boolean, paused: boolean): string {
  const done = `${counts.completed}/${counts.total} done`;
  const failed = failedCount(counts);
  if (running) {
    const icon = paused ? '$(debug-pause)' : '$(sync~spin)';
    return `${icon} ${counts.running} running · ${done} · ${failed} failed${paused ? ' · paused' : ''}`;
  }
  if (counts.completed + failed + counts.cancelled + counts.blocked + counts.interrupted === 0) return `$(list-tree) ${counts.total} tasks`;
  const parts = [done];
  if (failed > 0) parts.push(`${failed} failed`);
  if (counts.blocked > 0) parts.push(`${counts.blocked} blocked`);
  if (counts.cancelled > 0) parts.push(`${counts.cancelled} cancelled`);
  const icon = failed > 0 ? '$(error)' : counts.completed === counts.total ? '$(pass)' : '$(circle-large-outline)';
  return `${icon} ${parts.join(' · ')}`;
}

/** The tooltip as Markdown; a run still going is timed up to `now`. */
export function statusTooltipMarkdown(counts: StatusCounts, run: ShownRun | undefined, running: boolean, readOnly: boolean, now: number = Date.now()): string {
  let md = '';
  const readOnlyNote = running ? ' (read-only: another process runs the plan)' : ' (read-only: another process has the database open)';
  md += `**Agent Orchestrator**${readOnly ? readOnlyNote : ''}\n\n`;
  if (run) {
    const end = run.endedAt ? Date.parse(run.endedAt) : now;
    md += `Run \`${run.runId}\` — ${running ? 'running' : run.status} for ${formatDuration(end - Date.parse(run.startedAt))}\n\n`;
  }
  const rows: Array<[string, number]> = [
    ['Running', counts.running],
    ['Queued', counts.spawned + counts.ready + counts.assigned],
    ['Not started', counts.pending],
    ['Completed', counts.completed],
    ['Failed', counts.failed],
    ['Timed out', counts.timed_out],
    ['Blocked', counts.blocked],
    ['Cancelled', counts.cancelled],
    ['Interrupted', counts.interrupted],
  ];
  md += '| | Tasks |\n|:--|--:|\n';
  for (const [label, n] of rows) if (n > 0) md += `| ${label} | ${n} |\n`;
  md += `| **Total** | **${counts.total}** |\n`;
  const metrics = run?.metrics as { cost_usd?: number; tokens_in?: number; tokens_out?: number; total_attempts?: number } | null | undefined;
  if (metrics && typeof metrics.cost_usd === 'number') {
    md += `\nCost $${metrics.cost_usd.toFixed(2)} · ${metrics.tokens_in ?? 0} tokens in / ${metrics.tokens_out ?? 0} out · ${metrics.total_attempts ?? 0} attempts\n`;
  }
  md += '\nClick to open the dashboard.';
  return md;
}
