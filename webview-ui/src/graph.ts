// The task graph: dagre lays the DAG out (left to right, dependencies before dependents), SVG
// draws it. The layout is computed again only when tasks or edges change; status, progress and
// selection updates just restyle the existing nodes. graphModel.ts computes the layout and the
// words; this file draws them. The conflict radar's dashed red edges (overlapEdges.ts) sit in
// their own layer, redrawn when the pairs change, without laying the graph out again.
import type { DashboardOverlap, DashboardTaskView } from '../../src/shared/protocol';
import { h, svg } from './dom';
import { truncate } from './format';
import { computeLayout, edgePath, graphNotice, NODE_HEIGHT, NODE_WIDTH, nodeText, progressShare, structureKey, type GraphLayout } from './graphModel';
import { overlapEdges, overlapKey, overlapPath } from './overlapEdges';

export class TaskGraph {
  private layout: GraphLayout | undefined;
  private readonly nodeElements = new Map<string, SVGGElement>();
  private overlapLayer: SVGGElement | undefined;
  private drawnOverlaps: string | undefined;
  readonly element: HTMLElement;

  constructor(private readonly onSelect: (taskId: string) => void) {
    this.element = h('div', { class: 'graph', 'data-testid': 'dashboard-graph' });
  }

  update(tasks: readonly DashboardTaskView[], selected: string | null, overlaps: readonly DashboardOverlap[] = []): void {
    const notice = graphNotice(tasks);
    if (notice !== undefined) {
      this.layout = undefined;
      this.element.replaceChildren(h('p', { class: 'empty' }, notice));
      return;
    }
    const key = structureKey(tasks);
    if (this.layout?.key !== key) {
      this.layout = computeLayout(tasks, key);
      this.draw(tasks);
    }
    if (this.drawnOverlaps !== overlapKey(overlaps)) this.drawOverlaps(overlaps);
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
      edges.append(svg('path', { d: edgePath(edge.points), class: edge.fanOut ? 'edge fan-out' : 'edge', 'marker-end': 'url(#arrow)', 'data-from': edge.from, 'data-to': edge.to }));
    }
    root.append(edges);
    // Between the dependency edges and the nodes: the curves run from border to border.
    this.overlapLayer = svg('g', { class: 'overlaps', 'data-testid': 'graph-overlaps' });
    this.drawnOverlaps = undefined;
    root.append(this.overlapLayer);
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

  private drawOverlaps(overlaps: readonly DashboardOverlap[]): void {
    const layer = this.overlapLayer;
    if (!layer || !this.layout) return;
    layer.replaceChildren(
      ...overlapEdges(this.layout, overlaps).map((edge) =>
        svg(
          'path',
          {
            d: overlapPath(edge),
            class: `overlap-edge${edge.conflict === true ? ' conflict' : ''}`,
            'data-testid': 'overlap-edge',
            'data-from': edge.taskA,
            'data-to': edge.taskB,
            'data-files': edge.files.join('\n'),
          },
          svg('title', {}, edge.title),
        ),
      ),
    );
    this.drawnOverlaps = overlapKey(overlaps);
  }

  private restyle(task: DashboardTaskView, selected: boolean): void {
    const group = this.nodeElements.get(task.taskId);
    if (!group) return;
    group.setAttribute('class', `node status-${task.status}${selected ? ' selected' : ''}`);
    group.setAttribute('data-status', task.status);
    group.setAttribute('aria-pressed', String(selected));
    const text = nodeText(task);
    group.setAttribute('aria-label', text.ariaLabel);
    const metaText = group.querySelector('.node-meta');
    if (metaText && metaText.textContent !== text.meta) metaText.textContent = text.meta;
    const title = group.querySelector('title');
    if (title) title.textContent = text.title;
    group.querySelector('.progress-fill')?.setAttribute('width', String(Math.round((NODE_WIDTH - 24) * progressShare(task))));
  }
}
