// The review-and-integrate vocabulary (docs/review.md): what a task changed, the review state
// recorded per task, a merge plan and its outcome, and the radar's and follow-ups' shapes. One
// file of types the engine, the editor and the CLI share through src/core/index.ts; the logic
// that fills them lives beside it in src/core/review/.
import type { MergeStrategy, TaskStatus } from '../model';
import type { OverlapRecord } from '../store';

export { isMergeStrategy, MERGE_STRATEGIES, type MergeStrategy } from '../model';

export type ChangeKind = 'added' | 'modified' | 'deleted' | 'renamed';

export interface ChangedFile {
  /** Repository-relative, the path on the right side. */
  readonly path: string;
  /** The left-side path when renamed, else null. */
  readonly oldPath: string | null;
  readonly kind: ChangeKind;
  /** null for a binary file. */
  readonly insertions: number | null;
  readonly deletions: number | null;
}

export type ReviewState = 'unreviewed' | 'merged' | 'discarded';

export interface ReviewRecord {
  readonly taskId: string;
  readonly state: ReviewState;
  /** The branch merged into. */
  readonly target: string | null;
  /** The target's commit that holds the task's work. */
  readonly commit: string | null;
  readonly strategy: MergeStrategy | null;
  readonly updatedAt: string | null;
}

/** What one task changed: its latest attempt with a branch, against the commit it started from. */
export interface TaskChanges {
  readonly taskId: string;
  readonly title: string;
  readonly status: TaskStatus;
  readonly attemptNumber: number;
  readonly branch: string;
  /** Left side of the review. */
  readonly startCommit: string;
  /** Right side: the branch tip. */
  readonly headCommit: string;
  readonly files: readonly ChangedFile[];
  readonly insertions: number;
  readonly deletions: number;
  /** State 'unreviewed' when nothing was recorded. */
  readonly review: ReviewRecord;
}

/** One side of a diff, read from git objects (works after `clean` removed the worktree). */
export type FileAtCommit =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly size: number }
  | { readonly kind: 'tooLarge'; readonly size: number; readonly limit: number }
  | { readonly kind: 'absent' };

export interface MergeRequest {
  /** These tasks (each must be completed), or: */
  readonly taskIds?: readonly string[];
  /** every completed task not yet merged or discarded. */
  readonly all?: boolean;
  /** Default `<branchPrefix>integrate/<latest run id>`, made from that run's base. */
  readonly into?: string;
  /** Default settings.mergeStrategy ('squash'). */
  readonly strategy?: MergeStrategy;
  /** Merge the clean ones although others conflict. */
  readonly acceptPartial?: boolean;
  /** planMerge only. */
  readonly dryRun?: boolean;
}

export type MergeStepState = 'clean' | 'conflict' | 'alreadyMerged' | 'empty';

export interface MergeStep {
  readonly taskId: string;
  readonly title: string;
  readonly branch: string;
  readonly state: MergeStepState;
  readonly conflictFiles: readonly string[];
  /** Task ids earlier in the batch whose work it conflicts with, when known. */
  readonly conflictsWith: readonly string[];
}

export interface MergePlan {
  readonly target: string;
  /** false: merge() creates it from `base`. */
  readonly targetExists: boolean;
  /** The commit the target starts from. */
  readonly base: string;
  readonly strategy: MergeStrategy;
  /** Topological order of the task graph. */
  readonly steps: readonly MergeStep[];
  readonly hasConflicts: boolean;
  /** The worktree path where the target is checked out, if any. */
  readonly checkedOutIn: string | null;
  /** git < 2.38: simulated in a temporary worktree. */
  readonly usedFallback: boolean;
}

export interface MergeOutcome {
  readonly plan: MergePlan;
  readonly merged: ReadonlyArray<{ readonly taskId: string; readonly commit: string }>;
  readonly skipped: ReadonlyArray<{ readonly taskId: string; readonly why: string }>;
  readonly targetCommit: string;
}

// ---- The conflict radar, follow-ups and pull requests (filled by their own files) ----

/** Two tasks of one run that touched the same files (the store keeps them: src/core/store/overlaps.ts). */
export type OverlapPair = OverlapRecord;

export type FollowUpKind = 'followup' | 'resolve';

export interface PullRequestResult {
  readonly branch: string;
  /** Remote name, null when there is no remote. */
  readonly pushedTo: string | null;
  /** The PR's url (gh) or the remote's compare link. */
  readonly url: string | null;
  readonly how: 'gh' | 'compare-link' | 'no-remote';
  /** What to tell the user. */
  readonly message: string;
}
