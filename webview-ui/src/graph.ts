// The task graph: dagre lays the DAG out (left to right, dependencies before dependents), SVG
// draws it. The layout is computed again only when tasks or edges change; status, progress and
// selection updates just restyle the existing nodes.
import dagre from '@dagrejs/dagre';
import type { DashboardTaskView } from '../../src/shared/protocol';
import { h, svg } from './dom';
import { STATUS_LABELS, truncate } from './format';

const NODE_WIDTH = 208;
const NODE_HEIGHT = 58;
/** Above this many tasks the layout takes seconds; the tree view lists them instead. */
export const MAX_GRAPH_TASKS = 400;

interface Layout {
  readonly key: string;
  readonly width: number;
  readonly height: number;
  readonly nodes: ReadonlyMap<string, { x: number; y: number }>;
  readonly edges: ReadonlyArray<{ from: string; to: string; points: ReadonlyArray<{ x: number; y: number }>; fanOut: boolean }>;
}

export class TaskGraph {
  private layout: Layout | undefined;
  private readonly nodeElements = new Map<string, SVGGElement>();
  readonly element: HTMLElement;

  constructor(private readonly onSelect: (taskId: string) => void) {
    this.element = h('div', { class: 'graph', 'data-testid': 'dashboard-graph' });
  }

  update(tasks: readonly DashboardTaskView[], selected: string | null): void {
    if (tasks.length === 0) {
      this.layout = undefined;
      this.element.replaceChildren(h('p', { class: 'empty' }, 'No tasks yet: import a plan.'));
      return;
    }
    if (tasks.length > MAX_GRAPH_TASKS) {
      this.layout = undefined;
      this.element.replaceChildren(h('p', { class: 'empty' }, `The plan has ${tasks.length} tasks; the graph is drawn for up to ${MAX_GRAPH_TASKS}. The task tree lists them all.`));
      return;
    }
    const key = structureKey(tasks);
    if (this.layout?.key !== key) {
      this.layout = computeLayout(tasks, key);
      this.draw(tasks);
    }
    for (const task of tasks) this.restyle(task, task.taskId === selected);
  }

  focus(taskId: string): void {
    this.nodeElements.get(taskId)?.focus();
  }

  private draw(tasks: readonly DashboardTaskView[]): void {
    const layout = this.layout!;
    this.nodeElements.clear();
    const root = svg('svg', {
      viewBox: `0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}`,
      role: 'group',
      'aria-label': `Task graph: ${tasks.length} tasks`,
    });
    root.append(
      svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }))),
    );
    const edges = svg('g', { class: 'edges' });
    for (const edge of layout.edges) {
      const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
      edges.append(svg('path', { d, class: edge.fanOut ? 'edge fan-out' : 'edge', 'marker-end': 'url(#arrow)', 'data-from': edge.from, 'data-to': edge.to }));
    }
    root.append(edges);
    const nodes = svg('g', { class: 'nodes' });
    for (const task of tasks) {
      const position = layout.nodes.get(task.taskId);
      if (!position) continue;
      const x = position.x - NODE_WIDTH / 2;
      const y = position.y - NODE_HEIGHT / 2;
      const group = svg(
        'g',
        { class: 'node', transform: `translate(${x.toFixed(1)} ${y.toFixed(1)})`, tabindex: 0, role: 'button', 'data-testid': 'graph-node', 'data-task-id': task.taskId },
        svg('rect', { class: 'node-box', width: NODE_WIDTH, height: NODE_HEIGHT, rx: 4 }),
        svg('rect', { class: 'node-status-bar', width: 4, height: NODE_HEIGHT, rx: 2 }),
        svg('text', { class: 'node-title', x: 12, y: 20 }, truncate(task.title, 30)),
        svg('text', { class: 'node-meta', x: 12, y: 37 }),
        svg('rect', { class: 'progress-track', x: 12, y: NODE_HEIGHT - 11, width: NODE_WIDTH - 24, height: 4, rx: 2 }),
        svg('rect', { class: 'progress-fill', x: 12, y: NODE_HEIGHT - 11, width: 0, height: 4, rx: 2 }),
        svg('title', {}),
      );
      group.addEventListener('click', () => this.onSelect(task.taskId));
      group.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          this.onSelect(task.taskId);
        }
      });
      nodes.append(group);
      this.nodeElements.set(task.taskId, group);
    }
    root.append(nodes);
    // Fit the panel's width, but never shrink text below ~60% or grow it past its natural size;
    // beyond that the panel scrolls. (CSSOM, which the CSP allows, not a style attribute.)
    root.style.minWidth = `${Math.ceil(layout.width * 0.6)}px`;
    root.style.maxWidth = `${Math.ceil(layout.width)}px`;
    this.element.replaceChildren(root);
  }

  private restyle(task: DashboardTaskView, selected: boolean): void {
    const group = this.nodeElements.get(task.taskId);
    if (!group) return;
    group.setAttribute('class', `node status-${task.status}${selected ? ' selected' : ''}`);
    group.setAttribute('data-status', task.status);
    group.setAttribute('aria-pressed', String(selected));
    group.setAttribute('aria-label', `${task.taskId}: ${task.title}, ${STATUS_LABELS[task.status]}`);
    const meta = `${task.taskId} · ${STATUS_LABELS[task.status]}${task.agent ? ` · ${task.agent}` : ''}`;
    const metaText = group.querySelector('.node-meta');
    if (metaText && metaText.textContent !== meta) metaText.textContent = meta;
    const title = group.querySelector('title');
    if (title) title.textContent = `${task.taskId}: ${task.title}\n${STATUS_LABELS[task.status]}${task.progress ? ` (${task.progress.step}/${task.progress.total} ${task.progress.message})` : ''}${task.error ? `\n${task.error}` : ''}`;
    group.querySelector('.progress-fill')?.setAttribute('width', String(Math.round((NODE_WIDTH - 24) * progressShare(task))));
  }
}

function progressShare(task: DashboardTaskView): number {
  if (task.status === 'completed') return 1;
  if (task.status === 'running') return task.progress && task.progress.total > 0 ? Math.min(1, task.progress.step / task.progress.total) : 0.05;
  return 0;
}

function structureKey(tasks: readonly DashboardTaskView[]): string {
  return tasks.map((t) => `${t.taskId}<${t.dependsOn.join(',')}^${t.parentId ?? ''}`).join('|');
}

function computeLayout(tasks: readonly DashboardTaskView[], key: string): Layout {
  const graph = new dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 56, marginx: 12, marginy: 12 });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(tasks.map((t) => t.taskId));
  for (const task of tasks) graph.setNode(task.taskId, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const fanOut = new Set<string>();
  const parents = new Set(tasks.flatMap((t) => (t.parentId && ids.has(t.parentId) ? [t.parentId] : [])));
  for (const task of tasks) {
    // A fan-out parent is the sum of its children: its dependencies lead to them, and they to it.
    if (!parents.has(task.taskId)) for (const dependency of task.dependsOn) if (ids.has(dependency)) graph.setEdge(dependency, task.taskId);
    if (task.parentId && ids.has(task.parentId)) {
      graph.setEdge(task.taskId, task.parentId);
      fanOut.add(`${task.taskId}>${task.parentId}`);
    }
  }
  dagre.layout(graph);
  const label = graph.graph();
  return {
    key,
    width: label.width ?? 0,
    height: label.height ?? 0,
    nodes: new Map(graph.nodes().map((id) => {
      const node = graph.node(id);
      return [id, { x: node.x, y: node.y }];
    })),
    edges: graph.edges().map((e) => ({ from: e.v, to: e.w, points: (graph.edge(e) as { points?: Array<{ x: number; y: number }> }).points ?? [], fanOut: fanOut.has(`${e.v}>${e.w}`) })),
  };
}
