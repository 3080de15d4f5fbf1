// The dashboard's state, built from the store (and the live progress the store does not keep).
// Pure apart from its inputs, so what the webview shows is exactly what the database says. Review
// states and the radar's pairs are store reads too; a task's changed files (git) are not here: the
// panel fetches them when the task's details open (taskChangesView.ts).
import type { AttemptRecord, OverlapPair, ReviewRecord, RunRecord, TaskView } from '../../core';
import type { DashboardAttempt, DashboardMetrics, DashboardOverlap, DashboardReview, DashboardRun, DashboardState, DashboardTaskView } from '../../shared/protocol';
import type { TaskProgress } from '../session/RunActivity';
import { ViewReads, type ReadSource } from '../session/viewReads';

export interface DashboardInputs {
  readonly extensionVersion: string;
  readonly workspaceName: string | null;
  /** The open orchestrator, or the views' shared snapshot of it (src/vscode/session/sharedReads.ts). */
  readonly orchestrator: ReadSource | ViewReads | undefined;
  readonly running: boolean;
  readonly paused: boolean;
  readonly trusted: boolean;
  readonly progress: (taskId: string) => TaskProgress | undefined;
  readonly now?: number;
}

export function buildDashboardState(inputs: DashboardInputs): DashboardState {
  const orchestrator = inputs.orchestrator instanceof ViewReads || inputs.orchestrator === undefined ? inputs.orchestrator : new ViewReads(inputs.orchestrator);
  const base = {
    extensionVersion: inputs.extensionVersion,
    workspaceName: inputs.workspaceName,
    generatedAt: inputs.now ?? Date.now(),
    trusted: inputs.trusted,
    paused: inputs.paused,
  };
  if (!orchestrator) return { ...base, mode: 'none', running: false, specs: [], tasks: [], run: null, timeline: [], overlaps: [] };
  const rows = orchestrator.rows();
  const latest = orchestrator.latestRun();
  const attempts = latest ? orchestrator.runAttempts(latest.runId) : [];
  const attemptCounts = new Map<string, number>();
  for (const row of rows) attemptCounts.set(row.taskId, row.latestAttempt?.attemptNumber ?? 0);
  const reviews = orchestrator.reviewStates();
  return {
    ...base,
    mode: orchestrator.readOnly ? 'readOnly' : 'writer',
    running: inputs.running,
    specs: orchestrator.specs().map((spec) => ({ specId: spec.id, title: spec.title })),
    tasks: rows.map((row) => taskView(row, inputs.progress(row.taskId), attemptCounts.get(row.taskId) ?? 0, reviews.get(row.taskId))),
    run: latest ? runView(latest) : null,
    timeline: assignSlots(attempts),
    overlaps: latest ? orchestrator.overlaps(latest.runId).map(overlapView) : [],
  };
}

function taskView(row: TaskView, progress: TaskProgress | undefined, attempts: number, review: ReviewRecord | undefined): DashboardTaskView {
  const attempt = row.latestAttempt;
  return {
    taskId: row.taskId,
    specId: row.specId,
    title: row.title ?? row.taskId,
    status: row.displayStatus,
    priority: row.priority,
    estimatedHours: row.estimatedHours,
    dependsOn: row.dependsOn,
    parentId: row.parentTaskId,
    agent: row.agent,
    progress: row.displayStatus === 'running' && progress ? { ...progress } : null,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    durationMs: attempt?.durationMs ?? null,
    attempts,
    retryCount: row.retryCount,
    error: row.errorMessage,
    exitCode: attempt?.exitCode ?? null,
    costUsd: attempt?.costUsd ?? null,
    tokensIn: attempt?.tokensIn ?? null,
    tokensOut: attempt?.tokensOut ?? null,
    worktree: attempt?.worktree ?? null,
    branch: attempt?.branch ?? null,
    sessionId: attempt?.sessionId ?? null,
    hasLog: attempt?.logPath != null,
    // 'unreviewed' is what the store says of a task it has no record for: the same as null.
    review: review && review.state !== 'unreviewed' ? reviewView(review) : null,
  };
}

function overlapView(pair: OverlapPair): DashboardOverlap {
  return { taskA: pair.taskA, taskB: pair.taskB, files: [...pair.files], conflict: pair.conflict };
}

function reviewView(record: ReviewRecord): DashboardReview {
  return { state: record.state, target: record.target, commit: record.commit, strategy: record.strategy };
}

function runView(run: RunRecord): DashboardRun {
  return {
    runId: run.runId,
    status: run.status,
    startedAt: Date.parse(run.startedAt),
    endedAt: run.endedAt ? Date.parse(run.endedAt) : null,
    strategy: run.strategy,
    maxParallel: run.maxParallel,
    summaryMd: run.summaryMd,
    metrics: run.metrics ? metricsView(run.metrics) : null,
  };
}

function metricsView(raw: Record<string, unknown>): DashboardMetrics | null {
  if (typeof raw.total_sub_tasks !== 'number') return null;
  const num = (key: string) => (typeof raw[key] === 'number' ? (raw[key] as number) : 0);
  const list = (key: string) => (Array.isArray(raw[key]) ? (raw[key] as unknown[]).filter((v): v is string => typeof v === 'string') : []);
  const usage = (raw.resource_usage ?? {}) as { max_concurrent_agents?: unknown };
  return {
    total_sub_tasks: num('total_sub_tasks'),
    successful_agents: num('successful_agents'),
    failed_agents: num('failed_agents'),
    timed_out_agents: num('timed_out_agents'),
    cancelled_tasks: num('cancelled_tasks'),
    blocked_tasks: num('blocked_tasks'),
    total_duration_seconds: num('total_duration_seconds'),
    avg_agent_duration_seconds: num('avg_agent_duration_seconds'),
    total_attempts: num('total_attempts'),
    cost_usd: num('cost_usd'),
    tokens_in: num('tokens_in'),
    tokens_out: num('tokens_out'),
    max_concurrent_agents: typeof usage.max_concurrent_agents === 'number' ? usage.max_concurrent_agents : 0,
    branches_created: list('branches_created'),
    follow_up_tasks: list('follow_up_tasks'),
  };
}

/**
 * Lays attempts out in parallel slots: each takes the lowest slot free at its start. The engine
 * does not record slots; with at most maxParallel agents at once this never needs more rows.
 */
export function assignSlots(attempts: readonly AttemptRecord[]): DashboardAttempt[] {
  const slotEnds: number[] = [];
  const sorted = [...attempts].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.attemptId - b.attemptId);
  return sorted.map((attempt) => {
    const start = Date.parse(attempt.startedAt);
    const end = attempt.endedAt ? Date.parse(attempt.endedAt) : null;
    let slot = slotEnds.findIndex((slotEnd) => slotEnd <= start);
    if (slot === -1) slot = slotEnds.length;
    slotEnds[slot] = end ?? Number.POSITIVE_INFINITY;
    return { taskId: attempt.taskId, attempt: attempt.attemptNumber, slot, startedAt: start, endedAt: end, outcome: attempt.outcome, agent: attempt.agent };
  });
}
