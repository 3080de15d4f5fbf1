// The printed table: one row per figure, grouped by section, with its target and verdict if it has one.

export interface Row {
  readonly section: string;
  readonly metric: string;
  readonly value: string;
  readonly target?: string;
  readonly pass?: boolean;
}

export function formatTable(rows: readonly Row[]): string {
  const headers = ['Section', 'Metric', 'Value', 'Target', ''];
  const cells = rows.map((r) => [r.section, r.metric, r.value, r.target ?? '', r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL']);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: readonly string[]) =>
    c
      .map((cell, i) => (i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(headers), widths.map((w) => '-'.repeat(w)).join('  ')];
  let previous = '';
  for (const c of cells) {
    // The section name only on its first row, and a blank line between sections.
    if (c[0] !== previous && previous !== '') out.push('');
    out.push(line([c[0] === previous ? '' : c[0], ...c.slice(1)]));
    previous = c[0];
  }
  return out.join('\n');
}

export function ms(value: number, digits = 0): string {
  return `${value.toFixed(digits)} ms`;
}

export function us(value: number): string {
  return `${value.toFixed(1)} µs`;
}

export function bytes(value: number): string {
  return value >= 1024 * 1024 ? `${(value / (1024 * 1024)).toFixed(1)} MiB` : `${(value / 1024).toFixed(0)} KiB`;
}

export function ratio(value: number): string {
  return value.toFixed(3);
}
