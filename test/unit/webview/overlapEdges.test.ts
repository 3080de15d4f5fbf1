// The conflict radar in the graph: a dashed red curve per pair of tasks touching the same files,
// from border to border of their boxes, inside the drawing, with words naming the files and the
// verdict; and it never changes the layout (the dependency edges and node positions stay).
import * as assert from 'node:assert/strict';
import type { DashboardOverlap } from '../../../src/shared/protocol';
import { computeLayout, NODE_HEIGHT, NODE_WIDTH, structureKey, type GraphLayout, type Point } from '../../../webview-ui/src/graphModel';
import { overlapEdges, overlapKey, overlapPath, overlapWords, type OverlapEdge } from '../../../webview-ui/src/overlapEdges';
import { taskView } from './dashboardFixtures';

function pair(taskA: string, taskB: string, files: string[], conflict: boolean | null = null): DashboardOverlap {
  return { taskA, taskB, files, conflict };
}

/** Whether `p` lies on the border of the node box centred at `centre` (within rounding). */
function onBorder(p: Point, centre: Point): boolean {
  const dx = Math.abs(p.x - centre.x);
  const dy = Math.abs(p.y - centre.y);
  const eps = 0.01;
  return (Math.abs(dx - NODE_WIDTH / 2) < eps && dy <= NODE_HEIGHT / 2 + eps) || (Math.abs(dy - NODE_HEIGHT / 2) < eps && dx <= NODE_WIDTH / 2 + eps);
}

function inside(p: Point, layout: GraphLayout): boolean {
  return p.x >= -0.01 && p.y >= -0.01 && p.x <= layout.width + 0.01 && p.y <= layout.height + 0.01;
}

/** Points along the drawn quadratic curve. */
function along(edge: OverlapEdge): Point[] {
  return Array.from({ length: 21 }, (_, i) => {
    const t = i / 20;
    const f = (a: number, c: number, b: number) => (1 - t) * (1 - t) * a + 2 * (1 - t) * t * c + t * t * b;
    return { x: f(edge.start.x, edge.control.x, edge.end.x), y: f(edge.start.y, edge.control.y, edge.end.y) };
  });
}

describe('webview: conflict radar edges', () => {
  // A diamond: TASK-1-2 and TASK-1-3 sit in one column (independent), TASK-1-4 after both.
  const tasks = [
    taskView('TASK-1-1'),
    taskView('TASK-1-2', { dependsOn: ['TASK-1-1'] }),
    taskView('TASK-1-3', { dependsOn: ['TASK-1-1'] }),
    taskView('TASK-1-4', { dependsOn: ['TASK-1-2', 'TASK-1-3'] }),
    taskView('TASK-1-5'),
  ];
  const layout = computeLayout(tasks);

  it('draws one edge per pair, from the border of one box to the border of the other, bowed, inside the drawing', () => {
    // TASK-1-2/TASK-1-3 share a column; TASK-1-5 (first column) and TASK-1-4 (last) do not.
    const edges = overlapEdges(layout, [pair('TASK-1-2', 'TASK-1-3', ['src/a.ts']), pair('TASK-1-4', 'TASK-1-5', ['README.md', 'b.txt'], true)]);
    assert.deepEqual(edges.map((e) => `${e.taskA}~${e.taskB}`), ['TASK-1-2~TASK-1-3', 'TASK-1-4~TASK-1-5']);
    for (const edge of edges) {
      const a = layout.nodes.get(edge.taskA)!;
      const b = layout.nodes.get(edge.taskB)!;
      assert.ok(onBorder(edge.start, a), `${edge.taskA}: start ${JSON.stringify(edge.start)} is not on its box`);
      assert.ok(onBorder(edge.end, b), `${edge.taskB}: end ${JSON.stringify(edge.end)} is not on its box`);
      for (const p of along(edge)) assert.ok(inside(p, layout), `the curve leaves the drawing at ${JSON.stringify(p)}`);
      // Bowed: the control point is off the straight line between the two ends.
      const cross = (edge.end.x - edge.start.x) * (edge.control.y - edge.start.y) - (edge.end.y - edge.start.y) * (edge.control.x - edge.start.x);
      assert.ok(Math.abs(cross) > 1, 'the curve is a straight line');
      assert.match(overlapPath(edge), /^M -?[\d.]+ -?[\d.]+ Q -?[\d.]+ -?[\d.]+ -?[\d.]+ -?[\d.]+$/);
    }
  });

  it('joins two tasks of one column on the same outer side, by an arc that reaches visibly into the gap beside it', () => {
    const [column] = overlapEdges(layout, [pair('TASK-1-2', 'TASK-1-3', ['src/a.ts'])]);
    const a = layout.nodes.get('TASK-1-2')!;
    const b = layout.nodes.get('TASK-1-3')!;
    assert.equal(a.x, b.x, 'precondition: one column');
    assert.equal(column.start.x, column.end.x, 'both ends on the same side');
    assert.equal(Math.abs(column.start.x - a.x), NODE_WIDTH / 2);
    assert.deepEqual([column.start.y, column.end.y], [a.y, b.y], 'from the middle of each side');
    const reach = Math.max(...along(column).map((p) => Math.abs(p.x - column.start.x)));
    assert.ok(reach >= 10, `the arc reaches only ${reach.toFixed(1)} px beside the column`);
    // It stays beside the boxes: never inside the column's x range.
    for (const p of along(column)) assert.ok(Math.abs(p.x - a.x) >= NODE_WIDTH / 2 - 0.01, `the arc crosses the boxes at ${JSON.stringify(p)}`);
  });

  it('names the files and the verdict in the edge’s hover text', () => {
    const [unknown, conflict, clean] = overlapEdges(layout, [pair('TASK-1-2', 'TASK-1-3', ['src/a.ts', 'src/b.ts']), pair('TASK-1-1', 'TASK-1-5', ['x'], true), pair('TASK-1-4', 'TASK-1-5', ['y'], false)]);
    assert.equal(unknown.title, 'TASK-1-2 and TASK-1-3 both change src/a.ts, src/b.ts\nwhether they conflict is known once both finish');
    assert.equal(conflict.title, 'TASK-1-1 and TASK-1-5 both change x\ntheir branches conflict');
    assert.equal(clean.title, 'TASK-1-4 and TASK-1-5 both change y\ntheir branches merge cleanly');
    assert.deepEqual([unknown.conflict, conflict.conflict, clean.conflict], [null, true, false]);
    assert.deepEqual(unknown.files, ['src/a.ts', 'src/b.ts']);
    assert.equal(overlapWords(pair('TASK-1-1', 'TASK-1-2', [])).summary, 'TASK-1-1 and TASK-1-2 both change the same files');
  });

  it('skips a pair whose task is not in the graph, and a pair of a task with itself', () => {
    assert.deepEqual(overlapEdges(layout, [pair('TASK-1-2', 'TASK-9-9', ['a']), pair('TASK-9-8', 'TASK-1-2', ['a']), pair('TASK-1-2', 'TASK-1-2', ['a'])]), []);
    assert.deepEqual(overlapEdges(layout, []), []);
  });

  it('leaves the layout alone: no new dagre edge, the same nodes and positions, the same structure key', () => {
    const before = computeLayout(tasks);
    overlapEdges(before, [pair('TASK-1-2', 'TASK-1-3', ['a'])]);
    const again = computeLayout(tasks);
    assert.equal(before.edges.length, 4);
    assert.deepEqual([...before.nodes.entries()], [...again.nodes.entries()]);
    assert.equal(before.key, structureKey(tasks));
  });

  it('redraws the radar layer only when a pair, its files or its verdict change', () => {
    const base = [pair('TASK-1-2', 'TASK-1-3', ['a'])];
    const key = overlapKey(base);
    assert.equal(overlapKey([pair('TASK-1-2', 'TASK-1-3', ['a'])]), key);
    assert.notEqual(overlapKey([pair('TASK-1-2', 'TASK-1-3', ['a', 'b'])]), key);
    assert.notEqual(overlapKey([pair('TASK-1-2', 'TASK-1-3', ['a'], true)]), key);
    assert.notEqual(overlapKey([...base, pair('TASK-1-1', 'TASK-1-5', ['a'])]), key);
    assert.notEqual(overlapKey([]), key);
  });
});
