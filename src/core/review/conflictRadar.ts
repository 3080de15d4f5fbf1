// The conflict radar: while a run goes on, which of its tasks touch the same files, and for pairs
// whose work is final, whether their branches would conflict (docs/review.md, "Conflict radar").
// It polls, every `intervalMs`, what each task has touched: a running task's commits since its
// start commit and its uncommitted changes, a completed task's branch. The scheduler keeps tasks
// with declared overlapping `files:` apart; this catches what the plan did not declare.
//
// Cost, because it must not slow a run (bench/: review.radar_overhead_ratio): per tick one
// `git status` per running task, one `diff-tree --stdin` for every commit range not seen before,
// one `merge-tree --stdin` for every finished pair not judged before; HEADs are read from files,
// a finished task's only once (its attempt's branch is final: a follow-up or a retry is another
// attempt on another branch), so a tick does not read every completed task's ref again, which in
// a 500-task run was most of the run's file reads.
// Ticks never overlap (the next is scheduled when one ends), timers are unref'd, and what did not
// change is neither written nor announced. In review/ because it reads git and the store's pairs
// and serves the review's views; the run wires it (src/core/run/runRadar.ts).
import { committedPaths, pairConflicts, readBranchCommit, readHeadCommit, uncommittedPaths, WorktreeMissingError, type CommitRange, type PairVerdict } from '../git';
import type { OverlapRecord, OverlapSighting, OverlapUpdate } from '../store';
import { overlappingPairs, type TouchedFiles } from './overlapPairs';

/** One task of the run as the radar sees it: its latest attempt's worktree and branch. */
export interface RadarTask {
  readonly taskId: string;
  /** true while its attempt runs; false once it completed (only completed work has a final branch). */
  readonly running: boolean;
  readonly worktree: string | null;
  readonly branch: string | null;
  /** Where the attempt's own work begins (its base with the dependencies merged in). */
  readonly startCommit: string | null;
}

export interface ConflictRadarOptions {
  readonly runId: string;
  /** The repository: branches and commits are looked up here. */
  readonly repoDir: string;
  readonly intervalMs: number;
  /** The run's tasks that are running or completed, asked at each tick. */
  readonly tasks: () => readonly RadarTask[];
  /** What a task waits for (src/core/graph.ts prerequisitesOf): pairs along these edges are not flagged. */
  readonly prerequisites: (taskId: string) => readonly string[];
  /** Stores a sighting (OrchestratorStore.recordOverlap). */
  readonly record: (sighting: OverlapSighting) => OverlapUpdate;
  /** A pair appeared (`first`) or its files or verdict changed. */
  readonly onPair?: (pair: OverlapRecord, first: boolean) => void;
  readonly onError?: (error: unknown) => void;
}

export interface RadarStats {
  readonly ticks: number;
  readonly gitProcesses: number;
  /** HEADs read from git's files. */
  readonly headReads: number;
  readonly busyMs: number;
}

export class ConflictRadar {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private stopped = false;
  /** Files a commit range changed, by `from to`: a range never changes. */
  private readonly ranges = new Map<string, readonly string[]>();
  /** Verdicts by `tipA tipB`: two commits merge the same way every time. */
  private readonly verdicts = new Map<string, PairVerdict>();
  /** What was last recorded per pair, so an unchanged pair costs no write. */
  private readonly recorded = new Map<string, string>();
  /** A finished task's HEAD, by task id, with the attempt it belongs to: its work is final. */
  private readonly finalHeads = new Map<string, { readonly attempt: string; readonly head: string }>();
  private stats = { ticks: 0, gitProcesses: 0, headReads: 0, busyMs: 0 };

  constructor(private readonly options: ConflictRadarOptions) {}

  start(): void {
    if (this.stopped || this.timer) return;
    this.schedule();
  }

  /** Stops polling; with `finalTick`, looks once more (the run's last tasks may have just completed). */
  async stop(options: { readonly finalTick?: boolean } = {}): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
    if (options.finalTick) await this.guardedTick();
  }

  get statistics(): RadarStats {
    return { ...this.stats };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.current = this.guardedTick().finally(() => {
        this.current = undefined;
        this.schedule();
      });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private async guardedTick(): Promise<void> {
    try {
      await this.tick();
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /** One look at every task; resolves when what changed is recorded. */
  async tick(): Promise<void> {
    const started = performance.now();
    this.stats.ticks++;
    try {
      await this.look();
    } finally {
      this.stats.busyMs += performance.now() - started;
    }
  }

  /**
   * A task's HEAD: a running one's from its worktree's files each time, a finished one's once per
   * attempt (a follow-up that works on the same branch runs first, which forgets it, and starts
   * from another commit).
   */
  private async head(task: RadarTask): Promise<string | undefined> {
    const attempt = `${task.branch}\0${task.startCommit}`;
    if (task.running) this.finalHeads.delete(task.taskId);
    else {
      const known = this.finalHeads.get(task.taskId);
      if (known?.attempt === attempt) return known.head;
    }
    this.stats.headReads++;
    const head = (task.worktree ? await readHeadCommit(task.worktree) : undefined) ?? (!task.running && task.branch ? await readBranchCommit(this.options.repoDir, task.branch) : undefined);
    if (!task.running && task.branch && head) this.finalHeads.set(task.taskId, { attempt, head });
    return head;
  }

  private async look(): Promise<void> {
    const { repoDir } = this.options;
    const tasks = this.options.tasks().filter((task) => task.worktree !== null || task.branch !== null);
    // HEADs from files; a worktree whose files do not say is asked no further this tick.
    // A finished task's worktree may be gone (setting keepWorktrees): its branch holds the same commit.
    const heads = await Promise.all(tasks.map((task) => this.head(task)));
    const uncommitted = await Promise.all(
      tasks.map(async (task) => {
        if (!task.running || !task.worktree) return [];
        this.stats.gitProcesses++;
        return uncommittedPaths(task.worktree).catch((error: unknown) => {
          if (error instanceof WorktreeMissingError) return []; // removed while we looked
          throw error;
        });
      }),
    );

    const wanted: CommitRange[] = [];
    tasks.forEach((task, i) => {
      const head = heads[i];
      if (!task.startCommit || !head || head === task.startCommit) return;
      const key = `${task.startCommit} ${head}`;
      if (!this.ranges.has(key) && !wanted.some((range) => `${range.from} ${range.to}` === key)) wanted.push({ from: task.startCommit, to: head });
    });
    if (wanted.length > 0) {
      this.stats.gitProcesses++;
      const found = await committedPaths(repoDir, wanted);
      wanted.forEach((range, i) => this.ranges.set(`${range.from} ${range.to}`, found[i]));
    }

    const touched: TouchedFiles[] = tasks.map((task, i) => {
      const head = heads[i];
      const committed = task.startCommit && head && head !== task.startCommit ? (this.ranges.get(`${task.startCommit} ${head}`) ?? []) : [];
      return { taskId: task.taskId, files: new Set([...committed, ...uncommitted[i]]) };
    });
    const pairs = overlappingPairs(touched, this.options.prerequisites);
    if (pairs.length === 0) return;

    const byId = new Map(tasks.map((task, i) => [task.taskId, { task, head: heads[i] }]));
    const finalTips = (pair: { taskA: string; taskB: string }) => {
      const a = byId.get(pair.taskA)!;
      const b = byId.get(pair.taskB)!;
      return !a.task.running && !b.task.running && a.head && b.head ? `${a.head} ${b.head}` : undefined;
    };
    const unjudged = [...new Set(pairs.map(finalTips).filter((tips): tips is string => tips !== undefined && !this.verdicts.has(tips)))];
    if (unjudged.length > 0) {
      this.stats.gitProcesses++;
      const verdicts = await pairConflicts(
        repoDir,
        unjudged.map((tips) => ({ a: tips.split(' ')[0], b: tips.split(' ')[1] })),
      );
      unjudged.forEach((tips, i) => this.verdicts.set(tips, verdicts[i]));
    }

    for (const pair of pairs) {
      const tips = finalTips(pair);
      const conflict = tips ? (this.verdicts.get(tips)?.conflict ?? null) : null;
      const key = `${pair.taskA}\0${pair.taskB}`;
      const state = JSON.stringify([pair.files, conflict]);
      if (this.recorded.get(key) === state) continue;
      this.recorded.set(key, state);
      const update = this.options.record({ runId: this.options.runId, taskA: pair.taskA, taskB: pair.taskB, files: pair.files, conflict });
      if (update.changed) this.options.onPair?.(update.pair, update.first);
    }
  }
}
