// What a run reports: an event for each step while it goes, and its result when it ends. The
// Orchestrator emits and returns these; the CLI, the VS Code views and progressLine.ts render
// them. They live here, below the façade, so that what renders a run never imports the
// orchestrator (report/ is a layer below run/ and the façade: .dependency-cruiser.cjs).
import type { AgentEvent } from '../agents';
import type { TaskStatus } from '../model';
import type { SchedulerDecision, TransitionNotice } from '../scheduler/types';
import type { OverlapRecord } from '../store';
import type { PruneReport } from './pruneReport';
import type { RunMetrics } from './runReport';

export type OrchestratorEvent =
  | { readonly type: 'runStarted'; readonly runId: string; readonly taskCount: number }
  | { readonly type: 'transition'; readonly runId: string; readonly notice: TransitionNotice }
  | { readonly type: 'decision'; readonly runId: string; readonly decision: SchedulerDecision }
  | { readonly type: 'agent'; readonly runId: string; readonly taskId: string; readonly event: AgentEvent }
  | { readonly type: 'output'; readonly runId: string; readonly taskId: string; readonly line: string }
  | { readonly type: 'runFinished'; readonly runId: string; readonly result: RunResult }
  // The conflict radar saw two tasks touch the same files (`first`: the pair is new) or learned
  // more about a pair; the pair has the shape of OverlapPair (src/core/review/types.ts).
  | { readonly type: 'overlap'; readonly runId: string; readonly pair: OverlapRecord; readonly first: boolean }
  // The run's start pruned older runs (src/core/run/pruneOldRuns.ts); only when it pruned anything.
  | { readonly type: 'runsPruned'; readonly runId: string; readonly report: PruneReport };

export interface RunResult {
  readonly runId: string;
  readonly status: TaskStatus;
  readonly summaryMd: string;
  readonly metrics: RunMetrics;
  readonly summaryPath: string;
  readonly metricsPath: string;
  /** Tasks found running from a host that died, marked interrupted and requeued. */
  readonly recovered: readonly string[];
}
