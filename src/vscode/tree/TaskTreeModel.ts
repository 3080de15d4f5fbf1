// The task tree's data: rows from the database grouped by spec or by status, with stable node
// objects (VS Code matches a changed element by identity and keeps expansion and selection by
// TreeItem.id). It reloads on the store's change events, debounced, and tells the view either
// which nodes changed or, when rows moved between groups, that the whole tree did. Where each row
// goes is decided in taskTreeGroups.ts. Beside the rows it keeps each task's review record and the
// conflict radar's pairs (docs/review.md): a change to either re-renders just that task.
import * as vscode from 'vscode';
import type { OverlapPair, PlanSpec, ReviewRecord, TaskView } from '../../core';
import type { TaskProgress } from '../session/RunActivity';
import { countTasks, EMPTY_COUNTS, type StatusCounts } from '../../shared/taskCounts';
import { treeLinks, treeShapeKey, type TreeGrouping, type TreePlace } from './taskTreeGroups';

export type { StatusGroup, TreeGrouping } from './taskTreeGroups';

export interface GroupNode {
  readonly kind: 'group';
  readonly id: string;
  /** A spec id, or a status group. */
  readonly key: string;
}

export interface TaskNode {
  readonly kind: 'task';
  readonly id: string;
  readonly taskId: string;
}

export type TaskTreeNode = GroupNode | TaskNode;

/** Where the rows come from: undefined while the workspace has no database. */
export interface TreeDataSource {
  read():
    | {
        readonly tasks: readonly TaskView[];
        readonly specs: readonly PlanSpec[];
        /** Recorded review states (merged, discarded); a task without one is unreviewed. */
        readonly reviews?: ReadonlyMap<string, ReviewRecord>;
        /** The conflict radar's pairs of the latest run. */
        readonly overlaps?: readonly OverlapPair[];
      }
    | undefined;
  readonly onDidChange: vscode.Event<void>;
  /** Drop any snapshot read() keeps, so the next read() is fresh (refresh() calls it; its own reloads on onDidChange do not). */
  renew?(): void;
}

export interface ProgressSource {
  progress(taskId: string): TaskProgress | undefined;
  readonly onDidChangeProgress: vscode.Event<string>;
}

export type { StatusCounts } from '../../shared/taskCounts';

export class TaskTreeModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TaskTreeNode[] | undefined>();
  private readonly loaded = new vscode.EventEmitter<void>();
  /** Nodes to re-render, or undefined when the tree's shape changed. */
  readonly onDidChange = this.changed.event;
  /** After every reload, changed or not (the status bar reads the counts). */
  readonly onDidLoad = this.loaded.event;

  private rows = new Map<string, TaskView>();
  private reviews: ReadonlyMap<string, ReviewRecord> = new Map();
  private overlapsByTask = new Map<string, OverlapPair[]>();
  private signatures = new Map<string, string>();
  private specTitles = new Map<string, string>();
  private shape = '';
  private roots: TaskTreeNode[] = [];
  private children = new Map<string, TaskTreeNode[]>();
  private parents = new Map<string, TaskTreeNode>();
  private readonly nodes = new Map<string, TaskTreeNode>();
  private statusCounts: StatusCounts = EMPTY_COUNTS;
  private hasData = false;
  private mode: TreeGrouping;
  private reloadTimer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private readonly pendingProgress = new Set<string>();
  private progressTimer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly data: TreeDataSource,
    private readonly activity: ProgressSource | undefined,
    options: { readonly grouping?: TreeGrouping; readonly debounceMs?: number } = {},
  ) {
    this.mode = options.grouping ?? 'spec';
    const debounceMs = options.debounceMs ?? 100;
    this.subscriptions = [
      data.onDidChange(() => {
        if (this.reloadTimer) return;
        this.reloadTimer = setTimeout(() => {
          this.reloadTimer = undefined;
          this.reload();
        }, debounceMs);
      }),
    ];
    if (activity) this.subscriptions.push(activity.onDidChangeProgress((taskId) => this.progressChanged(taskId, debounceMs)));
  }

  get grouping(): TreeGrouping {
    return this.mode;
  }

  set grouping(mode: TreeGrouping) {
    if (mode === this.mode) return;
    this.mode = mode;
    this.shape = '';
    this.refresh();
  }

  /** True once a database with at least one task was read. */
  get hasTasks(): boolean {
    return this.hasData && this.rows.size > 0;
  }

  get counts(): StatusCounts {
    return this.statusCounts;
  }

  /** Every row, in plan order. */
  tasks(): TaskView[] {
    return [...this.rows.values()];
  }

  task(taskId: string): TaskView | undefined {
    return this.rows.get(taskId);
  }

  review(taskId: string): ReviewRecord | undefined {
    return this.reviews.get(taskId);
  }

  /** The radar's pairs that include this task (empty when it is not flagged). */
  overlaps(taskId: string): readonly OverlapPair[] {
    return this.overlapsByTask.get(taskId) ?? [];
  }

  specTitle(specId: string): string | undefined {
    return this.specTitles.get(specId);
  }

  progress(taskId: string): TaskProgress | undefined {
    return this.activity?.progress(taskId);
  }

  getRoots(): TaskTreeNode[] {
    return this.roots;
  }

  getChildren(node: TaskTreeNode): TaskTreeNode[] {
    return this.children.get(node.id) ?? [];
  }

  getParent(node: TaskTreeNode): TaskTreeNode | undefined {
    return this.parents.get(node.id);
  }

  nodeOf(taskId: string): TaskNode | undefined {
    const node = this.nodes.get(taskNodeId(taskId));
    return node?.kind === 'task' ? node : undefined;
  }

  /** Tasks under a node: the task itself, or every task in a group. */
  tasksUnder(node: TaskTreeNode): TaskView[] {
    if (node.kind === 'task') {
      const row = this.rows.get(node.taskId);
      return row ? [row] : [];
    }
    return this.getChildren(node).flatMap((child) => this.tasksUnder(child));
  }

  /** Reads the rows now, fresh from the store, and reports what changed. */
  refresh(): void {
    this.data.renew?.();
    this.reload();
  }

  private reload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    let read: ReturnType<TreeDataSource['read']>;
    try {
      read = this.data.read();
    } catch {
      // The database is being closed or reopened (a settings change); its change event follows.
      return;
    }
    this.hasData = read !== undefined;
    const tasks = read?.tasks ?? [];
    this.specTitles = new Map((read?.specs ?? []).map((spec) => [spec.id, spec.title]));

    this.reviews = read?.reviews ?? new Map();
    this.overlapsByTask = new Map();
    for (const pair of read?.overlaps ?? []) {
      for (const taskId of [pair.taskA, pair.taskB]) {
        let list = this.overlapsByTask.get(taskId);
        if (!list) this.overlapsByTask.set(taskId, (list = []));
        list.push(pair);
      }
    }

    const rows = new Map<string, TaskView>();
    const signatures = new Map<string, string>();
    const changedTasks: string[] = [];
    for (const row of tasks) {
      rows.set(row.taskId, row);
      const review = this.reviews.get(row.taskId);
      const overlaps = this.overlapsByTask.get(row.taskId);
      let signature = JSON.stringify(row);
      if (review || overlaps) signature += JSON.stringify([review?.state, review?.target, review?.commit, overlaps?.map((pair) => [pair.taskA, pair.taskB, pair.files, pair.conflict])]);
      signatures.set(row.taskId, signature);
      if (this.signatures.get(row.taskId) !== signature) changedTasks.push(row.taskId);
    }
    this.rows = rows;
    this.signatures = signatures;
    this.statusCounts = countTasks(tasks.map((row) => ({ taskId: row.taskId, status: row.displayStatus, parentId: row.parentTaskId })));

    const shape = treeShapeKey(tasks, this.mode, this.hasData);
    if (shape !== this.shape) {
      this.shape = shape;
      this.rebuild(tasks);
      this.changed.fire(undefined);
    } else if (changedTasks.length > 0) {
      const nodes = new Set<TaskTreeNode>();
      for (const taskId of changedTasks) {
        for (let node: TaskTreeNode | undefined = this.nodeOf(taskId); node; node = this.parents.get(node.id)) nodes.add(node);
      }
      this.changed.fire([...nodes]);
    }
    this.updateTicker();
    this.loaded.fire();
  }

  private rebuild(tasks: readonly TaskView[]): void {
    this.roots = [];
    this.children = new Map();
    this.parents = new Map();
    const add = (parent: TaskTreeNode | undefined, node: TaskTreeNode) => {
      if (!parent) this.roots.push(node);
      else {
        let list = this.children.get(parent.id);
        if (!list) this.children.set(parent.id, (list = []));
        list.push(node);
        this.parents.set(node.id, parent);
      }
    };
    for (const link of treeLinks(tasks, this.mode)) add(link.parent && this.nodeAt(link.parent), this.nodeAt(link.child));
  }

  /** The one node object for a place, made the first time it is needed. */
  private nodeAt(place: TreePlace): TaskTreeNode {
    return place.kind === 'group' ? this.group(place.id, place.key) : this.taskNode(place.taskId);
  }

  private group(id: string, key: string): GroupNode {
    const existing = this.nodes.get(id);
    if (existing?.kind === 'group') return existing;
    const node: GroupNode = { kind: 'group', id, key };
    this.nodes.set(id, node);
    return node;
  }

  private taskNode(taskId: string): TaskNode {
    const id = taskNodeId(taskId);
    const existing = this.nodes.get(id);
    if (existing?.kind === 'task') return existing;
    const node: TaskNode = { kind: 'task', id, taskId };
    this.nodes.set(id, node);
    return node;
  }

  private progressChanged(taskId: string, debounceMs: number): void {
    this.pendingProgress.add(taskId);
    this.progressTimer ??= setTimeout(() => {
      this.progressTimer = undefined;
      const nodes = [...this.pendingProgress].flatMap((id) => {
        const node = this.nodeOf(id);
        return node && this.rows.has(id) ? [node] : [];
      });
      this.pendingProgress.clear();
      if (nodes.length > 0) this.changed.fire(nodes);
    }, debounceMs);
  }

  /** Running tasks show their elapsed time: re-render just those once a second. */
  private updateTicker(): void {
    const running = this.statusCounts.running > 0;
    if (running && !this.ticker) {
      this.ticker = setInterval(() => {
        const nodes = [...this.rows.values()].filter((row) => row.displayStatus === 'running').flatMap((row) => this.nodeOf(row.taskId) ?? []);
        if (nodes.length > 0) this.changed.fire(nodes);
      }, 1000);
    } else if (!running && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    clearTimeout(this.progressTimer);
    clearInterval(this.ticker);
    for (const d of this.subscriptions) d.dispose();
    this.changed.dispose();
    this.loaded.dispose();
  }
}

function taskNodeId(taskId: string): string {
  return `task/${taskId}`;
}
