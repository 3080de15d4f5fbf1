// A layered layout for big task graphs, where dagre takes seconds (its network-simplex ranking and
// crossing reduction grow much faster than the graph). Same picture as dagre's (left to right,
// each task in a column right of its dependencies, long edges routed between the columns), made
// in a few linear passes: columns by the longest chain of dependencies, an order in each column
// by a few barycentre sweeps, rows placed towards their neighbours, edges through their
// waypoints. graphModel.ts picks it above DAGRE_MAX_NODES; this file touches no DOM, so it is
// tested in plain Node (test/unit/webview/) and runs in the layout worker as it is.
import type { GraphEdge, GraphLayout, LayoutInput, Point } from './layoutTypes';

export interface LayeredSpacing {
  /** Every node's height (the graph is drawn left to right, so this is its extent in a column). */
  readonly nodeHeight: number;
  /** Between two nodes in a column. */
  readonly nodeGap: number;
  /** Between two edges passing through a column. */
  readonly edgeGap: number;
  /** Between two columns. */
  readonly columnGap: number;
  readonly margin: number;
}

/** Sweeps of the ordering (each one down the columns and back up). */
const ORDER_SWEEPS = 4;

/** A node in a column: a task, or a waypoint of an edge that crosses the column. */
interface Slot {
  readonly id: string;
  /** Width along the drawing's x (a waypoint has none). */
  readonly width: number;
  readonly height: number;
  readonly column: number;
  /** Neighbours in the column before and after (tasks or waypoints). */
  readonly before: Slot[];
  readonly after: Slot[];
  order: number;
  y: number;
}

export function layeredLayout(input: LayoutInput, spacing: LayeredSpacing): GraphLayout {
  const columnOf = columns(input);
  const slots = new Map<string, Slot>();
  const slot = (id: string, width: number, height: number, column: number): Slot => {
    const made: Slot = { id, width, height, column, before: [], after: [], order: 0, y: 0 };
    slots.set(id, made);
    return made;
  };
  for (const node of input.nodes) slot(node.id, node.width, spacing.nodeHeight, columnOf.get(node.id)!);
  // Each forward edge becomes a chain through one waypoint per column it crosses.
  const chains: Array<{ edge: LayoutInput['edges'][number]; path: Slot[] }> = [];
  let waypoint = 0;
  for (const edge of input.edges) {
    const from = slots.get(edge.from);
    const to = slots.get(edge.to);
    if (!from || !to || from === to) continue;
    const path = [from];
    if (to.column > from.column) {
      for (let column = from.column + 1; column < to.column; column++) path.push(slot(`\0${waypoint++}`, 0, 0, column));
    }
    path.push(to);
    if (to.column > from.column) {
      for (let i = 1; i < path.length; i++) {
        path[i - 1]!.after.push(path[i]!);
        path[i]!.before.push(path[i - 1]!);
      }
    }
    chains.push({ edge, path });
  }
  const byColumn = orderColumns(slots);
  const xs = columnCentres(byColumn, spacing);
  placeRows(byColumn, spacing);
  let top = Infinity;
  let bottom = -Infinity;
  for (const s of slots.values()) {
    top = Math.min(top, s.y - s.height / 2);
    bottom = Math.max(bottom, s.y + s.height / 2);
  }
  const shift = spacing.margin - (Number.isFinite(top) ? top : 0);
  const centre = (s: Slot): Point => ({ x: xs[s.column]!, y: s.y + shift });
  const nodes = new Map<string, Point>(input.nodes.map((n) => [n.id, centre(slots.get(n.id)!)]));
  const edges: GraphEdge[] = chains.map(({ edge, path }) => {
    const first = path[0]!;
    const last = path[path.length - 1]!;
    const forward = last.column > first.column;
    const start = centre(first);
    const end = centre(last);
    const points: Point[] = [{ x: start.x + (forward ? first.width / 2 : 0), y: start.y }];
    for (let i = 1; i < path.length - 1; i++) points.push(centre(path[i]!));
    points.push({ x: end.x - (forward ? last.width / 2 : 0), y: end.y });
    return { from: edge.from, to: edge.to, points, fanOut: edge.fanOut };
  });
  const lastColumn = byColumn.length - 1;
  const width = lastColumn < 0 ? 2 * spacing.margin : xs[lastColumn]! + columnWidth(byColumn[lastColumn]!) / 2 + spacing.margin;
  const height = Number.isFinite(bottom) ? bottom - top + 2 * spacing.margin : 2 * spacing.margin;
  return { key: input.key, width, height, nodes, edges };
}

/**
 * Each node's column: one right of its furthest dependency (the longest chain of edges leading
 * to it). Nodes in a cycle, which a validated plan never has, go right of whatever reaches them.
 */
export function columns(input: LayoutInput): Map<string, number> {
  const incoming = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const node of input.nodes) {
    incoming.set(node.id, 0);
    next.set(node.id, []);
  }
  for (const edge of input.edges) {
    if (!incoming.has(edge.from) || !incoming.has(edge.to) || edge.from === edge.to) continue;
    next.get(edge.from)!.push(edge.to);
    incoming.set(edge.to, incoming.get(edge.to)! + 1);
  }
  const column = new Map<string, number>();
  const queue = input.nodes.filter((n) => incoming.get(n.id) === 0).map((n) => n.id);
  for (const id of queue) column.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const to of next.get(id)!) {
      column.set(to, Math.max(column.get(to) ?? 0, column.get(id)! + 1));
      const left = incoming.get(to)! - 1;
      incoming.set(to, left);
      if (left === 0) queue.push(to);
    }
  }
  for (const node of input.nodes) if (!column.has(node.id)) column.set(node.id, 0);
  return column;
}

/** The slots of each column in order: first as the input lists them, then by barycentre sweeps. */
function orderColumns(slots: ReadonlyMap<string, Slot>): Slot[][] {
  const byColumn: Slot[][] = [];
  // Tasks first in the input's order (a plan's order groups a spec's tasks), then waypoints.
  for (const s of slots.values()) (byColumn[s.column] ??= []).push(s);
  for (let c = 0; c < byColumn.length; c++) byColumn[c] ??= [];
  const renumber = (column: Slot[]) => column.forEach((s, i) => (s.order = i));
  byColumn.forEach(renumber);
  // A waypoint starts next to where its edge comes from.
  for (const column of byColumn) {
    column.sort((a, b) => key(a) - key(b));
    renumber(column);
  }
  function key(s: Slot): number {
    return s.width === 0 && s.before.length > 0 ? s.before[0]!.order + 0.5 : s.order;
  }
  const sweep = (columnsInTurn: Slot[][], neighbours: (s: Slot) => Slot[]) => {
    for (const column of columnsInTurn) {
      const weight = new Map<Slot, number>();
      for (const s of column) {
        const around = neighbours(s);
        weight.set(s, around.length === 0 ? s.order : around.reduce((sum, n) => sum + n.order, 0) / around.length);
      }
      // Stable: ties keep the current order.
      column.sort((a, b) => weight.get(a)! - weight.get(b)! || a.order - b.order);
      renumber(column);
    }
  };
  for (let i = 0; i < ORDER_SWEEPS; i++) {
    sweep(byColumn.slice(1), (s) => s.before);
    sweep(byColumn.slice(0, -1).reverse(), (s) => s.after);
  }
  return byColumn;
}

function columnWidth(column: readonly Slot[]): number {
  return column.reduce((widest, s) => Math.max(widest, s.width), 0);
}

/** Each column's centre along x: as wide as its widest node, the gap between columns. */
function columnCentres(byColumn: readonly Slot[][], spacing: LayeredSpacing): number[] {
  const xs: number[] = [];
  let left = spacing.margin;
  for (const column of byColumn) {
    const width = columnWidth(column);
    xs.push(left + width / 2);
    left += width + spacing.columnGap;
  }
  return xs;
}

/**
 * Rows: each slot as near as its column's order allows to the mean row of its neighbours in the
 * column before (a pass left to right), then after (right to left), each column then moved as a
 * whole so that it sits, on average, where its slots wanted to be.
 */
function placeRows(byColumn: readonly Slot[][], spacing: LayeredSpacing): void {
  const gap = (a: Slot, b: Slot) => (a.height === 0 && b.height === 0 ? spacing.edgeGap : spacing.nodeGap);
  const place = (column: readonly Slot[], wanted: (s: Slot) => number | undefined) => {
    let bottom = -Infinity;
    let previous: Slot | undefined;
    let offset = 0;
    let counted = 0;
    for (const s of column) {
      const want = wanted(s);
      const lowest = previous ? bottom + gap(previous, s) + s.height / 2 : -Infinity;
      s.y = Math.max(want ?? lowest, lowest);
      if (!Number.isFinite(s.y)) s.y = s.height / 2;
      if (want !== undefined) {
        offset += s.y - want;
        counted++;
      }
      bottom = s.y + s.height / 2;
      previous = s;
    }
    if (counted > 0) for (const s of column) s.y -= offset / counted;
  };
  const mean = (around: readonly Slot[]) => (around.length === 0 ? undefined : around.reduce((sum, n) => sum + n.y, 0) / around.length);
  byColumn.forEach((column) => place(column, () => undefined));
  for (const column of byColumn.slice(1)) place(column, (s) => mean(s.before));
  for (const column of byColumn.slice(0, -1).reverse()) place(column, (s) => mean(s.after) ?? mean(s.before));
}
