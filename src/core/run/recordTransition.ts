// How a run writes the scheduler's state changes into the store. Lives in run/ because it is the
// run's bookkeeping: the scheduler decides a task's next status, this records it (the
// orchestrator_task contract is in docs/database.md).
import type { PlanTask } from '../model';
import type { RouteDecision } from '../plan/routing';
import type { TransitionNotice } from '../scheduler/types';
import type { OrchestratorStore } from '../store';

/** The part of the store a dispatch writes. */
export type DispatchLog = Pick<OrchestratorStore, 'markSpecTasksReady' | 'createParallelTasks' | 'recordEvent' | 'transition'>;

export interface DispatchContext {
  readonly runId: string;
  readonly task: PlanTask;
  /** The agent routing chose for the task, and by which rule. */
  readonly route: RouteDecision;
  /** The run's maxParallel setting, checked again when the task's row is created. */
  readonly maxParallel: number;
}

/**
 * Records one state change. A task's first one (out of `waiting`) is its dispatch: its spec task
 * becomes ready, its orchestrator_task row is created and the routing is traced; from then on
 * each change is one transition, and the move to `running` records who runs it.
 */
export function recordTransition(store: DispatchLog, notice: TransitionNotice, { runId, task, route, maxParallel }: DispatchContext): void {
  const common = { reason: notice.reason, runId, errorMessage: notice.error };
  if (notice.from === 'waiting') {
    store.markSpecTasksReady([task.id], runId);
    const created = store.createParallelTasks(
      [{ task_id: task.id, spec_id: task.specId, priority: task.priority, estimated_hours: task.estimatedHours, assigned_agent: route.agent }],
      runId,
      maxParallel,
    );
    if (!created.success) throw new Error(`Could not create the orchestrator task for ${task.id}: ${created.message}`);
    store.recordEvent({ kind: 'routed', runId, taskId: task.id, detail: { agent: route.agent, rule: route.matchedRule, keyword: route.keyword } });
    if (notice.to !== 'spawned') store.transition(task.id, notice.to, common);
    return;
  }
  const routing = notice.to === 'running' ? { assignedAgent: route.agent, routedBy: route.matchedRule } : {};
  store.transition(task.id, notice.to, { ...common, ...routing });
}
