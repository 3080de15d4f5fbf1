// Context keys for `when` clauses (package.json menus, viewsWelcome, the command palette), kept in
// step with the session and the tree. Trust uses VS Code's own `isWorkspaceTrusted`.
import * as vscode from 'vscode';
import type { OrchestratorSession } from './session/OrchestratorSession';
import { RETRYABLE_STATUSES } from '../shared/protocol';
import type { TaskTreeModel } from './tree/TaskTreeModel';

export const CONTEXT = {
  /** The workspace has an orchestrator database (open in this window). */
  hasDatabase: 'agentOrchestrator.hasDatabase',
  /** At least one task was imported. */
  hasPlan: 'agentOrchestrator.hasPlan',
  /** A run is going on (here, or in the process holding the lock). */
  running: 'agentOrchestrator.running',
  paused: 'agentOrchestrator.paused',
  /** Another process holds the writer lock. */
  readOnly: 'agentOrchestrator.readOnly',
  /** The writer runs nothing and some task was interrupted (its run's owner stopped): Resume Run. */
  resumable: 'agentOrchestrator.resumable',
  /** Some task failed, timed out, was cancelled, blocked or interrupted. */
  hasRetryable: 'agentOrchestrator.hasRetryable',
  /** A run has finished, so there is a summary to export. */
  hasSummary: 'agentOrchestrator.hasSummary',
  /** Some completed task's branch is neither merged nor discarded: Merge into…, Merge All Completed. */
  hasMergeable: 'agentOrchestrator.hasMergeable',
  /** 'spec' or 'status'. */
  grouping: 'agentOrchestrator.grouping',
  /** The default agent's command is not on PATH (set by agents/defaultAgentWatch.ts, not here). */
  defaultAgentMissing: 'agentOrchestrator.defaultAgentMissing',
} as const;

export class ContextKeys implements vscode.Disposable {
  private readonly values = new Map<string, unknown>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly session: OrchestratorSession,
    private readonly model: TaskTreeModel,
  ) {
    this.subscriptions = [session.onDidChangeState(() => this.update()), model.onDidLoad(() => this.update())];
    this.update();
  }

  update(): void {
    try {
      this.updateNow();
    } catch {
      // The database is closing or reopening; its change events bring the next update.
    }
  }

  private updateNow(): void {
    const orchestrator = this.session.orchestrator;
    const run = this.session.activeRun();
    const rows = this.model.tasks();
    this.set(CONTEXT.hasDatabase, orchestrator !== undefined);
    this.set(CONTEXT.hasPlan, this.model.hasTasks);
    const running = this.session.isRunning || run !== undefined;
    this.set(CONTEXT.running, running);
    this.set(CONTEXT.resumable, !running && this.session.mode === 'writer' && rows.some((row) => row.displayStatus === 'interrupted'));
    this.set(CONTEXT.paused, this.session.isPaused);
    this.set(CONTEXT.readOnly, this.session.mode === 'readOnly');
    this.set(CONTEXT.hasRetryable, rows.some((row) => RETRYABLE_STATUSES.has(row.displayStatus)));
    this.set(CONTEXT.hasSummary, orchestrator?.runs(5).some((r) => r.summaryMd !== null) ?? false);
    this.set(CONTEXT.hasMergeable, rows.some((row) => row.displayStatus === 'completed' && row.latestAttempt?.branch && (this.model.review(row.taskId)?.state ?? 'unreviewed') === 'unreviewed'));
    this.set(CONTEXT.grouping, this.model.grouping);
  }

  /** The value last set for a key (for tests: VS Code offers no way to read a context key back). */
  value(key: string): unknown {
    return this.values.get(key);
  }

  private set(key: string, value: unknown): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
