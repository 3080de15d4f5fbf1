// The address of one side of a review diff: a file as it is in one commit of a task's branch.
// Its own URI scheme, so the documents come from git objects through ReviewDocuments.ts (read-only,
// still there after `clean` removed the worktree) and never from the task's worktree on disk.
// The path part is the file's repository path, so VS Code picks the language and the file icon
// from it; the task and the commit ride in the query. The comments on review diffs (uidash) key
// on these URIs too, so the two functions keep their names and shapes.
import * as vscode from 'vscode';

export const REVIEW_SCHEME = 'agent-orchestrator-review';

export interface ReviewRef {
  readonly taskId: string;
  /** A full commit id (a branch name would move under the document). */
  readonly commit: string;
  /** Repository-relative, with forward slashes. */
  readonly path: string;
}

export function reviewUri(ref: ReviewRef): vscode.Uri {
  const query = new URLSearchParams({ task: ref.taskId, commit: ref.commit }).toString();
  return vscode.Uri.from({ scheme: REVIEW_SCHEME, path: `/${ref.path.replace(/^\/+/, '')}`, query });
}

/** The reference behind a review URI; undefined for any other URI or a malformed one. */
export function parseReviewUri(uri: vscode.Uri): ReviewRef | undefined {
  if (uri.scheme !== REVIEW_SCHEME) return undefined;
  const query = new URLSearchParams(uri.query);
  const taskId = query.get('task');
  const commit = query.get('commit');
  const path = uri.path.replace(/^\/+/, '');
  if (!taskId || !commit || !path) return undefined;
  return { taskId, commit, path };
}
