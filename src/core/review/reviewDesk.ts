// The review room's one entry for the façade (src/core/orchestrator.ts keeps only one-line
// delegations): what tasks changed, one side of a diff, planning and applying merges, resolving
// a conflict by hand, discarding. Each rule lives in its own file beside this one.
import { readBlobAt } from '../git';
import { discard } from './discard';
import { merge } from './merge';
import { planMerge } from './planMerge';
import { resolveConflicts } from './resolveConflicts';
import type { ReviewContext } from './reviewContext';
import { reviewableTasks, reviewStates, taskChanges } from './taskChanges';
import type { FileAtCommit, MergeOutcome, MergePlan, MergeRequest, ReviewRecord, TaskChanges } from './types';

/** readFileAt's default limit: a larger file is shown as "too large" rather than read. */
export const REVIEW_FILE_LIMIT = 5 * 1024 * 1024;

export class ReviewDesk {
  constructor(private readonly context: ReviewContext) {}

  reviewStates(): Map<string, ReviewRecord> {
    return reviewStates(this.context);
  }

  taskChanges(taskId: string): Promise<TaskChanges | undefined> {
    return taskChanges(this.context, taskId);
  }

  reviewableTasks(): Promise<TaskChanges[]> {
    return reviewableTasks(this.context);
  }

  readFileAt(commit: string, path: string, limit: number = REVIEW_FILE_LIMIT): Promise<FileAtCommit> {
    return readBlobAt(this.context.repoDir, commit, path, limit);
  }

  async planMerge(request: MergeRequest): Promise<MergePlan> {
    return (await planMerge(this.context, request)).plan;
  }

  merge(request: MergeRequest): Promise<MergeOutcome> {
    return merge(this.context, request);
  }

  resolveConflicts(taskId: string, into?: string): Promise<{ worktree: string; files: string[] }> {
    return resolveConflicts(this.context, taskId, into);
  }

  discard(taskId: string): Promise<void> {
    return discard(this.context, taskId);
  }
}
