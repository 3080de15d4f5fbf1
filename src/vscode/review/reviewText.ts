// The words of review and merge in the editor: a changed file's line in the tree, what a review
// document says instead of a binary or huge file, a task's review state, and the messages after
// a merge plan or a merge. Plain strings from the engine's types, no `vscode`, so they are tested
// in plain Node (test/unit/vscode/reviewText.test.ts); the tree and the commands use them.
import type { ChangedFile, ChangeKind, FileAtCommit, MergeOutcome, MergePlan, MergeStep, OverlapPair, ReviewRecord } from '../../core';

/** "12 B", "3.4 KB", "5.0 MB" (1024-based, as the 5 MiB review limit is). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "+3 −1", or "binary" when git counted no lines. The minus is U+2212, as git's own UIs print it. */
export function lineCounts(insertions: number | null, deletions: number | null): string {
  if (insertions === null || deletions === null) return 'binary';
  return `+${insertions} \u2212${deletions}`;
}

export const CHANGE_LETTERS: Readonly<Record<ChangeKind, string>> = { added: 'A', modified: 'M', deleted: 'D', renamed: 'R' };

/** A changed file in the tree: its name, and "src · +3 −1" (a rename says where from). */
export function changedFileText(file: ChangedFile): { readonly label: string; readonly description: string; readonly tooltip: string } {
  const slash = file.path.lastIndexOf('/');
  const label = file.path.slice(slash + 1);
  const folder = slash > 0 ? file.path.slice(0, slash) : '';
  const counts = lineCounts(file.insertions, file.deletions);
  const from = file.kind === 'renamed' && file.oldPath ? `\u2190 ${file.oldPath}` : '';
  const description = [from || folder, counts].filter(Boolean).join(' \u00b7 ');
  const tooltip = `${file.path} \u2014 ${file.kind}${from ? ` from ${file.oldPath}` : ''}, ${file.insertions === null ? 'binary' : `${file.insertions} line${file.insertions === 1 ? '' : 's'} added, ${file.deletions} removed`}`;
  return { label, description, tooltip };
}

/** The text of a review document: the file's own text, nothing for an absent side, else one line saying why not. */
export function reviewDocumentText(side: FileAtCommit, path: string): string {
  switch (side.kind) {
    case 'text':
      return side.text;
    case 'absent':
      return '';
    case 'binary':
      return `${path} is a binary file (${formatSize(side.size)}): not shown.\n`;
    case 'tooLarge':
      return `${path} is too large to show here (${formatSize(side.size)}; the limit is ${formatSize(side.limit)}).\n`;
  }
}

/** "merged → orch/integrate/r1" or "discarded" for the tree's description; undefined while unreviewed. */
export function reviewStateText(review: ReviewRecord | undefined): string | undefined {
  if (!review || review.state === 'unreviewed') return undefined;
  if (review.state === 'discarded') return 'discarded';
  return `merged \u2192 ${review.target ?? '?'}`;
}

/** The tooltip's review line (Markdown, with the caller's escaping applied to names). */
export function reviewTooltipLine(review: ReviewRecord | undefined, code: (text: string) => string): string | undefined {
  if (!review || review.state === 'unreviewed') return undefined;
  if (review.state === 'discarded') return 'Review: **discarded** (its branches and worktrees were deleted)';
  const details = [review.strategy, review.commit ? `commit ${code(review.commit.slice(0, 10))}` : undefined].filter(Boolean).join(', ');
  return `Review: **merged** into ${code(review.target ?? '?')}${details ? ` (${details})` : ''}`;
}

/** What the radar says about one task: each other task it shares files with. */
export function overlapLines(taskId: string, pairs: readonly OverlapPair[]): string[] {
  return pairs
    .filter((pair) => pair.taskA === taskId || pair.taskB === taskId)
    .map((pair) => {
      const other = pair.taskA === taskId ? pair.taskB : pair.taskA;
      const how = pair.conflict === true ? 'their branches conflict' : pair.conflict === false ? 'no conflict between the branches' : 'not known yet whether they conflict';
      return `${other} also changes ${pair.files.join(', ')} (${how})`;
    });
}

/** The notification of a new overlap: "TASK-1-1 and TASK-1-2 both change a.ts". */
export function overlapNotice(pair: OverlapPair): string {
  const files = pair.files.length <= 2 ? pair.files.join(' and ') : `${pair.files.slice(0, 2).join(', ')} and ${pair.files.length - 2} more files`;
  const verdict = pair.conflict === true ? ' — their branches conflict' : '';
  return `${pair.taskA} and ${pair.taskB} both change ${files}${verdict}.`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** After a merge: "Merged 3 tasks into orch/integrate/r1 (3 commits)." plus what was skipped. */
export function mergedMessage(outcome: MergeOutcome): string {
  const parts = [`Merged ${plural(outcome.merged.length, 'task')} into ${outcome.plan.target} (${plural(outcome.merged.length, 'commit')}, ${outcome.plan.strategy}).`];
  if (outcome.skipped.length > 0) parts.push(`Skipped ${outcome.skipped.map((skip) => `${skip.taskId} (${skip.why})`).join(', ')}.`);
  return parts.join(' ');
}

export function conflictSteps(plan: MergePlan): MergeStep[] {
  return plan.steps.filter((step) => step.state === 'conflict');
}

export function cleanSteps(plan: MergePlan): MergeStep[] {
  return plan.steps.filter((step) => step.state === 'clean');
}

/** The modal's message and detail when a batch conflicts: task → files, one line each. */
export function conflictReport(plan: MergePlan): { readonly message: string; readonly detail: string } {
  const conflicts = conflictSteps(plan);
  const clean = cleanSteps(plan).length;
  const message = `Merging into ${plan.target} would conflict in ${plural(conflicts.length, 'task')}; nothing was merged.`;
  const lines = conflicts.map((step) => `${step.taskId} (${step.title}): ${step.conflictFiles.join(', ') || 'conflict'}${step.conflictsWith.length > 0 ? ` \u2014 with ${step.conflictsWith.join(', ')}` : ''}`);
  lines.push('', clean > 0 ? `${plural(clean, 'task')} would merge cleanly.` : 'No task would merge cleanly.');
  if (plan.usedFallback) lines.push('(git older than 2.38: checked in a temporary worktree.)');
  return { message, detail: lines.join('\n') };
}

/** The prompt of a "Resolve with Agent" follow-up: which files, with which tasks' work, into what. */
export function resolvePrompt(step: MergeStep, target: string): string {
  const files = step.conflictFiles.length > 0 ? step.conflictFiles.join(', ') : 'the conflicting files';
  const others = step.conflictsWith.length > 0 ? ` with the work of ${step.conflictsWith.join(', ')}` : '';
  return `Merging this task into ${target} conflicts${others} in ${files}. Resolve the conflicts so that both changes are kept and the result builds and passes its checks; keep your task's intent.`;
}
