// The status-bar item: counts while a run goes on (spinning), the final tally after, the run's
// numbers in the tooltip; a click opens the dashboard. Hidden while the workspace has no database.
import * as vscode from 'vscode';
import type { RunRecord } from '../../core';
import type { OrchestratorSession } from '../session/OrchestratorSession';
import { formatDuration } from '../../shared/format';
import type { StatusCounts, TaskTreeModel } from '../tree/TaskTreeModel';

export class StatusBarController implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly session: OrchestratorSession,
    private readonly model: TaskTreeModel,
  ) {
    this.item = vscode.window.createStatusBarItem('agentOrchestrator.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Agent Orchestrator';
    this.item.command = 'agentOrchestrator.openDashboard';
    this.subscriptions = [model.onDidLoad(() => this.update()), session.onDidChangeState(() => this.update())];
    this.update();
  }

  /** What the item shows now (for tests and the dashboard). */
  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    const tooltip = this.item.tooltip;
    return typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '');
  }

  get visible(): boolean {
    return this.shown;
  }

  private shown = false;

  update(): void {
    const orchestrator = this.session.orchestrator;
    if (!orchestrator || !this.model.hasTasks) {
      this.item.hide();
      this.shown = false;
      return;
    }
    const counts = this.model.counts;
    let run: RunRecord | undefined;
    let latest: RunRecord | undefined;
    try {
      run = this.session.activeRun();
      latest = run ?? orchestrator.latestRun();
    } catch {
      return; // closing or reopening: the next change updates the item
    }
    const running = run !== undefined || this.session.isRunning;
    this.item.text = statusText(counts, running, this.session.isPaused);
    this.item.tooltip = tooltip(counts, latest, running, this.session.mode === 'readOnly');
    this.item.backgroundColor = !running && failedCount(counts) > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.accessibilityInformation = { label: `Agent Orchestrator: ${this.item.text.replace(/\$\([^)]*\)\s*/g, '')}. Open the dashboard.` };
    this.item.show();
    this.shown = true;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this.item.dispose();
  }
}

function failedCount(counts: StatusCounts): number {
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

function tooltip(counts: StatusCounts, run: RunRecord | undefined, running: boolean, readOnly: boolean): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  const readOnlyNote = running ? ' (read-only: another process runs the plan)' : ' (read-only: another process has the database open)';
  md.appendMarkdown(`**Agent Orchestrator**${readOnly ? readOnlyNote : ''}\n\n`);
  if (run) {
    const end = run.endedAt ? Date.parse(run.endedAt) : Date.now();
    md.appendMarkdown(`Run \`${run.runId}\` — ${running ? 'running' : run.status} for ${formatDuration(end - Date.parse(run.startedAt))}\n\n`);
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
  md.appendMarkdown('| | Tasks |\n|:--|--:|\n');
  for (const [label, n] of rows) if (n > 0) md.appendMarkdown(`| ${label} | ${n} |\n`);
  md.appendMarkdown(`| **Total** | **${counts.total}** |\n`);
  const metrics = run?.metrics as { cost_usd?: number; tokens_in?: number; tokens_out?: number; total_attempts?: number } | null | undefined;
  if (metrics && typeof metrics.cost_usd === 'number') {
    md.appendMarkdown(`\nCost $${metrics.cost_usd.toFixed(2)} · ${metrics.tokens_in ?? 0} tokens in / ${metrics.tokens_out ?? 0} out · ${metrics.total_attempts ?? 0} attempts\n`);
  }
  md.appendMarkdown('\nClick to open the dashboard.');
  return md;
}
