// The conflict radar in the task graph: a dashed red edge between the two tasks of every pair
// that touches the same files, with words naming the files. The edges are not part of dagre's
// layout (a pair is no dependency, and a pair appearing mid-run must not move the nodes): each
// is a curve from border to border of the two laid-out boxes, bowed sideways so that it does not
// hide behind a node between them. Two tasks of one column (independent tasks often are) are
// joined on their outer side by an arc into the gap beside the column, where it stays visible
// however close the boxes sit. This file touches no DOM, so it is tested in plain Node
// (test/unit/webview/); graph.ts draws the curves, overlaps.ts the list under the graph.
import type { DashboardOverlap } from '../../src/shared/protocol';
import { NODE_HEIGHT, NODE_WIDTH, type GraphLayout, type Point } from './graphModel';

/** How far a curve bows away from the straight line at most (px). */
const MAX_BOW = 48;
/** How far an arc beside a column reaches into the gap at most (px; its control point goes twice as far). */
const MAX_SIDE_REACH = 28;

export interface OverlapEdge {
  readonly taskA: string;
  readonly taskB: string;
  /** Where the curve leaves taskA's box and enters taskB's. */
  readonly start: Point;
  readonly end: Point;
  /** The quadratic curve's control point, inside the layout. */
  readonly control: Point;
  readonly conflict: boolean | null;
  readonly files: readonly string[];
  /** The hover text: who, which files, and whether their branches conflict. */
  readonly title: string;
}

/** What the overlap layer depends on: the pairs, their files and verdicts. */
export function overlapKey(overlaps: readonly DashboardOverlap[]): string {
  return overlaps.map((o) => `${o.taskA}|${o.taskB}|${o.files.join(',')}|${String(o.conflict)}`).join(';');
}

/** Says what the pair means, for the edge's hover text and the list under the graph. */
export function overlapWords(overlap: DashboardOverlap): { readonly summary: string; readonly verdict: string } {
  const files = overlap.files.length === 0 ? 'the same files' : overlap.files.join(', ');
  const verdict =
    overlap.conflict === true ? 'their branches conflict' : overlap.conflict === false ? 'their branches merge cleanly' : 'whether they conflict is known once both finish';
  return { summary: `${overlap.taskA} and ${overlap.taskB} both change ${files}`, verdict };
}

/** One edge per pair whose two tasks are both in the graph. */
export function overlapEdges(layout: GraphLayout, overlaps: readonly DashboardOverlap[]): OverlapEdge[] {
  const edges: OverlapEdge[] = [];
  for (const overlap of overlaps) {
    const a = layout.nodes.get(overlap.taskA);
    const b = layout.nodes.get(overlap.taskB);
    if (!a || !b || overlap.taskA === overlap.taskB) continue;
    const words = overlapWords(overlap);
    edges.push({
      taskA: overlap.taskA,
      taskB: overlap.taskB,
      ...(Math.abs(a.x - b.x) < NODE_WIDTH ? sideArc(a, b, layout) : bowedCurve(a, b, layout)),
      conflict: overlap.conflict,
      files: overlap.files,
      title: `${words.summary}\n${words.verdict}`,
    });
  }
  return edges;
}

/** The edge's SVG path: a quadratic curve from start through control's pull to end. */
export function overlapPath(edge: OverlapEdge): string {
  const f = (p: Point) => `${p.x.toFixed(1)} ${p.y.toFixed(1)}`;
  return `M ${f(edge.start)} Q ${f(edge.control)} ${f(edge.end)}`;
}

/** Two boxes side by side or apart: border to border, bowed off the straight line. */
function bowedCurve(a: Point, b: Point, layout: GraphLayout): { start: Point; end: Point; control: Point } {
  const start = borderPoint(a, b);
  const end = borderPoint(b, a);
  return { start, end, control: bowedControl(start, end, layout) };
}

/**
 * Two boxes of one column: from the middle of one's outer side to the other's, the arc reaching
 * into the gap beside the column on the side with more room (the right one when equal).
 */
function sideArc(a: Point, b: Point, layout: GraphLayout): { start: Point; end: Point; control: Point } {
  const right = layout.width - (Math.max(a.x, b.x) + NODE_WIDTH / 2);
  const left = Math.min(a.x, b.x) - NODE_WIDTH / 2;
  const side = right >= left ? 1 : -1;
  const room = Math.max(0, side === 1 ? right : left);
  const reach = Math.min(MAX_SIDE_REACH, room);
  const start = { x: a.x + (side * NODE_WIDTH) / 2, y: a.y };
  const end = { x: b.x + (side * NODE_WIDTH) / 2, y: b.y };
  // A quadratic curve reaches halfway to its control point.
  const outer = side === 1 ? Math.max(start.x, end.x) : Math.min(start.x, end.x);
  return { start, end, control: { x: outer + side * 2 * reach, y: (a.y + b.y) / 2 } };
}

/** Where the line from `from`'s centre towards `to`'s centre leaves `from`'s box. */
function borderPoint(from: Point, to: Point): Point {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  if (dx === 0 && dy === 0) return from;
  const scale = Math.min(dx === 0 ? Infinity : NODE_WIDTH / 2 / Math.abs(dx), dy === 0 ? Infinity : NODE_HEIGHT / 2 / Math.abs(dy));
  return { x: from.x + dx * scale, y: from.y + dy * scale };
}

/**
 * The control point: the midpoint pushed sideways (to the right of the direction of travel), by a
 * fifth of the distance up to MAX_BOW, and kept inside the layout so that the curve (which lies in
 * the triangle of its three points) stays inside the SVG's viewBox.
 */
function bowedControl(start: Point, end: Point, layout: GraphLayout): Point {
  const dx = end.x - start.x;
  const dy = end.y - start.y;
  const length = Math.hypot(dx, dy);
  const mid = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 };
  if (length === 0) return mid;
  const bow = Math.min(MAX_BOW, length / 5);
  const clamp = (value: number, max: number) => Math.min(Math.max(value, 0), max);
  return { x: clamp(mid.x - (dy / length) * bow, layout.width), y: clamp(mid.y + (dx / length) * bow, layout.height) };
}
