// The status-bar item: counts while a run goes on (spinning), the final tally after, the run's
// numbers in the tooltip; a click opens the dashboard. Hidden while the workspace has no database.
// What it says is worded in statusBarText.ts. A task failing mid-run turns it red for a few
// seconds and names the task in the tooltip (session/RunNotifier.ts): quieter than a toast.
import * as vscode from 'vscode';
import type { RunRecord } from '../../core';
import type { OrchestratorSession } from '../session/OrchestratorSession';
import type { TaskTreeModel } from '../tree/TaskTreeModel';
import { FAILURE_FLASH_MS } from '../session/runEndText';
import { failedCount, statusText, statusTooltipMarkdown } from './statusBarText';

/** The failures of the current run the tooltip names (the newest last). */
const FAILURE_LINES = 3;

export class StatusBarController implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[];
  /** The run's latest failures, for the tooltip; cleared when a run is no longer going on. */
  private failures: string[] = [];
  private flashTimer: NodeJS.Timeout | undefined;

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

  /** The item is red for a task that just failed (for tests). */
  get flashing(): boolean {
    return this.flashTimer !== undefined;
  }

  /** A task failed while the run goes on: red for a few seconds, the task named in the tooltip. */
  flashFailure(line: string, ms: number = FAILURE_FLASH_MS): void {
    this.failures = [...this.failures, line].slice(-FAILURE_LINES);
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => {
      this.flashTimer = undefined;
      this.update();
    }, ms);
    this.update();
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
    if (!running) this.failures = [];
    this.item.text = statusText(counts, running, this.session.isPaused);
    const tooltip = new vscode.MarkdownString(undefined, true);
    for (const line of this.failures) {
      tooltip.appendMarkdown('$(error) ');
      tooltip.appendText(line);
      tooltip.appendMarkdown('\n\n');
    }
    tooltip.appendMarkdown(statusTooltipMarkdown(counts, latest, running, this.session.mode === 'readOnly'));
    this.item.tooltip = tooltip;
    const red = (running && this.flashing) || (!running && failedCount(counts) > 0);
    this.item.backgroundColor = red ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.accessibilityInformation = { label: `Agent Orchestrator: ${this.item.text.replace(/\$\([^)]*\)\s*/g, '')}. Open the dashboard.` };
    this.item.show();
    this.shown = true;
  }

  dispose(): void {
    clearTimeout(this.flashTimer);
    for (const d of this.subscriptions) d.dispose();
    this.item.dispose();
  }
}
