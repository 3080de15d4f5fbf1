// The layered layout for big graphs (webview-ui/src/layeredLayout.ts): every task right of its
// dependencies, no two nodes of a column overlapping, edges routed from border to border through
// the columns they cross, a plan of a thousand tasks in a fraction of dagre's time.
import * as assert from 'node:assert/strict';
import { DAGRE_MAX_NODES, layoutGraph, layoutInput, NODE_HEIGHT, NODE_WIDTH, type GraphLayout, type LayoutInput } from '../../../webview-ui/src/graphModel';
import { columns, layeredLayout, type LayeredSpacing } from '../../../webview-ui/src/layeredLayout';
import { taskView } from './dashboardFixtures';

const SPACING: LayeredSpacing = { nodeHeight: NODE_HEIGHT, nodeGap: 18, edgeGap: 10, columnGap: 56, margin: 12 };

/** A plan like a big real one: specs of 50 tasks, each waiting for one or two of the ten before it, a few across specs. */
function bigPlan(count: number): LayoutInput {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const tasks = Array.from({ length: count }, (_, i) => {
    const spec = Math.floor(i / 50);
    const index = i % 50;
    const dependsOn = new Set<string>();
    if (index > 0) for (let k = 0; k < 1 + Math.floor(random() * 2); k++) dependsOn.add(`T-${spec}-${Math.max(0, index - 1 - Math.floor(random() * 10))}`);
    if (spec > 0 && random() < 0.05) dependsOn.add(`T-${spec - 1}-${Math.floor(random() * 50)}`);
    return taskView(`T-${spec}-${index}`, { dependsOn: [...dependsOn] });
  });
  return layoutInput(tasks);
}

function assertWellFormed(input: LayoutInput, layout: GraphLayout): void {
  assert.equal(layout.nodes.size, input.nodes.length);
  const width = new Map(input.nodes.map((n) => [n.id, n.width]));
  for (const edge of layout.edges) {
    const from = layout.nodes.get(edge.from)!;
    const to = layout.nodes.get(edge.to)!;
    assert.ok(from.x < to.x, `${edge.from} → ${edge.to}: the dependent is not right of its dependency`);
    const points = edge.points;
    assert.deepEqual(points[0], { x: from.x + width.get(edge.from)! / 2, y: from.y }, `${edge.from} → ${edge.to} does not leave from the right border`);
    assert.deepEqual(points[points.length - 1], { x: to.x - width.get(edge.to)! / 2, y: to.y }, `${edge.from} → ${edge.to} does not end at the left border`);
    for (let i = 1; i < points.length; i++) assert.ok(points[i]!.x > points[i - 1]!.x, `${edge.from} → ${edge.to} turns back`);
  }
  const byColumn = new Map<number, Array<{ id: string; y: number }>>();
  for (const [id, p] of layout.nodes) byColumn.set(p.x, [...(byColumn.get(p.x) ?? []), { id, y: p.y }]);
  for (const column of byColumn.values()) {
    column.sort((a, b) => a.y - b.y);
    for (let i = 1; i < column.length; i++) {
      assert.ok(column[i]!.y - column[i - 1]!.y >= NODE_HEIGHT + SPACING.nodeGap - 1e-6, `${column[i - 1]!.id} and ${column[i]!.id} overlap`);
    }
  }
  for (const [id, p] of layout.nodes) {
    const w = width.get(id)!;
    assert.ok(p.x - w / 2 >= 0 && p.x + w / 2 <= layout.width, `${id} is outside the drawing's width`);
    assert.ok(p.y - NODE_HEIGHT / 2 >= 0 && p.y + NODE_HEIGHT / 2 <= layout.height, `${id} is outside the drawing's height`);
  }
}

describe('webview: layered layout', () => {
  it('puts each task one column right of its furthest dependency', () => {
    const input = layoutInput([
      taskView('A'),
      taskView('B', { dependsOn: ['A'] }),
      taskView('C', { dependsOn: ['A', 'B'] }),
      taskView('D'),
      taskView('E', { dependsOn: ['D', 'C'] }),
    ]);
    assert.deepEqual(Object.fromEntries(columns(input)), { A: 0, B: 1, C: 2, D: 0, E: 3 });
  });

  it('lays a diamond out like dagre: the branches in one column, one above the other, the join between them', () => {
    const input = layoutInput([taskView('A'), taskView('B', { dependsOn: ['A'] }), taskView('C', { dependsOn: ['A'] }), taskView('D', { dependsOn: ['B', 'C'] })]);
    const layout = layeredLayout(input, SPACING);
    assertWellFormed(input, layout);
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((id) => layout.nodes.get(id)!);
    assert.equal(b!.x, c!.x);
    assert.notEqual(b!.y, c!.y);
    assert.equal(d!.y, (b!.y + c!.y) / 2, 'the join sits between its two dependencies');
    assert.equal(a!.y, d!.y);
  });

  it('routes an edge that skips columns through one waypoint per column, clear of the nodes there', () => {
    const input = layoutInput([taskView('A'), taskView('B', { dependsOn: ['A'] }), taskView('C', { dependsOn: ['B'] }), taskView('D', { dependsOn: ['A', 'C'] })]);
    const layout = layeredLayout(input, SPACING);
    assertWellFormed(input, layout);
    const long = layout.edges.find((e) => e.from === 'A' && e.to === 'D')!;
    assert.equal(long.points.length, 4, 'two columns crossed: two waypoints between the borders');
    for (const id of ['B', 'C']) {
      const node = layout.nodes.get(id)!;
      const through = long.points.find((p) => p.x === node.x)!;
      assert.ok(Math.abs(through.y - node.y) >= NODE_HEIGHT / 2, `the edge A → D runs through ${id}`);
    }
  });

  it('lays out a thousand-task plan well formed, far faster than dagre does (seconds)', () => {
    const input = bigPlan(1000);
    const started = performance.now();
    const layout = layeredLayout(input, SPACING);
    const ms = performance.now() - started;
    assertWellFormed(input, layout);
    assert.ok(ms < 1500, `took ${ms.toFixed(0)} ms`);
  });

  it('is what layoutGraph uses above DAGRE_MAX_NODES, and keeps the shape key and the fan-out edges', () => {
    const tasks = Array.from({ length: DAGRE_MAX_NODES + 1 }, (_, i) => taskView(`T-${i}`, { dependsOn: i > 0 ? [`T-${i - 1}`] : [], parentId: i > 0 && i < 4 ? 'T-0' : null }));
    const input = layoutInput(tasks);
    const layout = layoutGraph(input);
    assert.deepEqual(layout, layeredLayout(input, SPACING));
    assert.equal(layout.key, input.key);
    assert.equal(layout.edges.filter((e) => e.fanOut).length, 3);
  });

  it('places every node of a cycle (which a validated plan never has) without looping', () => {
    const input: LayoutInput = { key: 'cycle', nodes: ['A', 'B', 'C'].map((id) => ({ id, width: NODE_WIDTH })), edges: [{ from: 'A', to: 'B', fanOut: false }, { from: 'B', to: 'C', fanOut: false }, { from: 'C', to: 'A', fanOut: false }] };
    const layout = layeredLayout(input, SPACING);
    assert.deepEqual([...layout.nodes.keys()].sort(), ['A', 'B', 'C']);
    for (const p of layout.nodes.values()) assert.ok(Number.isFinite(p.x) && Number.isFinite(p.y));
    assert.equal(layout.edges.length, 3);
  });

  it('draws an empty graph as just its margins', () => {
    const layout = layeredLayout({ key: '', nodes: [], edges: [] }, SPACING);
    assert.deepEqual({ width: layout.width, height: layout.height, nodes: layout.nodes.size }, { width: 24, height: 24, nodes: 0 });
  });
});
