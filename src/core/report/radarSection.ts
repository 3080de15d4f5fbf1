// The "Conflict radar" section of summary.md: the pairs of tasks the radar saw touch the same
// files during the run (src/core/review/conflictRadar.ts), and whether their branches conflict.
// Its own file so the summary's main text (runReport.ts) stays one idea; a pure function of the
// stored pairs, like the rest of the report, importing nothing (the webview type-checks
// runReport.ts's types, so no store type may come this way).

/** What the section shows of a pair: OverlapPair (src/core/review/types.ts) has this shape. */
export interface RadarLine {
  readonly taskA: string;
  readonly taskB: string;
  readonly files: readonly string[];
  readonly conflict: boolean | null;
}

/** Words for a pair's verdict: known once both tasks completed and merge-tree answered. */
export function conflictWords(conflict: boolean | null): string {
  return conflict === null ? 'unknown' : conflict ? 'yes' : 'no';
}

/** Markdown lines (ending with a blank one), or none when the radar flagged nothing. */
export function radarSection(pairs: readonly RadarLine[]): string[] {
  if (pairs.length === 0) return [];
  const conflicting = pairs.filter((pair) => pair.conflict === true).length;
  const lines = [
    '### Conflict radar',
    `${pairs.length} pair${pairs.length === 1 ? '' : 's'} of tasks touched the same files${conflicting ? `; ${conflicting} conflict when merged` : ''}.`,
    '',
    '| tasks | files | conflict |',
    '| --- | --- | --- |',
  ];
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  for (const pair of pairs) lines.push(`| ${pair.taskA} ↔ ${pair.taskB} | ${pair.files.map((file) => `\`${cell(file)}\``).join(', ')} | ${conflictWords(pair.conflict)} |`);
  lines.push('');
  return lines;
}
