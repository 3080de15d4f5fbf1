// The words of a follow-up made from review comments: one `file:line: comment` line per comment,
// the commented line(s) quoted under it as they are on the task's branch, files in path order and
// lines in order. Pure (no `vscode`), so the exact text the agent reads is unit-tested
// (test/unit/vscode/followUpText.test.ts); reviewComments.ts collects the threads.

/** One comment thread on a review document, as plain data. */
export interface CommentedRange {
  /** Repository-relative path of the file on the right side of the review. */
  readonly path: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  /** The thread's comments, oldest first. */
  readonly comments: readonly string[];
  /** The commented lines' text on the task's branch (empty when unknown). */
  readonly lines: readonly string[];
}

/** At most this many commented lines are quoted per thread, each cut at QUOTE_WIDTH characters. */
const QUOTED_LINES = 5;
const QUOTE_WIDTH = 200;

export const COMMENTS_PREAMBLE = 'Review comments on your changes. Address each one; each names file:line, with the line as it is now quoted below it.';

/** The follow-up text, or '' when no thread holds a comment with words in it. */
export function followUpFromComments(ranges: readonly CommentedRange[]): string {
  const used = ranges
    .map((range) => ({ ...range, comments: range.comments.map((c) => c.trim()).filter((c) => c !== '') }))
    .filter((range) => range.comments.length > 0)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.startLine - b.startLine || a.endLine - b.endLine));
  if (used.length === 0) return '';
  const blocks = used.map((range) => {
    const where = `${range.path}:${range.startLine}${range.endLine > range.startLine ? `-${range.endLine}` : ''}`;
    const comments = range.comments.map((comment) => `${where}: ${indentContinuation(comment)}`);
    return [...comments, ...quote(range.lines)].join('\n');
  });
  return `${COMMENTS_PREAMBLE}\n\n${blocks.join('\n\n')}\n`;
}

/** A comment's later lines, indented under its first so each entry stays one block. */
function indentContinuation(comment: string): string {
  return comment.replace(/\r?\n/g, '\n    ');
}

function quote(lines: readonly string[]): string[] {
  const shown = lines.slice(0, QUOTED_LINES).map((line) => {
    const text = line.replace(/\s+$/, '');
    return `    > ${text.length > QUOTE_WIDTH ? `${text.slice(0, QUOTE_WIDTH - 1)}…` : text}`;
  });
  if (lines.length > QUOTED_LINES) shown.push(`    > … (${lines.length - QUOTED_LINES} more lines)`);
  return shown;
}
