// The status-bar item: counts while a run goes on (spinning), the final tally after, the run's
// numbers in the tooltip; a click opens the dashboard. Hidden while the workspace has no database.
// What it says is worded in statusBarText.ts.
import * as vscode from 'vscode';
import type { RunRecord } from '../../core';
import type { OrchestratorSession } from '../session/OrchestratorSession';
import type { TaskTreeModel } from '../tree/TaskTreeModel';
import { failedCount, statusText, statusTooltipMarkdown } from './statusBarText';

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
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(statusTooltipMarkdown(counts, latest, running, this.session.mode === 'readOnly'));
    this.item.tooltip = tooltip;
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
