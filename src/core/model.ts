// The engine's shared vocabulary: ids, priorities, statuses and the legal moves between them.
// Names and values are those of the orchestrator_task contract (docs/database.md).

/** Task ids look like TASK-31-2 (spec number, task number). */
export const TASK_ID_PATTERN = /^TASK-\d+-\d+$/;
/** Spec ids look like SPEC-031. */
export const SPEC_ID_PATTERN = /^SPEC-\d+$/;

export type Priority = 'high' | 'medium' | 'low';
export const PRIORITIES: readonly Priority[] = ['high', 'medium', 'low'];
/** Lower rank runs first. */
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { high: 0, medium: 1, low: 2 };

export function isPriority(value: unknown): value is Priority {
  return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value);
}

/** A numeric 1–10 priority, as some plans write it, maps onto the three classes: ≥8 high, ≥4 medium, else low. */
export function priorityFromNumber(value: number): Priority | undefined {
  if (!Number.isInteger(value) || value < 1 || value > 10) return undefined;
  if (value >= 8) return 'high';
  if (value >= 4) return 'medium';
  return 'low';
}

/** Lifecycle of a planned task in specs_task (docs/database.md). */
export type SpecTaskStatus = 'pending' | 'ready' | 'assigned';
export const SPEC_TASK_STATUSES: readonly SpecTaskStatus[] = ['pending', 'ready', 'assigned'];

/** Lifecycle of a scheduled task in orchestrator_task; docs/database.md says what each status means. */
export type TaskStatus =
  | 'spawned'
  | 'running'
  | 'completed'
  | 'failed'
  | 'timed_out'
  | 'cancelled'
  | 'blocked'
  | 'interrupted';

export const TASK_STATUSES: readonly TaskStatus[] = [
  'spawned',
  'running',
  'completed',
  'failed',
  'timed_out',
  'cancelled',
  'blocked',
  'interrupted',
];

/** A task's status as the views show it: the plan's (specs_task) until the orchestrator took it on. */
export type DisplayStatus = SpecTaskStatus | TaskStatus;

/** States in which nothing runs and nothing will, unless a user retries. */
export const FINAL_STATUSES: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'timed_out', 'cancelled', 'blocked']);

/**
 * States in which the run holds the task: queued for a slot (`spawned`) or with an agent
 * (`running`). Every other state is at rest: final, or `interrupted` by a host that died.
 */
export const ACTIVE_STATUSES: ReadonlySet<TaskStatus> = new Set(['spawned', 'running']);

// The two sets below are what the user may do to a task, asked with any status a view shows
// (a plan status is never retryable), hence their DisplayStatus type.

/** States a user may put back in the queue (Retry Failed): every end but success, and an interruption. */
export const RETRYABLE_STATUSES: ReadonlySet<DisplayStatus> = new Set<TaskStatus>(['failed', 'timed_out', 'cancelled', 'blocked', 'interrupted']);

/** States a user may cancel: not started yet (the plan's statuses), queued or running. */
export const CANCELLABLE_STATUSES: ReadonlySet<DisplayStatus> = new Set<DisplayStatus>([...SPEC_TASK_STATUSES, ...ACTIVE_STATUSES]);

/**
 * Every legal move. Back to `spawned` is a retry or a requeue: after a failure, a time-out,
 * a cancel, a block whose cause was retried, an interruption (the host died mid-run), or a
 * rate limit reported by a running agent (requeued without using a retry). A running task
 * becomes `blocked` when its dependencies' branches conflict as they merge into its worktree.
 * A completed task goes back to `spawned` only for a follow-up (Orchestrator.followUp): its next
 * attempt continues its branch (docs/review.md).
 */
export const LEGAL_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  spawned: ['running', 'cancelled', 'blocked'],
  running: ['completed', 'failed', 'timed_out', 'cancelled', 'interrupted', 'spawned', 'blocked'],
  completed: ['spawned'],
  failed: ['spawned'],
  timed_out: ['spawned'],
  cancelled: ['spawned'],
  blocked: ['spawned', 'cancelled'],
  interrupted: ['spawned', 'cancelled'],
};

export function isLegalTransition(from: TaskStatus, to: TaskStatus): boolean {
  return LEGAL_TRANSITIONS[from].includes(to);
}

export function isTaskStatus(value: unknown): value is TaskStatus {
  return typeof value === 'string' && (TASK_STATUSES as readonly string[]).includes(value);
}

/** How a group of tasks (a run, or a parent's children) is judged and when it stops early. */
export type Strategy = 'wait_all' | 'fail_fast' | 'best_effort' | 'race';
export const STRATEGIES: readonly Strategy[] = ['wait_all', 'fail_fast', 'best_effort', 'race'];
/** By default a best-effort group succeeds when at least 80% of its members do. */
export const DEFAULT_SUCCESS_THRESHOLD = 0.8;

export function isStrategy(value: unknown): value is Strategy {
  return typeof value === 'string' && (STRATEGIES as readonly string[]).includes(value);
}

/**
 * How a task's work is brought into a target branch (docs/review.md). Here, not in
 * src/core/review/types.ts which re-exports it, because the settings (layer 0) name it too.
 */
export type MergeStrategy = 'merge' | 'squash' | 'rebase';
export const MERGE_STRATEGIES: readonly MergeStrategy[] = ['merge', 'squash', 'rebase'];

export function isMergeStrategy(value: unknown): value is MergeStrategy {
  return typeof value === 'string' && (MERGE_STRATEGIES as readonly string[]).includes(value);
}

/**
 * A routing rule from the settings: a task that names no agent goes to `agent` when one of the
 * keywords appears in it (plan/routing.ts matches them).
 */
export interface RoutingRule {
  readonly keywords: readonly string[];
  readonly agent: string;
  readonly name?: string;
}

/** Where a plan element came from, so every error can name the file and line. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

export interface PlanSpec {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly location: SourceLocation;
}

/** Expands one planned task into N children: one per listed item or per file matching a glob. */
export type FanOut =
  | { readonly kind: 'items'; readonly items: readonly string[] }
  | { readonly kind: 'files'; readonly glob: string };

export interface PlanTask {
  readonly id: string;
  readonly specId: string;
  readonly title: string;
  /** What the agent is asked to do; defaults to the title. */
  readonly prompt: string;
  readonly priority: Priority;
  /** A positive integer. */
  readonly estimatedHours: number;
  /** Hard dependencies: this task starts only after all of them completed. */
  readonly dependsOn: readonly string[];
  /** Agent profile name; when absent, routing picks one. */
  readonly agent: string | undefined;
  /** Glob patterns of the files the task may touch; overlapping tasks never run together. */
  readonly files: readonly string[];
  /** A command run in the worktree after the agent; its exit code decides success. */
  readonly verify: string | undefined;
  /** Set on a child produced by fan-out. */
  readonly parentId: string | undefined;
  /** Set on a parent: how its children's outcomes make its own. */
  readonly strategy: Strategy | undefined;
  readonly threshold: number | undefined;
  readonly fanOut: FanOut | undefined;
  /** The plan marks the task as already done (a checked Markdown box); absent means not done. */
  readonly done?: boolean;
  readonly location: SourceLocation;
}

export interface Plan {
  /** The plan file's path, as given. */
  readonly source: string;
  readonly specs: readonly PlanSpec[];
  readonly tasks: readonly PlanTask[];
}

/** Now as an ISO-8601 UTC string (milliseconds kept, so events order by time). */
export function isoNow(date: Date = new Date()): string {
  return date.toISOString();
}
