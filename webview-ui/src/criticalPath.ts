// The critical path: the chain of tasks, each waiting for the one before, that takes longest in
// total, so the run cannot end sooner than it. A task weighs its actual duration once it has run
// (completed or failed with a duration) and its estimated hours before that, so the path starts
// as the plan's estimate and becomes the run's measured path as tasks finish. A fan-out parent
// does no work of its own (its children do): it weighs nothing when its children are drawn, and
// the longest child when they are folded into it (collapse.ts). graph.ts highlights the result;
// this file touches no DOM, so it is tested in plain Node (test/unit/webview/).
import type { DashboardTaskView } from '../../src/shared/protocol';
import type { FanOutGroup } from './collapse';
import { formatDuration } from './format';

const HOUR_MS = 3_600_000;

export interface WeightedEdge {
  readonly from: string;
  readonly to: string;
}

export interface CriticalPath {
  /** The tasks on the path, first to last. */
  readonly nodes: readonly string[];
  /** Its edges as "from>to". */
  readonly edges: ReadonlySet<string>;
  /** Its length in milliseconds. */
  readonly totalMs: number;
}

/** A task's weight in milliseconds: measured once run, estimated before. */
export function taskWeightMs(task: DashboardTaskView): number {
  if (task.durationMs !== null && task.durationMs >= 0 && task.status !== 'running') return task.durationMs;
  return Math.max(0, task.estimatedHours) * HOUR_MS;
}

/** Each drawn node's weight: a task's own, a folded fan-out's longest child, an unfolded parent nothing. */
export function nodeWeights(all: readonly DashboardTaskView[], drawn: readonly DashboardTaskView[], groups: ReadonlyMap<string, FanOutGroup>): Map<string, number> {
  const byId = new Map(all.map((t) => [t.taskId, t]));
  const parents = new Set(drawn.flatMap((t) => (t.parentId !== null ? [t.parentId] : [])));
  const weights = new Map<string, number>();
  for (const task of drawn) {
    const group = groups.get(task.taskId);
    if (group) weights.set(task.taskId, Math.max(0, ...group.childIds.map((id) => (byId.has(id) ? taskWeightMs(byId.get(id)!) : 0))));
    else weights.set(task.taskId, parents.has(task.taskId) ? 0 : taskWeightMs(task));
  }
  return weights;
}

/**
 * The heaviest chain through a DAG (Kahn's order, then the longest path by node weight). Nodes in
 * a cycle, which a validated plan never has, are left out rather than looped over. Ties go to the
 * node listed first, so the path is the same on every render.
 */
export function criticalPath(weights: ReadonlyMap<string, number>, edges: readonly WeightedEdge[]): CriticalPath {
  const incoming = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const id of weights.keys()) {
    incoming.set(id, 0);
    next.set(id, []);
  }
  for (const edge of edges) {
    if (!weights.has(edge.from) || !weights.has(edge.to) || edge.from === edge.to) continue;
    next.get(edge.from)!.push(edge.to);
    incoming.set(edge.to, incoming.get(edge.to)! + 1);
  }
  const best = new Map<string, { total: number; previous: string | undefined }>();
  const queue = [...weights.keys()].filter((id) => incoming.get(id) === 0);
  for (const id of queue) best.set(id, { total: weights.get(id)!, previous: undefined });
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    const here = best.get(id)!;
    for (const to of next.get(id)!) {
      const candidate = here.total + weights.get(to)!;
      const known = best.get(to);
      if (!known || candidate > known.total) best.set(to, { total: candidate, previous: id });
      const left = incoming.get(to)! - 1;
      incoming.set(to, left);
      if (left === 0) queue.push(to);
    }
  }
  let end: string | undefined;
  let total = -1;
  for (const id of queue) {
    const entry = best.get(id)!;
    if (entry.total > total) {
      total = entry.total;
      end = id;
    }
  }
  const nodes: string[] = [];
  for (let id = end; id !== undefined; id = best.get(id)!.previous) nodes.unshift(id);
  const pathEdges = new Set<string>();
  for (let i = 1; i < nodes.length; i++) pathEdges.add(`${nodes[i - 1]}>${nodes[i]}`);
  return { nodes, edges: pathEdges, totalMs: Math.max(0, total) };
}

/** The legend's words for the path's length: "12.5 h" for plan-sized estimates, "3:20" for measured minutes. */
export function pathLength(totalMs: number): string {
  const hours = totalMs / HOUR_MS;
  return hours >= 1 ? `${hours.toFixed(hours >= 10 ? 0 : 1)} h` : formatDuration(totalMs);
}
