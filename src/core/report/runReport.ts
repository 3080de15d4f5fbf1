// The run's report in two forms (docs/database.md): summary.md for people (totals, completed work
// with its branches, failures with their reasons, next steps) and metrics.json for machines
// (counts, durations, branches, follow-ups, cost and tokens). Both are pure functions of what the
// store recorded.
import { peakOverlap } from '../intervals';
import type { TaskStatus } from '../model';
import { reviewSection, type ReviewLine } from './reviewSection';
import { radarSection, type RadarLine } from './radarSection';
import { mebibytes, worktreeLine, type WorktreeUsage } from './worktreeUsage';

export interface ReportTask {
  readonly taskId: string;
  readonly title: string;
  readonly status: TaskStatus;
  readonly parentId: string | undefined;
  /** The branch holding the task's committed work (its last completed attempt). */
  readonly branch: string | undefined;
  readonly error: string | undefined;
  readonly attempts: number;
}

export interface ReportAttempt {
  readonly taskId: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly durationMs: number | null;
  readonly costUsd: number | null;
  readonly tokensIn: number | null;
  readonly tokensOut: number | null;
}

export interface RunFacts {
  readonly runId: string;
  readonly planSource: string | undefined;
  readonly status: TaskStatus;
  readonly strategy: string;
  readonly maxParallel: number;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly tasks: readonly ReportTask[];
  readonly attempts: readonly ReportAttempt[];
  /** Recorded review states by task (reviewSection.ts); none: every task unreviewed. */
  readonly reviews?: ReadonlyMap<string, ReviewLine>;
  /** The conflict radar's pairs (radarSection.ts); none when it was off or flagged nothing. */
  readonly overlaps?: readonly RadarLine[];
  /** The worktree folder once the run's removals ended (worktreeUsage.ts); none: not measured. */
  readonly worktrees?: WorktreeUsage;
}

export interface RunMetrics {
  readonly orchestration_id: string;
  readonly plan: string | null;
  readonly status: TaskStatus;
  readonly strategy: string;
  readonly total_sub_tasks: number;
  readonly successful_agents: number;
  readonly failed_agents: number;
  readonly timed_out_agents: number;
  readonly cancelled_tasks: number;
  readonly blocked_tasks: number;
  readonly total_duration_seconds: number;
  readonly avg_agent_duration_seconds: number;
  readonly branches_created: readonly string[];
  readonly follow_up_tasks: readonly string[];
  readonly total_attempts: number;
  readonly cost_usd: number;
  readonly tokens_in: number;
  readonly tokens_out: number;
  readonly resource_usage: { readonly max_parallel: number; readonly max_concurrent_agents: number };
  /** Checkouts left in the worktree folder and its size at the run's end (setting keepWorktrees). */
  readonly worktrees?: { readonly kept: number; readonly keep: string; readonly bytes: number; readonly mib: number; readonly truncated: boolean };
}

/** Work items: fan-out parents are summaries of their children, so they are not counted twice. */
/** The tasks that do work: fan-out parents are left out, their children count. */
export function workItems(facts: RunFacts): ReportTask[] {
  const parents = new Set(facts.tasks.flatMap((t) => (t.parentId ? [t.parentId] : [])));
  return facts.tasks.filter((t) => !parents.has(t.taskId));
}

/** The concurrency the run actually reached, from the attempts' own timestamps. */
export function peakConcurrency(attempts: readonly ReportAttempt[]): number {
  return peakOverlap(
    attempts.map((a) => ({ start: Date.parse(a.startedAt), end: a.endedAt ? Date.parse(a.endedAt) : Number.POSITIVE_INFINITY })),
  );
}

export function runMetrics(facts: RunFacts): RunMetrics {
  const items = workItems(facts);
  const count = (status: TaskStatus) => items.filter((t) => t.status === status).length;
  const durations = facts.attempts.flatMap((a) => (a.durationMs === null ? [] : [a.durationMs]));
  const sum = (values: readonly (number | null)[]) => values.reduce<number>((total, v) => total + (v ?? 0), 0);
  return {
    orchestration_id: facts.runId,
    plan: facts.planSource ?? null,
    status: facts.status,
    strategy: facts.strategy,
    total_sub_tasks: items.length,
    successful_agents: count('completed'),
    failed_agents: count('failed') + count('timed_out'),
    timed_out_agents: count('timed_out'),
    cancelled_tasks: count('cancelled'),
    blocked_tasks: count('blocked'),
    total_duration_seconds: round((Date.parse(facts.endedAt) - Date.parse(facts.startedAt)) / 1000),
    avg_agent_duration_seconds: durations.length ? round(sum(durations) / durations.length / 1000) : 0,
    branches_created: items.flatMap((t) => (t.status === 'completed' && t.branch ? [t.branch] : [])),
    follow_up_tasks: items.filter((t) => t.status !== 'completed').map((t) => t.taskId),
    total_attempts: facts.attempts.length,
    cost_usd: round(sum(facts.attempts.map((a) => a.costUsd)), 4),
    tokens_in: sum(facts.attempts.map((a) => a.tokensIn)),
    tokens_out: sum(facts.attempts.map((a) => a.tokensOut)),
    resource_usage: { max_parallel: facts.maxParallel, max_concurrent_agents: peakConcurrency(facts.attempts) },
    ...(facts.worktrees ? { worktrees: { kept: facts.worktrees.kept, keep: facts.worktrees.keep, bytes: facts.worktrees.bytes, mib: mebibytes(facts.worktrees.bytes), truncated: facts.worktrees.truncated } } : {}),
  };
}

export function summaryMarkdown(facts: RunFacts, metrics: RunMetrics = runMetrics(facts)): string {
  const items = workItems(facts);
  const completed = items.filter((t) => t.status === 'completed');
  const failed = items.filter((t) => t.status === 'failed' || t.status === 'timed_out');
  const other = items.filter((t) => t.status !== 'completed' && t.status !== 'failed' && t.status !== 'timed_out');
  const lines = [
    '## Parallel Orchestration Results',
    '',
    `**Run**: ${facts.runId}`,
    ...(facts.planSource ? [`**Plan**: ${facts.planSource}`] : []),
    `**Outcome**: ${outcomeWords(facts.status, metrics)}`,
    `**Total Sub-Tasks**: ${metrics.total_sub_tasks}`,
    `**Successful**: ${metrics.successful_agents}`,
    `**Failed**: ${metrics.failed_agents}`,
    ...(other.length ? [`**Not run**: ${other.length} (${countWords(other)})`] : []),
    `**Duration**: ${formatDuration(metrics.total_duration_seconds)}`,
    ...(metrics.cost_usd > 0 ? [`**Cost**: $${metrics.cost_usd.toFixed(2)}`] : []),
    ...(facts.worktrees ? [`**Worktrees**: ${worktreeLine(facts.worktrees)}`] : []),
    '',
  ];
  if (completed.length) {
    lines.push('### Completed');
    for (const t of completed) lines.push(`- [x] ${t.taskId}: ${t.title}${t.branch ? ` → \`${t.branch}\`` : ''}`);
    lines.push('');
  }
  if (failed.length) {
    lines.push('### Failed');
    for (const t of failed) lines.push(`- [ ] ${t.taskId}: ${t.title} — ${t.status === 'timed_out' ? 'timed out' : 'failed'}${t.error ? `: ${oneLine(t.error)}` : ''}`);
    lines.push('');
  }
  if (other.length) {
    lines.push('### Not run');
    // A blocked task's error already says why ("blocked: dependency TASK-1-1 failed").
    for (const t of other) lines.push(`- [ ] ${t.taskId}: ${t.title} — ${t.error ? oneLine(t.error) : t.status}`);
    lines.push('');
  }
  lines.push(...reviewSection(items, facts.reviews ?? new Map()));
  lines.push(...radarSection(facts.overlaps ?? []));
  lines.push('### Next steps');
  lines.push(...nextSteps(completed.length, failed, other).map((step, i) => `${i + 1}. ${step}`));
  return `${lines.join('\n')}\n`;
}

function nextSteps(completed: number, failed: readonly ReportTask[], other: readonly ReportTask[]): string[] {
  const steps: string[] = [];
  if (completed) steps.push('Review each completed task\'s changes (Review Changes, or `agent-orchestrator review TASK`), then merge them back in dependency order (Merge All Completed, or `agent-orchestrator merge --all`); see docs/review.md.');
  if (failed.length) steps.push(`Read the logs of ${failed.map((t) => t.taskId).join(', ')} (Agent Orchestrator: Show Task Log, or \`agent-orchestrator status --json\`), fix the cause, then retry them (Retry Failed, or \`agent-orchestrator retry\`).`);
  if (other.some((t) => t.status === 'blocked')) steps.push('Blocked tasks run once the tasks they depend on complete: retry the failed ones and run again.');
  if (other.some((t) => t.status === 'cancelled')) steps.push('Retry the cancelled tasks (Retry Failed, or `agent-orchestrator retry`) and run again to do them.');
  if (other.some((t) => t.status === 'interrupted' || t.status === 'spawned')) steps.push('Run again to finish the unfinished tasks.');
  if (!steps.length) steps.push('Nothing to do.');
  return steps;
}

function outcomeWords(status: TaskStatus, metrics: RunMetrics): string {
  if (status === 'completed') {
    return metrics.successful_agents === metrics.total_sub_tasks ? 'all tasks succeeded' : `succeeded under the ${metrics.strategy} strategy`;
  }
  return status === 'cancelled' ? 'cancelled' : `${status} (${metrics.successful_agents}/${metrics.total_sub_tasks} succeeded)`;
}

function countWords(tasks: readonly ReportTask[]): string {
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
}

function oneLine(text: string): string {
  const first = text.split('\n')[0].trim();
  return first.length > 200 ? `${first.slice(0, 197)}...` : first;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
