// Owns the single dashboard panel: creates or reveals it, restores it after a reload, answers the
// webview's `ready` with the state, keeps it live (debounced), streams the selected task's output,
// sends its changed files (taskChangesFeed.ts) and opens its review in VS Code's diff editors.
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { TASK_COMMANDS, isWebviewToHostMessage, type DashboardState, type HostToWebviewMessage, type WebviewToHostMessage } from '../../shared/protocol';
import { diffState, type StateFingerprint } from '../../shared/statePatch';
import type { OrchestratorSession } from '../session/OrchestratorSession';
import type { RunActivity } from '../session/RunActivity';
import type { SharedReads } from '../session/sharedReads';
import { buildDashboardState } from './dashboardState';
import { TaskChangesFeed } from './taskChangesFeed';
import { dashboardHtml } from './webviewHtml';

const STATE_DEBOUNCE_MS = 250;
const OUTPUT_BATCH_MS = 200;
const TAIL_LINES = 60;
/** The tree's Review Changes command (src/vscode/review/), which takes a task id. */
export const REVIEW_CHANGES_COMMAND = 'agentOrchestrator.reviewChanges';

export class DashboardPanel implements vscode.Disposable {
  static readonly viewType = 'agentOrchestrator.dashboard';
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[];
  private ready = false;
  private stateTimer: NodeJS.Timeout | undefined;
  private selectedTaskId: string | null = null;
  private pendingLines: string[] = [];
  private outputTimer: NodeJS.Timeout | undefined;
  /** A task to open once the webview is ready (show(taskId) before it loaded). */
  private pendingSelect: string | undefined;
  /** The last state posted to the webview (tests read it). */
  lastState: DashboardState | undefined;
  /** What the webview holds: the number and fingerprint of the last state sent; none until `ready`. */
  private sent: { seq: number; fingerprint: StateFingerprint } | undefined;
  /** States sent whole and as patches since the panel opened (tests read it). */
  readonly posted = { whole: 0, patches: 0 };
  /** The selected task's changed files (tests read `changes.last`). */
  readonly changes: TaskChangesFeed;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly version: string,
    private readonly session: OrchestratorSession,
    private readonly activity: RunActivity,
    private readonly reads: SharedReads,
  ) {
    this.subscriptions = [
      // Together with the tree, from the same renewed snapshot: at once, not on a timer of its own.
      reads.onDidChange(() => this.postStateNow()),
      session.onDidChangeState(() => this.scheduleState()),
      activity.onDidChangeProgress(() => this.scheduleState()),
      activity.onDidAddOutput(({ taskId, line }) => this.outputLine(taskId, line)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleState()),
    ];
    this.changes = new TaskChangesFeed(
      async (taskId) => this.session.orchestrator?.taskChanges(taskId),
      (message) => void this.post(message),
    );
  }

  /** The webview said `ready` and has been sent its state. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Opens or reveals the dashboard; with a task id, also opens that task's details. */
  show(taskId?: string): vscode.WebviewPanel {
    if (this.panel) {
      // A hidden webview is rebuilt when revealed and says `ready` again: the task waits for that.
      const live = this.ready && this.panel.visible;
      this.panel.reveal();
      if (taskId && live) void this.post({ type: 'select', taskId });
      else if (taskId) this.pendingSelect = taskId;
      return this.panel;
    }
    this.pendingSelect = taskId;
    const panel = vscode.window.createWebviewPanel(DashboardPanel.viewType, 'Agent Orchestrator', vscode.ViewColumn.Active, this.webviewOptions());
    this.attach(panel);
    // The dashboard reads the database if there is one; it never creates it.
    void this.session.openIfDatabaseExists().catch(() => undefined);
    return panel;
  }

  serializer(): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (panel) => {
        panel.webview.options = this.webviewOptions();
        this.attach(panel);
        await this.session.openIfDatabaseExists().catch(() => undefined);
      },
    };
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [this.webviewRoot()] };
  }

  private webviewRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.detach();
    this.panel = panel;
    this.ready = false;
    this.sent = undefined;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'orchestrator.svg');
    const root = this.webviewRoot();
    panel.webview.html = dashboardHtml(
      panel.webview,
      panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.js')),
      panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.css')),
    );
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (isWebviewToHostMessage(message)) void this.receive(message);
      }),
      panel.onDidDispose(() => {
        if (this.panel === panel) this.detach();
      }),
    ];
  }

  private detach(): void {
    for (const d of this.panelDisposables.splice(0)) d.dispose();
    this.panel = undefined;
    this.ready = false;
    this.sent = undefined;
    this.selectedTaskId = null;
    this.changes.select(null, undefined);
  }

  private async receive(message: WebviewToHostMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        // A new page (or one that lost track of a patch): it holds no state, so the next is whole.
        this.ready = true;
        this.sent = undefined;
        this.postState();
        const pending = this.pendingSelect;
        this.pendingSelect = undefined;
        if (pending) void this.post({ type: 'select', taskId: pending });
        return;
      }
      case 'openReview':
        await this.openReview(message.taskId);
        return;
      case 'runCommand': {
        const args = message.taskId !== undefined && TASK_COMMANDS.has(message.command) ? [{ taskId: message.taskId }] : [];
        await vscode.commands.executeCommand(message.command, ...args);
        return;
      }
      case 'selectTask':
        this.selectedTaskId = message.taskId;
        this.pendingLines = [];
        this.changes.select(message.taskId, this.lastState);
        if (message.taskId) await this.sendTail(message.taskId);
        return;
    }
  }

  /** The tree's Review Changes command opens the multi-file diff; a failure is shown, not thrown. */
  private async openReview(taskId: string): Promise<void> {
    try {
      await vscode.commands.executeCommand(REVIEW_CHANGES_COMMAND, taskId);
    } catch (error) {
      void vscode.window.showErrorMessage(`Agent Orchestrator: could not open the review of ${taskId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private scheduleState(): void {
    if (!this.panel || !this.ready || this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      this.postState();
    }, STATE_DEBOUNCE_MS);
  }

  private postStateNow(): void {
    clearTimeout(this.stateTimer);
    this.stateTimer = undefined;
    this.postState();
  }

  private postState(): void {
    // A hidden dashboard (another editor tab in front) is rebuilt when shown again and asks for
    // the state with `ready`: building and sending 4 states a second for it during a run was the
    // biggest share of this extension's time on the host's thread (docs/benchmarks.md).
    if (!this.panel || !this.ready || !this.panel.visible) return;
    const { session } = this;
    let state: DashboardState;
    try {
      state = buildDashboardState({
        extensionVersion: this.version,
        workspaceName: vscode.workspace.name ?? null,
        orchestrator: this.reads.current(),
        // A `running` run whose owner died is not running (session.activeRun knows the difference).
        running: session.isRunning || session.activeRun() !== undefined,
        paused: session.isPaused,
        trusted: vscode.workspace.isTrusted,
        progress: (taskId) => this.activity.progress(taskId),
      });
    } catch {
      return; // The database closed under us (a reopen); the next change posts again.
    }
    this.lastState = state;
    // After the first, only what changed (src/shared/statePatch.ts): a big plan's state is mostly
    // the same rows each time, and the host's thread serialised and (remote) compressed all of it.
    const { patch, fingerprint } = diffState(this.sent?.fingerprint, state);
    const seq = (this.sent?.seq ?? 0) + 1;
    if (this.sent) {
      void this.post({ type: 'statePatch', base: this.sent.seq, seq, patch });
      this.posted.patches++;
    } else {
      void this.post({ type: 'state', seq, state });
      this.posted.whole++;
    }
    this.sent = { seq, fingerprint };
    this.changes.update(state);
  }

  /** What this window saw the agent print, else the end of its log file (after a reload). */
  private async sendTail(taskId: string): Promise<void> {
    let lines = [...this.activity.tail(taskId, TAIL_LINES)];
    if (lines.length === 0) {
      const logPath = this.session.orchestrator?.taskViews().find((row) => row.taskId === taskId)?.latestAttempt?.logPath;
      if (logPath) {
        try {
          lines = (await readFile(logPath, 'utf8')).split(/\r?\n/).filter((line, i, all) => line !== '' || i < all.length - 1).slice(-TAIL_LINES);
        } catch {
          lines = [];
        }
      }
    }
    if (this.selectedTaskId === taskId) void this.post({ type: 'output', taskId, lines, reset: true });
  }

  private outputLine(taskId: string, line: string): void {
    if (taskId !== this.selectedTaskId || !this.ready) return;
    this.pendingLines.push(line);
    this.outputTimer ??= setTimeout(() => {
      this.outputTimer = undefined;
      const lines = this.pendingLines.splice(0);
      if (this.selectedTaskId === taskId && lines.length > 0) void this.post({ type: 'output', taskId, lines: lines.slice(-TAIL_LINES), reset: false });
    }, OUTPUT_BATCH_MS);
  }

  private post(message: HostToWebviewMessage): Thenable<boolean> | undefined {
    return this.panel?.webview.postMessage(message);
  }

  dispose(): void {
    clearTimeout(this.stateTimer);
    clearTimeout(this.outputTimer);
    for (const d of this.subscriptions) d.dispose();
    const panel = this.panel;
    this.detach();
    panel?.dispose();
  }
}
