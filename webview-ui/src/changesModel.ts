// What a task's details say about its work: the changed files with their kind and `+n −m`, the
// totals, and the review state (merged into which branch, discarded, or not yet). details.ts
// draws it; this file touches no DOM, so it is tested in plain Node (test/unit/webview/).
import { showsChanges, type DashboardChangedFile, type DashboardChanges, type DashboardReview, type DashboardTaskView } from '../../src/shared/protocol';

/** What the host sent for a task: undefined while its answer is on the way. */
export interface ChangesEntry {
  readonly changes: DashboardChanges | null;
  readonly error?: string;
}

export interface ChangeRow {
  readonly path: string;
  /** The path as shown: `old → new` for a rename. */
  readonly label: string;
  readonly kind: DashboardChangedFile['kind'];
  /** The codicon of its kind (diff-added, …). */
  readonly icon: string;
  /** `+3 −1`, or `binary`. */
  readonly counts: string;
  /** The hover text: kind, path and counts in words. */
  readonly title: string;
}

export type ChangesView =
  | { readonly kind: 'hidden' }
  | { readonly kind: 'message'; readonly text: string; readonly error: boolean }
  | { readonly kind: 'files'; readonly summary: string; readonly rows: readonly ChangeRow[] };

const KIND_ICONS: Readonly<Record<DashboardChangedFile['kind'], string>> = {
  added: 'diff-added',
  modified: 'diff-modified',
  deleted: 'diff-removed',
  renamed: 'diff-renamed',
};

/** `+3 −1` (a real minus sign, as VS Code's SCM view writes it), or `binary` without counts. */
export function formatCounts(insertions: number | null, deletions: number | null): string {
  if (insertions === null || deletions === null) return 'binary';
  return `+${insertions} −${deletions}`;
}

export function changesView(task: DashboardTaskView, entry: ChangesEntry | undefined): ChangesView {
  if (!showsChanges(task)) {
    return task.status === 'running' ? { kind: 'message', text: 'The agent is still working; its changes show once it finishes.', error: false } : { kind: 'hidden' };
  }
  if (entry === undefined) return { kind: 'message', text: 'Loading the changed files…', error: false };
  if (entry.error !== undefined) return { kind: 'message', text: `Could not read the changes: ${entry.error}`, error: true };
  const changes = entry.changes;
  if (changes === null) return { kind: 'message', text: 'No attempt of this task left a branch to review.', error: false };
  if (changes.files.length === 0) return { kind: 'message', text: `${changes.branch} changes no file.`, error: false };
  const files = changes.files.length === 1 ? '1 file' : `${changes.files.length} files`;
  return {
    kind: 'files',
    summary: `${files} · ${formatCounts(changes.insertions, changes.deletions)} · ${changes.branch}`,
    rows: changes.files.map((file) => {
      const label = file.kind === 'renamed' && file.oldPath ? `${file.oldPath} → ${file.path}` : file.path;
      const counts = formatCounts(file.insertions, file.deletions);
      return { path: file.path, label, kind: file.kind, icon: KIND_ICONS[file.kind], counts, title: `${file.kind}: ${label} (${counts === 'binary' ? 'binary file' : counts})` };
    }),
  };
}

/** The review state in words; null when there is nothing to review (no branch). */
export function reviewText(task: DashboardTaskView): string | null {
  const review: DashboardReview | null = task.review;
  if (!review || review.state === 'unreviewed') return task.branch !== null ? 'not merged yet' : null;
  if (review.state === 'discarded') return 'discarded (branch and worktree deleted)';
  const at = review.commit ? ` at ${review.commit.slice(0, 7)}` : '';
  return `merged into ${review.target ?? 'a branch'}${at}${review.strategy ? ` (${review.strategy})` : ''}`;
}
