// A fan-out parent never runs an agent: its status follows its children's under its own strategy
// (src/core/strategy.ts). This file says where that aggregate leads and by which legal steps the
// parent gets there; the Scheduler records each step like any other transition.
import { FINAL_STATUSES, isLegalTransition, type PlanTask, type TaskStatus } from '../model';
import { aggregateParentStatus } from '../strategy';
import type { SchedulerState } from './types';

export interface ParentStep {
  readonly to: TaskStatus;
  readonly reason: string;
  readonly error?: string;
}

/** A child not started yet, or waiting for its retry, is unfinished (`spawned`) to its parent's strategy. */
export function asChildStatus(state: SchedulerState, retryPending: boolean): TaskStatus {
  return state === 'waiting' || retryPending ? 'spawned' : state;
}

/** The status the parent's strategy gives it for its children's statuses. */
export function parentTarget(parent: PlanTask, childStatuses: readonly TaskStatus[]): TaskStatus {
  return aggregateParentStatus(parent.strategy ?? 'wait_all', parent.threshold, childStatuses);
}

/** The steps that walk a parent along legal transitions to `target`; undefined when nothing changes. */
export function parentSteps(current: SchedulerState, target: TaskStatus, childStatuses: readonly TaskStatus[]): readonly ParentStep[] | undefined {
  if (current === target || (current !== 'waiting' && FINAL_STATUSES.has(current))) return undefined;
  const done = childStatuses.filter((status) => status === 'completed').length;
  const reason = `sub-tasks: ${done} of ${childStatuses.length} completed`;
  // A group is dispatched when its first child starts, and a group under way never goes back.
  if (target === 'spawned') return undefined;
  if (target === 'blocked' || target === 'cancelled') {
    return [{ to: current === 'waiting' || isLegalTransition(current, target) ? target : 'cancelled', reason }];
  }
  const steps: ParentStep[] = [];
  if (current === 'waiting' || current === 'interrupted') {
    steps.push({ to: 'spawned', reason });
    current = 'spawned';
  }
  if (current === 'spawned') steps.push({ to: 'running', reason });
  if (target !== 'running') {
    const error = target === 'completed' ? undefined : `${childStatuses.length - done} of ${childStatuses.length} sub-tasks did not complete`;
    steps.push({ to: target, reason, error });
  }
  return steps;
}
