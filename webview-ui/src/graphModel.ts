// What the task graph shows, worked out from the tasks: dagre's layout (left to right,
// dependencies before dependents, a fan-out parent after its children), each node's text and
// progress, and when the layout must be computed again. The layout runs in layoutWorker.ts for
// big graphs (layoutEngine.ts decides), so its input is plain data. graph.ts draws it; this file touches no
// DOM, so it is tested in plain Node (test/unit/webview/).
import dagre from '@dagrejs/dagre';
import type { DashboardTaskView } from '../../src/shared/protocol';
import { STATUS_LABELS } from './format';
import { layeredLayout } from './layeredLayout';
import type { GraphLayout, LayoutInput, Point } from './layoutTypes';

export type { GraphEdge, GraphLayout, LayoutInput, Point } from './layoutTypes';

export const NODE_WIDTH = 208;
export const NODE_HEIGHT = 58;
/** A folded fan-out's node: wide enough for "24 parts: 20 done, 3 running, 1 failed". */
export const GROUP_WIDTH = 268;
/**
 * Above this many nodes to draw the tree view lists the tasks instead: dagre takes tens of
 * seconds (in the layout worker, so the panel stays usable meanwhile) and the SVG grows heavy.
 */
export const MAX_GRAPH_TASKS = 2000;

/** Why no graph is drawn (no tasks, or too many), or undefined when one is. */
export function graphNotice(tasks: readonly DashboardTaskView[]): string | undefined {
  if (tasks.length === 0) return 'No tasks yet: import a plan.';
  if (tasks.length > MAX_GRAPH_TASKS) return `The plan has ${tasks.length} tasks; the graph is drawn for up to ${MAX_GRAPH_TASKS}. The task tree lists them all.`;
  return undefined;
}

/** What the layout depends on: tasks, their dependencies and parents; not status or progress. */
export function structureKey(tasks: readonly DashboardTaskView[], groups: ReadonlySet<string> = new Set()): string {
  return tasks.map((t) => `${t.taskId}<${t.dependsOn.join(',')}^${t.parentId ?? ''}${groups.has(t.taskId) ? '+' : ''}`).join('|');
}

/** The graph to lay out: a fan-out parent is the sum of its children, so its dependencies lead to them, and they to it. */
export function layoutInput(tasks: readonly DashboardTaskView[], groups: ReadonlySet<string> = new Set(), key: string = structureKey(tasks, groups)): LayoutInput {
  const ids = new Set(tasks.map((t) => t.taskId));
  const parents = new Set(tasks.flatMap((t) => (t.parentId && ids.has(t.parentId) ? [t.parentId] : [])));
  const edges: Array<{ from: string; to: string; fanOut: boolean }> = [];
  const seen = new Set<string>();
  const add = (from: string, to: string, fanOut: boolean) => {
    if (seen.has(`${from}>${to}`)) return;
    seen.add(`${from}>${to}`);
    edges.push({ from, to, fanOut });
  };
  for (const task of tasks) {
    if (!parents.has(task.taskId)) for (const dependency of task.dependsOn) if (ids.has(dependency)) add(dependency, task.taskId, false);
    if (task.parentId && ids.has(task.parentId)) add(task.taskId, task.parentId, true);
  }
  return { key, nodes: tasks.map((t) => ({ id: t.taskId, width: groups.has(t.taskId) ? GROUP_WIDTH : NODE_WIDTH })), edges };
}

/**
 * Up to this many nodes dagre lays the graph out (its crossing reduction draws the neater
 * picture); above, layeredLayout.ts does, in a small share of the time (dagre takes seconds).
 */
export const DAGRE_MAX_NODES = 300;

/** The graph's layout: left to right, dependencies before dependents (dagre's, or for a big graph layeredLayout.ts's). */
export function layoutGraph(input: LayoutInput): GraphLayout {
  if (input.nodes.length > DAGRE_MAX_NODES) return layeredLayout(input, { nodeHeight: NODE_HEIGHT, nodeGap: NODE_GAP, edgeGap: EDGE_GAP, columnGap: COLUMN_GAP, margin: MARGIN });
  return dagreLayout(input);
}

const NODE_GAP = 18;
const EDGE_GAP = 10;
const COLUMN_GAP = 56;
const MARGIN = 12;

/** dagre's layout of the graph: left to right, dependencies before dependents. */
export function dagreLayout(input: LayoutInput): GraphLayout {
  const graph = new dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({ rankdir: 'LR', nodesep: NODE_GAP, edgesep: EDGE_GAP, ranksep: COLUMN_GAP, marginx: MARGIN, marginy: MARGIN });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of input.nodes) graph.setNode(node.id, { width: node.width, height: NODE_HEIGHT });
  for (const edge of input.edges) graph.setEdge(edge.from, edge.to);
  dagre.layout(graph);
  const label = graph.graph();
  const fanOut = new Set(input.edges.filter((e) => e.fanOut).map((e) => `${e.from}>${e.to}`));
  return {
    key: input.key,
    width: label.width ?? 0,
    height: label.height ?? 0,
    nodes: new Map(graph.nodes().map((id) => {
      const node = graph.node(id);
      return [id, { x: node.x, y: node.y }];
    })),
    edges: graph.edges().map((e) => ({ from: e.v, to: e.w, points: (graph.edge(e) as { points?: Array<{ x: number; y: number }> }).points ?? [], fanOut: fanOut.has(`${e.v}>${e.w}`) })),
  };
}

export function computeLayout(tasks: readonly DashboardTaskView[], key: string = structureKey(tasks)): GraphLayout {
  return layoutGraph(layoutInput(tasks, new Set(), key));
}

/** An edge's SVG path through its points. */
export function edgePath(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
}

/** How much of a node's progress bar is filled: all once completed, the agent's steps while running. */
export function progressShare(task: DashboardTaskView): number {
  if (task.status === 'completed') return 1;
  if (task.status === 'running') return task.progress && task.progress.total > 0 ? Math.min(1, task.progress.step / task.progress.total) : 0.05;
  return 0;
}

/** A node's words: the line under its title, its hover text and what a screen reader says. */
export function nodeText(task: DashboardTaskView): { readonly meta: string; readonly title: string; readonly ariaLabel: string } {
  return {
    meta: `${task.taskId} · ${STATUS_LABELS[task.status]}${task.agent ? ` · ${task.agent}` : ''}`,
    title: `${task.taskId}: ${task.title}\n${STATUS_LABELS[task.status]}${task.progress ? ` (${task.progress.step}/${task.progress.total} ${task.progress.message})` : ''}${task.error ? `\n${task.error}` : ''}`,
    ariaLabel: `${task.taskId}: ${task.title}, ${STATUS_LABELS[task.status]}`,
  };
}
