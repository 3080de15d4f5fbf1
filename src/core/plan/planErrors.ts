// Plan problems are collected, not thrown one by one: a user fixing a plan wants every
// mistake in one pass, each pointing at the file, the line and the task.

/** One problem in a plan. `line` is 1-based; `taskId` is absent for spec- or file-level problems. */
export interface PlanIssue {
  readonly file: string;
  readonly line: number;
  readonly taskId?: string;
  readonly message: string;
}

/** `plans/x.plan.md:12: TASK-31-2: depends on unknown task TASK-31-9` */
export function formatPlanIssue(issue: PlanIssue): string {
  const task = issue.taskId === undefined ? '' : `${issue.taskId}: `;
  return `${issue.file}:${issue.line}: ${task}${issue.message}`;
}

export class PlanValidationError extends Error {
  /** Sorted by file and line; issues on the same line keep the order they were found in. */
  readonly issues: readonly PlanIssue[];

  constructor(issues: readonly PlanIssue[]) {
    const sorted = [...issues].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    super(
      sorted.length === 1
        ? formatPlanIssue(sorted[0])
        : `${sorted.length} problems in the plan:\n${sorted.map((issue) => `  ${formatPlanIssue(issue)}`).join('\n')}`,
    );
    this.name = 'PlanValidationError';
    this.issues = sorted;
  }
}

export function throwIfIssues(issues: readonly PlanIssue[]): void {
  if (issues.length > 0) throw new PlanValidationError(issues);
}
