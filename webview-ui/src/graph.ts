// The task graph: dagre lays the DAG out (left to right, dependencies before dependents; a big
// graph layeredLayout.ts), SVG draws it inside a panel that pans and zooms (graphView.ts). Big
// fan-outs are folded into one node until clicked, and folded back by a click on their parent
// (collapse.ts); the critical path is highlighted (criticalPath.ts). The layout
// is computed again only when the drawn shape changes, in a worker for big graphs
// (layoutEngine.ts), so the panel paints at once; status, progress and selection updates just
// restyle the existing nodes. graphModel.ts computes the layout and the words; this file draws
// them. The conflict radar's dashed red edges (overlapEdges.ts) sit in their own layer, redrawn
// when the pairs change, without laying the graph out again.
import type { DashboardOverlap, DashboardTaskView } from '../../src/shared/protocol';
import { collapseFanOuts, groupCounts, groupLabel, type CollapsedGraph, type FanOutGroup } from './collapse';
import { criticalPath, nodeWeights, pathLength, type CriticalPath } from './criticalPath';
import { h, svg } from './dom';
import { formatInteger, truncate } from './format';
import { edgePath, graphNotice, GROUP_WIDTH, layoutInput, NODE_HEIGHT, NODE_WIDTH, nodeText, progressShare, structureKey, type GraphLayout } from './graphModel';
import { GraphView } from './graphView';
import { afterFirstFrame, LayoutEngine, SYNC_LAYOUT_MAX } from './layoutEngine';
import { overlapEdges, overlapKey, overlapPath } from './overlapEdges';

interface Latest {
  readonly tasks: readonly DashboardTaskView[];
  readonly collapsed: CollapsedGraph;
  readonly selected: string | null;
  readonly overlaps: readonly DashboardOverlap[];
}

export class TaskGraph {
  private layout: GraphLayout | undefined;
  private readonly nodeElements = new Map<string, SVGGElement>();
  private readonly edgeElements = new Map<string, SVGPathElement>();
  private overlapLayer: SVGGElement | undefined;
  private drawnOverlaps: string | undefined;
  /** Fan-outs the user unfolded (by parent id). */
  private readonly expanded = new Set<string>();
  private readonly engine = new LayoutEngine();
  private readonly view = new GraphView('Task graph');
  /** The shape being laid out in the background, if any. */
  private pendingKey: string | undefined;
  private latest: Latest | undefined;
  private path: CriticalPath | undefined;
  private drawnPath = '';
  /**
   * The first big graph waits for the frame that shows the rest of the dashboard: folding it,
   * keying its shape and starting the layout worker take longer than that whole frame. Holds the
   * latest update until then; 'done' once the first one has gone through.
   */
  private deferred: { tasks: readonly DashboardTaskView[]; selected: string | null; overlaps: readonly DashboardOverlap[] } | 'done' | undefined;
  readonly element: HTMLElement;

  /** onLaidOut: a layout from the background was drawn (the legend's critical path may have changed). */
  constructor(
    private readonly onSelect: (taskId: string) => void,
    private readonly onLaidOut: () => void = () => undefined,
  ) {
    this.element = h('div', { class: 'graph', 'data-testid': 'dashboard-graph' }, this.view.controls, this.view.panel);
  }

  /** The legend's words for the critical path, when there is one worth showing. */
  get criticalPathLength(): string | undefined {
    return this.path && this.path.nodes.length > 1 ? pathLength(this.path.totalMs) : undefined;
  }

  update(tasks: readonly DashboardTaskView[], selected: string | null, overlaps: readonly DashboardOverlap[] = []): void {
    if (this.deferred !== 'done' && tasks.length > SYNC_LAYOUT_MAX) {
      if (this.deferred === undefined) {
        this.showMessage(`Laying out ${formatInteger(tasks.length)} tasks…`, true);
        afterFirstFrame(() => {
          const latest = this.deferred !== 'done' ? this.deferred : undefined;
          this.deferred = 'done';
          if (!latest) return;
          this.update(latest.tasks, latest.selected, latest.overlaps);
          // Drawn at once (a folded graph small enough, or a shape laid out before): the legend's path may show now.
          if (this.layout) this.onLaidOut();
        });
      }
      this.deferred = { tasks, selected, overlaps };
      return;
    }
    this.deferred = 'done';
    const collapsed = collapseFanOuts(tasks, this.expanded);
    const notice = graphNotice(tasks.length === 0 ? tasks : collapsed.tasks);
    if (notice !== undefined) {
      this.latest = undefined;
      this.pendingKey = undefined;
      this.showMessage(notice);
      return;
    }
    this.latest = { tasks, collapsed, selected, overlaps };
    const key = structureKey(collapsed.tasks, new Set(collapsed.groups.keys()));
    let show: (() => void) | undefined;
    if (this.layout?.key !== key) {
      const input = layoutInput(collapsed.tasks, new Set(collapsed.groups.keys()), key);
      const known = this.engine.cached(key) ?? (LayoutEngine.isSmall(input) ? this.engine.layoutNow(input) : undefined);
      if (known) show = this.draw(known, collapsed);
      else if (this.pendingKey !== key) {
        this.pendingKey = key;
        // Until it is ready the old drawing stays (restyled), or a line says what is happening.
        if (!this.layout) this.showMessage(`Laying out ${formatInteger(collapsed.tasks.length)} tasks…`, true);
        void this.engine.layoutLater(input).then((layout) => {
          if (this.pendingKey !== key) return;
          this.pendingKey = undefined;
          const latest = this.latest;
          if (!latest || structureKey(latest.collapsed.tasks, new Set(latest.collapsed.groups.keys())) !== key) return;
          const shown = this.draw(layout, latest.collapsed);
          this.restyleAll(latest);
          shown();
          performance.mark('dashboard-graph-drawn', { detail: { nodes: layout.nodes.size } });
          // The legend (main.ts re-renders) in a task of its own: the drawing paints first, and
          // neither waits for the other.
          afterFirstFrame(() => this.onLaidOut());
        });
      }
    }
    this.restyleAll(this.latest);
    show?.();
  }

  focus(taskId: string): void {
    const hiddenIn = this.latest?.collapsed.groups.size ? [...this.latest.collapsed.groups.values()].find((g) => g.childIds.includes(taskId)) : undefined;
    this.nodeElements.get(hiddenIn?.parentId ?? taskId)?.focus({ preventScroll: true });
  }

  private showMessage(text: string, busy = false): void {
    this.layout = undefined;
    this.path = undefined;
    this.nodeElements.clear();
    this.edgeElements.clear();
    this.view.clear();
    this.view.panel.replaceChildren(h('p', { class: 'empty', role: 'status', 'aria-busy': busy ? 'true' : undefined }, text));
  }

  private restyleAll(latest: Latest): void {
    if (!this.layout) return;
    if (this.drawnOverlaps !== overlapKey(latest.overlaps)) this.drawOverlaps(latest.overlaps);
    const { collapsed } = latest;
    this.path = criticalPath(nodeWeights(latest.tasks, collapsed.tasks, collapsed.groups), this.layout.edges);
    const onPath = new Set(this.path.nodes);
    for (const task of collapsed.tasks) this.restyle(task, task.taskId === latest.selected, onPath.has(task.taskId), collapsed.groups.get(task.taskId));
    const pathKey = this.path.nodes.join('>');
    if (pathKey !== this.drawnPath) {
      for (const [key, element] of this.edgeElements) element.classList.toggle('critical', this.path.edges.has(key));
      this.drawnPath = pathKey;
    }
  }

  /**
   * Builds the drawing; the function it returns puts it in view (measuring the panel), called
   * once the nodes are styled, so that the page's layout is worked out once, not twice.
   */
  private draw(layout: GraphLayout, collapsed: CollapsedGraph): () => void {
    this.layout = layout;
    this.nodeElements.clear();
    this.edgeElements.clear();
    this.drawnPath = '';
    const tasks = collapsed.tasks;
    this.view.setLabel(`Task graph: ${tasks.length} nodes${collapsed.groups.size > 0 ? `, ${collapsed.groups.size} folded fan-outs` : ''}`);
    const root = svg('svg', { class: 'graph-canvas', role: 'presentation' });
    root.append(
      svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }))),
    );
    const layer = svg('g', { class: 'graph-layer' });
    const edges = svg('g', { class: 'edges' });
    for (const edge of layout.edges) {
      const path = svg('path', { d: edgePath(edge.points), class: edge.fanOut ? 'edge fan-out' : 'edge', 'marker-end': 'url(#arrow)', 'data-from': edge.from, 'data-to': edge.to });
      this.edgeElements.set(`${edge.from}>${edge.to}`, path);
      edges.append(path);
    }
    layer.append(edges);
    // Between the dependency edges and the nodes: the curves run from border to border.
    this.overlapLayer = svg('g', { class: 'overlaps', 'data-testid': 'graph-overlaps' });
    this.drawnOverlaps = undefined;
    layer.append(this.overlapLayer);
    const nodes = svg('g', { class: 'nodes' });
    for (const task of tasks) {
      const position = layout.nodes.get(task.taskId);
      if (!position) continue;
      const group = collapsed.groups.get(task.taskId);
      const node = this.node(task, position, group);
      nodes.append(node);
      this.nodeElements.set(task.taskId, node);
    }
    layer.append(nodes);
    root.append(layer);
    this.view.panel.replaceChildren(root);
    // A small graph (the demo's, a plan of a few specs) is fitted whole; a big one first shown readable.
    return () => this.view.show(layer, { width: layout.width, height: layout.height }, layout.nodes.size > SYNC_LAYOUT_MAX ? graphStart(layout) : undefined);
  }

  private node(task: DashboardTaskView, position: { x: number; y: number }, group: FanOutGroup | undefined): SVGGElement {
    const width = group ? GROUP_WIDTH : NODE_WIDTH;
    const x = position.x - width / 2;
    const y = position.y - NODE_HEIGHT / 2;
    const node = svg(
      'g',
      { class: 'node', transform: `translate(${x.toFixed(1)} ${y.toFixed(1)})`, tabindex: 0, role: 'button', 'data-testid': 'graph-node', 'data-task-id': task.taskId, 'data-key': `node-${task.taskId}` },
      // A folded fan-out looks like a stack of cards.
      group ? svg('rect', { class: 'node-box node-stack', x: 4, y: -4, width, height: NODE_HEIGHT, rx: 4 }) : null,
      svg('rect', { class: 'node-box', width, height: NODE_HEIGHT, rx: 4 }),
      svg('rect', { class: 'node-status-bar', width: 4, height: NODE_HEIGHT, rx: 2 }),
      svg('text', { class: 'node-title', x: 12, y: 20 }, truncate(task.title, group ? 38 : 30)),
      svg('text', { class: 'node-meta', x: 12, y: 37 }),
      svg('rect', { class: 'progress-track', x: 12, y: NODE_HEIGHT - 11, width: width - 24, height: 4, rx: 2 }),
      svg('rect', { class: 'progress-fill', x: 12, y: NODE_HEIGHT - 11, width: 0, height: 4, rx: 2 }),
      svg('title', {}),
    );
    // A folded fan-out unfolds; its parent, clicked again once unfolded, folds it back.
    const activate = () => {
      if (group) this.expanded.add(task.taskId);
      else this.expanded.delete(task.taskId);
      this.onSelect(task.taskId);
    };
    node.addEventListener('click', () => {
      if (!this.view.consumeDragClick()) activate();
    });
    node.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        activate();
      }
    });
    node.addEventListener('focus', () => this.view.reveal({ x, y, width, height: NODE_HEIGHT }));
    return node;
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

  private restyle(task: DashboardTaskView, selected: boolean, critical: boolean, group: FanOutGroup | undefined): void {
    const node = this.nodeElements.get(task.taskId);
    if (!node) return;
    const unfolded = !group && this.expanded.has(task.taskId);
    node.setAttribute('class', `node status-${task.status}${selected ? ' selected' : ''}${critical ? ' critical' : ''}${group ? ' folded' : ''}${unfolded ? ' unfolded' : ''}`);
    node.setAttribute('data-status', task.status);
    node.setAttribute('aria-pressed', String(selected));
    const text = nodeText(task);
    const meta = group ? `${task.taskId} · ${groupCounts(group)}` : text.meta;
    const ariaLabel = group ? `${groupLabel(group)}: ${task.title}. Press Enter to unfold.` : unfolded ? `${text.ariaLabel}. Press Enter to fold its parts.` : text.ariaLabel;
    node.setAttribute('aria-label', critical ? `${ariaLabel} (on the critical path)` : ariaLabel);
    const metaText = node.querySelector('.node-meta');
    if (metaText && metaText.textContent !== meta) metaText.textContent = meta;
    const title = node.querySelector('title');
    if (title) title.textContent = group ? `${groupLabel(group)}\n${task.title}\nClick to show each part.` : unfolded ? `${text.title}\nClick to fold its parts again.` : text.title;
    const share = group ? (group.parts > 0 ? group.done / group.parts : 0) : progressShare(task);
    node.querySelector('.progress-fill')?.setAttribute('width', String(Math.round(((group ? GROUP_WIDTH : NODE_WIDTH) - 24) * share)));
  }
}

/** Where a graph begins, for a big one's first view: the top left corner of its first column's top node. */
function graphStart(layout: GraphLayout): { x: number; y: number } {
  let first: { x: number; y: number } | undefined;
  for (const p of layout.nodes.values()) if (!first || p.x < first.x || (p.x === first.x && p.y < first.y)) first = p;
  return first ? { x: Math.max(0, first.x - NODE_WIDTH / 2 - 12), y: Math.max(0, first.y - NODE_HEIGHT / 2 - 12) } : { x: 0, y: 0 };
}
