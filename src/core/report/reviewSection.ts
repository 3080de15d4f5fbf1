// The "Review" section of a run's summary.md (docs/review.md): each task with work on a branch,
// and what its review came to — merged into which branch at which commit, discarded, or not
// reviewed yet. Written with the summary when the run ends (all unreviewed then), and rewritten in
// place after every merge or discard (refreshSummaries.ts), so the file says where the work went.
// Pure and free of Node and store imports: runReport.ts uses it, and the webview type-checks
// runReport.ts's types (src/shared/protocol.ts).

/** What the section shows of a task's recorded review (src/core/store/reviews.ts's StoredReview has it). */
export interface ReviewLine {
  readonly state: 'unreviewed' | 'merged' | 'discarded';
  readonly target: string | null;
  readonly commit: string | null;
  readonly strategy: string | null;
}

/** What the section shows of a task (runReport.ts's ReportTask has it). */
export interface ReviewedTask {
  readonly taskId: string;
  readonly title: string;
  /** The branch of its completed work, if any. */
  readonly branch: string | undefined;
}

export const REVIEW_HEADING = '### Review';

/** The section's lines (heading first, blank line last); none when no task has work to review. */
export function reviewSection(tasks: readonly ReviewedTask[], reviews: ReadonlyMap<string, ReviewLine>): string[] {
  const shown = tasks.filter((task) => task.branch !== undefined || reviews.has(task.taskId));
  if (shown.length === 0) return [];
  const lines = [REVIEW_HEADING];
  for (const task of shown) {
    const review = reviews.get(task.taskId);
    let state = 'unreviewed';
    if (review?.state === 'merged') state = `merged into \`${review.target ?? '?'}\`${review.commit ? ` at ${review.commit.slice(0, 10)}` : ''}${review.strategy ? ` (${review.strategy})` : ''}`;
    else if (review?.state === 'discarded') state = 'discarded';
    lines.push(`- ${task.taskId}: ${task.title} — ${state}`);
  }
  lines.push('');
  return lines;
}

/**
 * Replaces the Review section of `markdown` with `section` (or puts it before "### Next steps"
 * when there was none yet); the other sections, the radar's included, are left as they are.
 */
export function withReviewSection(markdown: string, section: readonly string[]): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(REVIEW_HEADING);
  if (start >= 0) {
    let end = lines.findIndex((line, i) => i > start && line.startsWith('### '));
    if (end < 0) end = lines.length;
    lines.splice(start, end - start, ...section);
    return lines.join('\n');
  }
  const next = lines.indexOf('### Next steps');
  lines.splice(next >= 0 ? next : lines.length, 0, ...section);
  return lines.join('\n');
}
