// The workspace's one Orchestrator, shared by every view and command. It is opened lazily: at
// activation only when the database already exists (so merely opening a folder never creates
// `.agent-orchestrator/`), otherwise on the first command that needs it.
//
// When another window or a CLI holds the writer lock, the database is opened read-only: the
// session watches the file and reloads it when the writer flushes, tries to take the lock over
// when it is freed, and says so to the user once. Settings changes reopen the orchestrator (after
// the current run, if one is going on, and after the commands still using the old one:
// commandLeases.ts).
//
// A run whose owner died (a killed window or CLI) is recovered by whichever window becomes the
// writer next, on opening or on taking the lock over, and reported through onDidRecover.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isOwnerAlive, Orchestrator, resolveSettings, type ControlRequest, type OrchestratorEvent, type OrchestratorSettings, type ProcessLauncher, type RunRecord, type RunResult, type StoreOptions } from '../../core';
import { describeRecoveredRun, recoverAbandonedRun, type RecoveryReport } from './abandonedRun';
import { Leases } from './commandLeases';

export interface SessionOptions {
  readonly folder: vscode.WorkspaceFolder;
  readonly scriptedAgentPath: string;
  readonly nodeCommand: string;
  readonly scriptedEnv: Readonly<Record<string, string>>;
  readonly launcher: ProcessLauncher;
  readonly readSettings: () => Partial<OrchestratorSettings>;
  readonly log: vscode.LogOutputChannel;
}

export type SessionMode = 'closed' | 'writer' | 'readOnly';

/** How often a read-only window checks whether the writer's lock went stale (no file event says so). */
const STALE_LOCK_CHECK_MS = 10_000;
const RELOAD_DEBOUNCE_MS = 150;

export class OrchestratorSession implements vscode.Disposable {
  private readonly stateChanged = new vscode.EventEmitter<void>();
  private readonly dataChanged = new vscode.EventEmitter<void>();
  private readonly emitted = new vscode.EventEmitter<OrchestratorEvent>();
  private readonly recovered = new vscode.EventEmitter<RecoveryReport>();
  /** Mode, run or pause changed: context keys, the status bar and the dashboard follow. */
  readonly onDidChangeState = this.stateChanged.event;
  /** The database changed (a write here, or a reload of another process's flush). Not debounced. */
  readonly onDidChangeData = this.dataChanged.event;
  /** Everything the engine reports while this window runs the plan. */
  readonly onDidEmit = this.emitted.event;
  /** This window became the writer and recovered a run whose owner had died. */
  readonly onDidRecover = this.recovered.event;
  /** The last such recovery (for tests and the dashboard). */
  lastRecovery: RecoveryReport | undefined;

  private current: Orchestrator | undefined;
  private opening: Promise<Orchestrator> | undefined;
  private unsubscribe: Array<() => void> = [];
  private readonlyWatch: vscode.Disposable[] = [];
  private run: Promise<RunResult> | undefined;
  private paused = false;
  private reopenWhenIdle = false;
  /** Commands using an orchestrator; a reopen closes the old one once they are done. */
  private readonly leases = new Leases<Orchestrator>(this);
  private reopening: Promise<void> | undefined;
  /** While a reopen closes the old orchestrator and opens the new one: open() waits. */
  private switching: Promise<void> | undefined;
  private toldReadOnly = false;
  /** release() freed the lock; only an explicit open() (a command) opens the database again. */
  private released = false;
  private disposed = false;

  constructor(private readonly options: SessionOptions) {}

  get workspaceRoot(): string {
    return this.options.folder.uri.fsPath;
  }

  get folder(): vscode.WorkspaceFolder {
    return this.options.folder;
  }

  get orchestrator(): Orchestrator | undefined {
    return this.current;
  }

  get mode(): SessionMode {
    if (!this.current) return 'closed';
    return this.current.readOnly ? 'readOnly' : 'writer';
  }

  /** A run started by this window is going on. */
  get isRunning(): boolean {
    return this.run !== undefined;
  }

  /** Whether this window told the user that another process runs the plan (since it last became the writer). */
  get toldAnotherProcessRuns(): boolean {
    return this.toldReadOnly;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * The run in progress, here or (read-only) in the live process that holds the lock. A `running`
   * run in the database is not enough: its owner may have died (the writer recovers it).
   */
  activeRun(): RunRecord | undefined {
    const latest = this.current?.latestRun();
    if (latest?.status !== 'running') return undefined;
    if (this.mode === 'writer') return this.run ? latest : undefined;
    return this.writerIsAlive() ? latest : undefined;
  }

  /** Read-only: whether the lock's owner is a live process (on another host: assumed, its heartbeat says). */
  private writerIsAlive(): boolean {
    return isOwnerAlive(this.current?.lockOwner());
  }

  /** Where the database is (or would be) with the current settings. */
  databasePath(): string {
    if (this.current) return this.current.databasePath;
    let databasePath: string;
    try {
      databasePath = resolveSettings(this.options.readSettings()).databasePath;
    } catch {
      databasePath = resolveSettings().databasePath;
    }
    return path.isAbsolute(databasePath) ? databasePath : path.join(this.workspaceRoot, databasePath);
  }

  databaseExists(): boolean {
    return existsSync(this.databasePath());
  }

  /**
   * Opens the database if it exists already; never creates it. Not after release(): the user
   * freed the lock for another process, and a background open (the file watcher, the task
   * provider) would take it straight back.
   */
  async openIfDatabaseExists(): Promise<Orchestrator | undefined> {
    if (this.current) return this.current;
    if (this.released || !this.databaseExists()) return undefined;
    return this.open();
  }

  /** The orchestrator, opening (creating) the database if needed; a command keeps the one it got (commandLeases.ts). */
  async open(): Promise<Orchestrator> {
    this.released = false;
    const held = this.leases.held();
    if (held) return held;
    for (;;) {
      if (this.switching) await this.switching;
      // Lent in the same synchronous step as this check, so a reopen never misses the lease.
      else if (this.current) return this.leases.lend(this.current);
      else await (this.opening ??= this.openNow().finally(() => (this.opening = undefined)));
    }
  }

  /**
   * The user chose to start fresh from a damaged database: the store keeps the file aside and
   * creates an empty one (StoreOptions.recover). Never done without being asked.
   */
  async startFresh(): Promise<Orchestrator> {
    if (this.run) throw new Error('A run is in progress in this window; cancel it or wait for it first.');
    await this.opening?.catch(() => undefined);
    await this.closeCurrent();
    this.opening = this.openNow({ recover: true }).finally(() => (this.opening = undefined));
    return this.opening;
  }

  /**
   * Starts a run and resolves when it ends. Rejects at once if it cannot start (read-only,
   * a run already going on, no plan, not a git repository).
   */
  async startRun(only?: readonly string[]): Promise<RunResult> {
    const orchestrator = await this.open();
    if (this.run) throw new Error('A run is already in progress in this window.');
    let started!: () => void;
    const hasStarted = new Promise<void>((resolve) => (started = resolve));
    const stopListening = orchestrator.onEvent((event) => {
      if (event.type === 'runStarted') started();
    });
    const done = orchestrator.run({ only });
    this.run = done;
    this.paused = false;
    this.stateChanged.fire();
    const finished = done.finally(() => {
      stopListening();
      this.run = undefined;
      this.paused = false;
      this.stateChanged.fire();
      if (this.reopenWhenIdle) this.reopen().catch((error: unknown) => this.backgroundError(error instanceof Error ? error : new Error(String(error))));
    });
    // Errors before the run started (no plan, not a repository…) reject the caller at once.
    await Promise.race([hasStarted, finished]);
    return finished;
  }

  async control(request: ControlRequest): Promise<'applied' | 'sent'> {
    const orchestrator = await this.open();
    const how = await orchestrator.control(request);
    if (how === 'applied' && (request.command === 'pause' || request.command === 'resume')) {
      this.paused = request.command === 'pause';
      this.stateChanged.fire();
    }
    return how;
  }

  /** Settings changed: reopen now, or after the run (the scheduler keeps the settings it started with). */
  async settingsChanged(): Promise<void> {
    if (!this.current && !this.opening) return;
    if (this.run) {
      this.reopenWhenIdle = true;
      void vscode.window.showInformationMessage('Agent Orchestrator: the changed settings apply from the next run.');
      return;
    }
    await this.reopen();
  }

  /** Closes and opens again with the settings as they are now; reopens run one after another. */
  async reopen(): Promise<void> {
    this.reopenWhenIdle = false;
    const next = (this.reopening ?? Promise.resolve()).catch(() => undefined).then(() => this.reopenNow());
    this.reopening = next;
    await next.finally(() => this.reopening === next && (this.reopening = undefined));
  }

  private async reopenNow(): Promise<void> {
    await this.opening?.catch(() => undefined);
    const old = this.current;
    if (!old) return;
    // The commands using it finish on it (new ones still get it meanwhile, rather than wait).
    while (this.leases.count(old) > 0) await this.leases.drained(old);
    if (this.current !== old) return; // released or started fresh meanwhile
    const switching = (async () => {
      await this.closeCurrent();
      await (this.opening ??= this.openNow().finally(() => (this.opening = undefined)));
    })();
    this.switching = switching.then(undefined, () => undefined).finally(() => (this.switching = undefined));
    await switching;
  }

  private async openNow(extraStoreOptions: Partial<StoreOptions> = {}): Promise<Orchestrator> {
    const { options } = this;
    const orchestrator = await Orchestrator.open({
      workspaceRoot: this.workspaceRoot,
      settings: options.readSettings(),
      scriptedAgentPath: options.scriptedAgentPath,
      nodeCommand: options.nodeCommand,
      scriptedEnv: options.scriptedEnv,
      launcher: options.launcher,
      storeOptions: { ...extraStoreOptions, onError: (error) => this.backgroundError(error) },
    });
    if (this.disposed) {
      await orchestrator.close();
      throw new Error('Agent Orchestrator is shutting down');
    }
    this.current = orchestrator;
    const notice = orchestrator.storeNotice;
    if (notice) {
      options.log.warn(notice.message);
      void vscode.window.showWarningMessage(`Agent Orchestrator: ${notice.message}`);
    }
    this.unsubscribe = [
      orchestrator.onDataChange(() => this.dataChanged.fire()),
      orchestrator.onEvent((event) => this.onEngineEvent(event)),
    ];
    options.log.info(`opened ${orchestrator.databasePath} ${orchestrator.readOnly ? 'read-only' : 'as the writer'}`);
    if (orchestrator.readOnly) this.watchWriter(orchestrator);
    else await this.recoverAbandoned(orchestrator, 'opened');
    this.stateChanged.fire();
    this.dataChanged.fire();
    return orchestrator;
  }

  private onEngineEvent(event: OrchestratorEvent): void {
    if (event.type === 'decision' && (event.decision.kind === 'paused' || event.decision.kind === 'resumed')) {
      const paused = event.decision.kind === 'paused';
      if (paused !== this.paused) {
        this.paused = paused;
        this.stateChanged.fire();
      }
    }
    this.emitted.fire(event);
  }

  /** As the writer: end a run whose owner died, and say so (a failure is logged, never fatal to opening). */
  private async recoverAbandoned(orchestrator: Orchestrator, how: 'opened' | 'tookOver'): Promise<void> {
    let report: RecoveryReport | undefined;
    try {
      report = await recoverAbandonedRun(orchestrator, how);
    } catch (error) {
      this.options.log.error(`could not recover the previous run: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!report) return;
    this.options.log.warn(describeRecoveredRun(report));
    this.lastRecovery = report;
    this.recovered.fire(report);
    this.dataChanged.fire();
  }

  /** Read-only: follow the writer's flushes, and take over when it lets go. */
  private watchWriter(orchestrator: Orchestrator): void {
    const owner = orchestrator.lockOwner();
    this.options.log.info(`read-only: the database is held by pid ${owner?.pid ?? '?'} on ${owner?.hostname ?? '?'}`);
    // Only a live process with a run in progress is "running the plan"; a window that merely has
    // the database open is no reason to tell the user anything.
    if (!this.toldReadOnly && this.activeRun()) {
      this.toldReadOnly = true;
      void vscode.window.showInformationMessage(
        `Agent Orchestrator: another ${owner ? `process (pid ${owner.pid} on ${owner.hostname})` : 'window or process'} is running this workspace's plan. This window shows its progress read-only and takes over when it stops.`,
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const check = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void this.followWriter(orchestrator), RELOAD_DEBOUNCE_MS);
    };
    const dir = path.dirname(orchestrator.databasePath);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '**'));
    const interval = setInterval(check, STALE_LOCK_CHECK_MS);
    this.readonlyWatch = [
      watcher,
      watcher.onDidChange(check),
      watcher.onDidCreate(check),
      watcher.onDidDelete(check),
      new vscode.Disposable(() => {
        clearTimeout(timer);
        clearInterval(interval);
      }),
    ];
  }

  private async followWriter(orchestrator: Orchestrator): Promise<void> {
    if (this.current !== orchestrator || !orchestrator.readOnly) return;
    try {
      if (await orchestrator.tryBecomeWriter()) {
        this.options.log.info('the other process released the database: this window is its writer now');
        for (const d of this.readonlyWatch.splice(0)) d.dispose();
        this.toldReadOnly = false;
        await this.recoverAbandoned(orchestrator, 'tookOver');
        this.stateChanged.fire();
        return;
      }
      await orchestrator.refresh();
    } catch (error) {
      this.options.log.warn(`could not reload the database: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private backgroundError(error: Error): void {
    this.options.log.error(error.message);
    void vscode.window.showErrorMessage(`Agent Orchestrator: ${error.message}`);
  }

  private async closeCurrent(): Promise<void> {
    const orchestrator = this.current;
    if (!orchestrator) return;
    this.current = undefined;
    this.leases.retire(orchestrator);
    for (const stop of this.unsubscribe.splice(0)) stop();
    for (const d of this.readonlyWatch.splice(0)) d.dispose();
    try {
      await orchestrator.close();
    } catch (error) {
      this.options.log.error(`closing the database failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.stateChanged.fire();
    this.dataChanged.fire();
  }

  /** Flushes and closes the database, freeing the writer lock (e.g. for a CLI); the next command opens it again. */
  async release(): Promise<void> {
    if (this.run) throw new Error('A run is in progress in this window; cancel it or wait for it first.');
    await this.opening?.catch(() => undefined);
    await this.closeCurrent();
    this.released = true;
  }

  /** Cancels a run of this window, flushes and frees the lock (deactivate awaits this). */
  async close(): Promise<void> {
    this.disposed = true;
    await this.opening?.catch(() => undefined);
    const running = this.run;
    if (running && this.current) {
      await this.current.control({ command: 'cancelAll' }).catch(() => undefined);
      await Promise.race([running.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 8_000))]);
    }
    await this.closeCurrent();
  }

  dispose(): void {
    void this.close();
    this.stateChanged.dispose();
    this.dataChanged.dispose();
    this.emitted.dispose();
    this.recovered.dispose();
  }
}
