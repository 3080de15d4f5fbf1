// Every test runner ends with one line in the same form, which scripts/test-all.mjs and CI read.

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/** "N passed, N failed", with ", N skipped" only when some were. */
export function summaryLine(counts: TestCounts): string {
  return `${counts.passed} passed, ${counts.failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ''}`;
}

export function isSummaryLine(line: string): boolean {
  return /^\d+ passed, \d+ failed(?:, \d+ skipped)?$/.test(line.trim());
}
