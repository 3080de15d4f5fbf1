// The façade the extension and the CLI both drive: open a workspace, import a plan, run it, steer
// the run, review and merge its work back. What the views read is in orchestratorReads.ts, which
// this class extends. It only composes: the plan loader (plan/), the store, a run's parts (run/:
// preparation, executor and scheduler, recording, control, recovery, follow-ups), its report
// (report/) and review (review/). Each rule lives in the room that owns it; this file calls them.
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { NodeProcessLauncher, type ProcessLauncher } from './process';
import { cleanWorktrees, type CleanResult } from './git';
import { type Plan, type PlanTask, type TaskStatus } from './model';
import { loadPlan } from './plan/loadPlan';
import { throwIfIssues } from './plan/planErrors';
import { validateTasks } from './plan/validateTasks';
import { routeTask, type RouteDecision } from './plan/routing';
import type { OrchestratorEvent, RunResult } from './report/runEvents';
import { refreshRunSummaries } from './report/refreshSummaries';
import { runFacts } from './report/runFacts';
import { writeRunReport } from './report/writeRunReport';
import { assembleRun } from './run/assembleRun';
import { startRunRadar } from './run/runRadar';
import { prepareRun, type PreparedRun } from './run/prepareRun';
import { pruneOldRuns } from './run/pruneOldRuns';
import type { PruneReport } from './report/pruneReport';
import { assertProfilesFor, runProfiles } from './run/runProfiles';
import { newRunId } from './run/runId';
import { retryTasks } from './run/retryTasks';
import { recoverAbandoned, recoveredAnything, type RecoveryReport } from './run/recovery';
import { applyControlRequest, ControlChannelReader, sendControlRequest, type ControlRequest } from './run/controlChannel';
import type { Clock } from './scheduler/clock';
import type { Scheduler } from './scheduler/Scheduler';
import { resolveSettings, type OrchestratorSettings } from './settings';
import { OrchestratorStore, WorkspaceBusyError, type SavePlanResult, type StoreOptions } from './store';
import { isOwnerAlive } from './store/writerLock';
import { OrchestratorReads } from './orchestratorReads';
import { ReviewDesk } from './review/reviewDesk';
import type { FileAtCommit, FollowUpKind, MergeOutcome, MergePlan, MergeRequest, PullRequestResult, ReviewRecord, TaskChanges } from './review/types';
import { pullRequestFor } from './review/pullRequest';
import { requestFollowUp } from './run/followUpRequest';
import { WorktreeSweeper } from './run/worktreeSweeper';
import { taskWorktree, type TaskWorktree } from './run/taskWorktree';
import { measureWorktrees } from './report/worktreeUsage';

export interface OrchestratorOptions {
  readonly workspaceRoot: string;
  readonly settings?: Partial<OrchestratorSettings>;
  /** dist/scripted-agent.js: the built-in `scripted` profile runs it. */
  readonly scriptedAgentPath: string;
  readonly nodeCommand?: string;
  readonly scriptedEnv?: Readonly<Record<string, string>>;
  /** How agents are started: child processes by default; VS Code tasks in the extension. */
  readonly launcher?: ProcessLauncher;
  readonly storeOptions?: StoreOptions;
  readonly clock?: Clock;
  /**
   * Start the repository checks of a run while the database opens, for a run() that follows at
   * once (the CLI's `run`): its base commit is HEAD as of opening.
   */
  readonly prepareRun?: boolean;
}

export type { OrchestratorEvent, RunResult } from './report/runEvents';
export type { RecoveryReport } from './run/recovery';

export type { CleanResult } from './git';

export interface ImportResult {
  readonly plan: Plan;
  readonly saved: SavePlanResult;
}

export class Orchestrator extends OrchestratorReads {
  private readonly listeners = new Set<(event: OrchestratorEvent) => void>();
  private active: { readonly runId: string; readonly scheduler: Scheduler } | undefined;
  /** Started by open() with `prepareRun`; taken by the next run(). */
  private prepared: Promise<PreparedRun> | undefined;
  /**
   * What open() recovered from a run whose process died (undefined: nothing to recover, or not
   * the writer). The CLI prints it; the extension offers to resume the interrupted tasks.
   */
  lastRecovery: RecoveryReport | undefined;
  /** Tasks open() requeued that no run has reported yet (the next run's `recovered`). */
  private recoveredUnreported: string[] = [];
  private readonly review: ReviewDesk;

  private constructor(
    private readonly options: OrchestratorOptions,
    readonly settings: OrchestratorSettings,
    store: OrchestratorStore,
    readonly databasePath: string,
  ) {
    super(store);
    const afterChange = (taskIds: readonly string[]) => refreshRunSummaries(store, dirname(databasePath), taskIds);
    this.review = new ReviewDesk({ store, repoDir: options.workspaceRoot, settings, afterChange });
  }

  /** Opens the workspace's database (as its writer, or read-only when another process runs the plan). */
  static async open(options: OrchestratorOptions): Promise<Orchestrator> {
    const settings = resolveSettings(options.settings);
    const databasePath = isAbsolute(settings.databasePath) ? settings.databasePath : join(options.workspaceRoot, settings.databasePath);
    // sql.js compiles its WebAssembly on V8's background threads, and git works in processes of
    // its own: started together, the repository checks overlap the database's opening.
    const opening = OrchestratorStore.open(databasePath, options.storeOptions);
    const prepared = options.prepareRun ? prepareRun(options.workspaceRoot, settings) : undefined;
    prepared?.catch(() => undefined); // run() reports it
    const store = await opening;
    const orchestrator = new Orchestrator(options, settings, store, databasePath);
    orchestrator.prepared = prepared;
    if (!store.readOnly) {
      try {
        const report = await orchestrator.recoverAbandoned();
        if (recoveredAnything(report)) {
          orchestrator.lastRecovery = report;
          orchestrator.recoveredUnreported = [...report.interrupted];
        }
      } catch (error) {
        await store.close().catch(() => undefined);
        throw error;
      }
    }
    return orchestrator;
  }

  get workspaceRoot(): string {
    return this.options.workspaceRoot;
  }

  /** The folder with the database, run reports, logs and control requests. */
  get orchestratorDir(): string {
    return dirname(this.databasePath);
  }

  get controlDir(): string {
    return join(this.orchestratorDir, 'control');
  }

  get activeRunId(): string | undefined {
    return this.active?.runId;
  }

  onEvent(listener: (event: OrchestratorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Parses, checks and stores a plan; nothing is written when the plan has any error. It is on
   * disk when this resolves, unless `waitForDisk` is false (a run follows at once and keeps
   * writing; an import lost to a crash is simply imported again).
   */
  async importPlan(file: string, options: { readonly waitForDisk?: boolean } = {}): Promise<ImportResult> {
    this.assertWriter('import a plan');
    const plan = await loadPlan(file, { baseDir: this.workspaceRoot });
    const waitForDisk = options.waitForDisk !== false;
    const saved = this.store.savePlan(plan, { flushNow: waitForDisk });
    if (waitForDisk) await this.store.flush();
    return { plan, saved };
  }

  /** The agent each task would run with, and which routing rule chose it. */
  routes(tasks: readonly PlanTask[] = this.store.listPlanTasks()): Map<string, RouteDecision> {
    return new Map(tasks.map((task) => [task.id, routeTask(task, this.settings.routingRules, this.settings.defaultAgent)]));
  }

  /** Runs every unfinished task (or `only` these and what they need) until each is final. */
  async run(options: { readonly only?: readonly string[] } = {}): Promise<RunResult> {
    this.assertWriter('run the plan');
    if (this.active) throw new Error(`Run ${this.active.runId} is already in progress`);
    const tasks = this.store.listPlanTasks();
    if (tasks.length === 0) throw new Error('There is no plan to run: import a plan first.');
    // Checked on import; checked again because the rows may have been edited since, and the
    // graph the scheduler builds trusts its input (src/core/graph.ts).
    throwIfIssues(validateTasks(tasks));
    const { settings, store } = this;
    const preparing = this.prepared ?? prepareRun(this.workspaceRoot, settings);
    this.prepared = undefined;
    preparing.catch(() => undefined); // awaited below, after the checks that need no git

    const { scriptedAgentPath, nodeCommand, scriptedEnv } = this.options;
    const profiles = runProfiles(settings.agentProfiles, { scriptedAgentPath, nodeCommand, scriptedEnv });
    const routes = this.routes(tasks);
    assertProfilesFor(tasks, routes, profiles);
    // Nothing is written before git has accepted the repository.
    const { worktrees, baseCommit } = await preparing;

    // open() recovered what it found; a database opened earlier (the extension) may have more now.
    const recovered = [...new Set([...this.recoveredUnreported, ...(await this.recoverAbandoned()).interrupted])];
    this.recoveredUnreported = [];
    const runId = newRunId();
    const runDir = join(this.orchestratorDir, 'runs', runId);
    await mkdir(runDir, { recursive: true });
    const run = store.beginRun({ runId, strategy: settings.strategy, maxParallel: settings.maxParallel, planSource: tasks[0].location.file, baseCommit });
    const pruned = await this.pruneAtStart(runId);
    const launcher = this.options.launcher ?? new NodeProcessLauncher();
    const { only } = options;
    const sweeper = new WorktreeSweeper({
      worktrees,
      keep: settings.keepWorktrees,
      onFailure: (taskId, worktree, error) => store.recordEvent({ kind: 'worktree_remove_failed', runId, taskId, detail: { worktree, message: error instanceof Error ? error.message : String(error) } }),
    });
    const scheduler = assembleRun({ runId, repoDir: this.workspaceRoot, baseCommit, runDir, tasks, routes, profiles, settings, store, worktrees, launcher, only, sweeper, clock: this.options.clock, emit: (event) => this.emit(event) });

    const control = new ControlChannelReader(
      this.controlDir,
      (request) => applyControlRequest(this.active?.scheduler, request),
      (file, problem) => store.recordEvent({ kind: 'control_request_ignored', runId, detail: { file, problem } }),
    );
    await control.start();
    this.active = { runId, scheduler };
    this.emit({ type: 'runStarted', runId, taskCount: tasks.length });
    if (pruned) this.emit({ type: 'runsPruned', runId, report: pruned });
    const radar = startRunRadar({ runId, repoDir: this.workspaceRoot, tasks, settings, store, emit: (event) => this.emit(event) });
    let outcomeStatus: TaskStatus;
    try {
      outcomeStatus = (await scheduler.run()).status;
      await radar?.stop({ finalTick: true }); // the last tasks may have completed since its last look
    } catch (error) {
      store.endRun(runId, { status: 'failed', metrics: { error: error instanceof Error ? error.message : String(error) } });
      await store.flush();
      throw error;
    } finally {
      void radar?.stop();
      control.stop();
      this.active = undefined;
      await sweeper.settled(); // no git of this run outlives it
    }

    const facts = {
      ...runFacts(store, { runId, status: outcomeStatus, strategy: settings.strategy, maxParallel: settings.maxParallel, startedAt: run.startedAt }),
      worktrees: await measureWorktrees(worktrees, settings.keepWorktrees),
    };
    const { summaryMd, metrics, summaryPath, metricsPath } = await writeRunReport(store, facts, runDir);
    const result: RunResult = { runId, status: outcomeStatus, summaryMd, metrics, summaryPath, metricsPath, recovered };
    this.emit({ type: 'runFinished', runId, result });
    return result;
  }

  /** Pause, resume or cancel: applied here when this process runs the plan, else sent to the process that does. */
  async control(request: ControlRequest): Promise<'applied' | 'sent'> {
    if (this.active) {
      applyControlRequest(this.active.scheduler, request);
      return 'applied';
    }
    // Only a live writer reads control requests; without one, a request would wait for a run
    // nobody started.
    if (!this.store.readOnly || !isOwnerAlive(this.store.lockOwner())) throw new Error('No run is in progress.');
    await sendControlRequest(this.controlDir, request);
    return 'sent';
  }

  /** Puts failed, timed-out, cancelled, blocked or interrupted tasks back in the queue for the next run. */
  async retry(taskIds?: readonly string[]): Promise<string[]> {
    this.assertWriter('retry tasks');
    if (this.active) throw new Error('Wait for the current run to finish before retrying tasks.');
    return retryTasks(this.store, taskIds);
  }

  /**
   * Removes the worktrees the orchestrator made, and the branches this database records as ours
   * to delete (src/core/git/cleanWorktrees.ts says which); unknown branches are kept and reported.
   */
  async clean(options: { readonly deleteBranches?: boolean } = {}): Promise<CleanResult> {
    this.assertWriter('clean up worktrees');
    if (this.active) throw new Error('Wait for the current run to finish before cleaning up worktrees.');
    const { branchPrefix, worktreeRoot } = this.settings;
    return cleanWorktrees({ repoDir: this.workspaceRoot, branchPrefix, worktreeRoot, deleteBranches: options.deleteBranches }, this.store.attemptBranchOutcomes());
  }

  /**
   * Prunes the event trace, logs and reports of runs older than the newest `keepRuns` (default:
   * the setting); their rows, tasks, attempts and totals stay (src/core/run/pruneOldRuns.ts).
   */
  async pruneRuns(options: { readonly keepRuns?: number } = {}): Promise<PruneReport> {
    this.assertWriter('prune old runs');
    if (this.active) throw new Error('Wait for the current run to finish before pruning old runs.');
    return pruneOldRuns({ store: this.store, orchestratorDir: this.orchestratorDir, keepRuns: options.keepRuns ?? this.settings.keepRuns });
  }

  /** A run's start prunes old runs; a failure is traced and the run goes on (retention is housekeeping). */
  private async pruneAtStart(runId: string): Promise<PruneReport | undefined> {
    try {
      const report = await pruneOldRuns({ store: this.store, orchestratorDir: this.orchestratorDir, keepRuns: this.settings.keepRuns, runId });
      return report.runIds.length > 0 || report.folders > 0 || report.vacuum ? report : undefined;
    } catch (error) {
      this.store.recordEvent({ kind: 'runs_prune_failed', runId, detail: { message: error instanceof Error ? error.message : String(error) } });
      return undefined;
    }
  }

  /**
   * The folder of a task's latest worktree, for an action that needs its files on disk: checked
   * out again from its branch when it was removed (setting keepWorktrees).
   */
  taskWorktree(taskId: string): Promise<TaskWorktree> {
    return taskWorktree({ store: this.store, workspaceRoot: this.workspaceRoot, settings: this.settings }, taskId);
  }

  // ---- Review and integrate (docs/review.md): src/core/review/ holds the logic. ----

  /** Each task's recorded review state, from the store (cheap: the tree calls it on every refresh). */
  reviewStates(): Map<string, ReviewRecord> {
    return this.review.reviewStates();
  }

  /** What a task's latest attempt with a branch changed; undefined when it has none. */
  taskChanges(taskId: string): Promise<TaskChanges | undefined> {
    return this.review.taskChanges(taskId);
  }

  /** Every task whose latest attempt has a branch and whose status is final. */
  reviewableTasks(): Promise<TaskChanges[]> {
    return this.review.reviewableTasks();
  }

  /** One side of a review diff, from git objects (text, binary, too large or absent; 5 MiB limit). */
  readFileAt(commit: string, path: string): Promise<FileAtCommit> {
    return this.review.readFileAt(commit, path);
  }

  /** Simulates merging the request's tasks into its target, in dependency order; moves nothing. */
  planMerge(request: MergeRequest): Promise<MergePlan> {
    return this.review.planMerge(request);
  }

  /** Merges the request's tasks into its target (MergeConflictsError / MergeBlockedError: nothing moved). */
  async merge(request: MergeRequest): Promise<MergeOutcome> {
    if (!request.dryRun) this.assertWriter('merge tasks');
    return this.review.merge(request);
  }

  /** Starts the real merge of a task into the target and leaves it in git's merge state for the user. */
  async resolveConflicts(taskId: string, into?: string): Promise<{ worktree: string; files: string[] }> {
    this.assertWriter('merge a task');
    return this.review.resolveConflicts(taskId, into);
  }

  /** Deletes the task's attempt branches and worktrees and records it as discarded. */
  async discard(taskId: string): Promise<void> {
    this.assertWriter('discard a task');
    return this.review.discard(taskId);
  }

  /** Records a follow-up for a finished task and requeues it; the next run() carries it out (src/core/run/followUpAttempt.ts). */
  async followUp(taskId: string, prompt: string, options: { readonly kind?: FollowUpKind; readonly into?: string } = {}): Promise<void> {
    this.assertWriter('send a follow-up');
    if (this.active) throw new Error('Wait for the current run to finish before sending a follow-up.');
    await requestFollowUp({ store: this.store, repoDir: this.workspaceRoot, branchPrefix: this.settings.branchPrefix }, taskId, prompt, options);
  }

  /** Pushes a task's branch or an integration branch and opens its pull request (gh), or says where to. */
  createPullRequest(what: { readonly taskId: string } | { readonly integration: string }): Promise<PullRequestResult> {
    return pullRequestFor(this.store, what, { repoDir: this.workspaceRoot, branchPrefix: this.settings.branchPrefix });
  }

  async close(): Promise<void> {
    if (this.active) this.active.scheduler.cancelAll();
    await this.store.close();
  }

  /**
   * Recovers runs whose process died (src/core/run/recovery.ts): their orphaned agents stopped,
   * tasks whose work was committed completed from their branch, the rest interrupted (the next
   * run requeues them), the runs ended as interrupted, all flushed. open() does this as soon as it
   * is the writer; call it again after `tryBecomeWriter()` succeeds.
   */
  async recoverAbandoned(): Promise<RecoveryReport> {
    this.assertWriter('recover an interrupted run');
    return recoverAbandoned({
      store: this.store,
      workspaceRoot: this.workspaceRoot,
      orchestratorDir: this.orchestratorDir,
      branchPrefix: this.settings.branchPrefix,
      worktreeRoot: this.settings.worktreeRoot,
      keepWorktrees: this.settings.keepWorktrees,
      activeRunId: this.active?.runId,
    });
  }

  private emit(event: OrchestratorEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Throws WorkspaceBusyError (naming the lock's holder) unless this process is the writer. */
  private assertWriter(action: string): void {
    if (this.store.readOnly) throw new WorkspaceBusyError(action, this.store.lockOwner());
  }
}
