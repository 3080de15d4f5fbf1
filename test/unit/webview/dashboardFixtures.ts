// Dashboard states for the webview's tests, as the host would post them: every field set, so a
// test names only what it is about.
import type { DashboardAttempt, DashboardRun, DashboardState, DashboardTaskView } from '../../../src/shared/protocol';

export function taskView(taskId: string, fields: Partial<DashboardTaskView> = {}): DashboardTaskView {
  return {
    taskId,
    specId: 'SPEC-001',
    title: `Task ${taskId}`,
    status: 'pending',
    priority: 'medium',
    estimatedHours: 1,
    dependsOn: [],
    parentId: null,
    agent: null,
    progress: null,
    startedAt: null,
    completedAt: null,
    durationMs: null,
    attempts: 0,
    retryCount: 0,
    error: null,
    exitCode: null,
    costUsd: null,
    tokensIn: null,
    tokensOut: null,
    worktree: null,
    branch: null,
    sessionId: null,
    hasLog: false,
    review: null,
    ...fields,
  };
}

export const RUN_START = Date.parse('2025-01-01T10:00:00Z');

export function dashboardRun(fields: Partial<DashboardRun> = {}): DashboardRun {
  return { runId: 'orch-1', status: 'completed', startedAt: RUN_START, endedAt: RUN_START + 65_000, strategy: 'wait_all', maxParallel: 4, summaryMd: null, metrics: null, ...fields };
}

export function dashboardAttempt(taskId: string, slot: number, startedAt: number, endedAt: number | null, fields: Partial<DashboardAttempt> = {}): DashboardAttempt {
  return { taskId, attempt: 1, slot, startedAt, endedAt, outcome: endedAt === null ? null : 'completed', agent: 'scripted', ...fields };
}

export function dashboardState(fields: Partial<DashboardState> = {}): DashboardState {
  return {
    extensionVersion: '1.2.3',
    workspaceName: 'demo',
    generatedAt: RUN_START,
    mode: 'writer',
    running: false,
    paused: false,
    trusted: true,
    specs: [],
    tasks: [],
    run: null,
    timeline: [],
    overlaps: [],
    ...fields,
  };
}
