// The task graph's model: dagre's layout in plain Node (dependencies left of dependents, a fan-out
// parent after its children), when it must be laid out again, and each node's words and progress.
import * as assert from 'node:assert/strict';
import { computeLayout, edgePath, graphNotice, GROUP_WIDTH, layoutGraph, layoutInput, MAX_GRAPH_TASKS, NODE_WIDTH, nodeText, progressShare, structureKey, type GraphLayout } from '../../../webview-ui/src/graphModel';
import { taskView } from './dashboardFixtures';

function x(layout: GraphLayout, taskId: string): number {
  const node = layout.nodes.get(taskId);
  assert.ok(node, `no node ${taskId}`);
  return node.x;
}

function edges(layout: GraphLayout): string[] {
  return layout.edges.map((e) => `${e.from}${e.fanOut ? ' ⇢ ' : ' → '}${e.to}`).sort();
}

describe('webview: graph model', () => {
  it('lays a diamond out left to right: each task right of its dependencies, the two branches side by side', () => {
    const tasks = [
      taskView('TASK-1-1'),
      taskView('TASK-1-2', { dependsOn: ['TASK-1-1'] }),
      taskView('TASK-1-3', { dependsOn: ['TASK-1-1'] }),
      taskView('TASK-1-4', { dependsOn: ['TASK-1-2', 'TASK-1-3'] }),
    ];
    const layout = computeLayout(tasks);
    assert.deepEqual(edges(layout), ['TASK-1-1 → TASK-1-2', 'TASK-1-1 → TASK-1-3', 'TASK-1-2 → TASK-1-4', 'TASK-1-3 → TASK-1-4']);
    assert.ok(x(layout, 'TASK-1-1') < x(layout, 'TASK-1-2'));
    assert.equal(x(layout, 'TASK-1-2'), x(layout, 'TASK-1-3'));
    assert.notEqual(layout.nodes.get('TASK-1-2')!.y, layout.nodes.get('TASK-1-3')!.y);
    assert.ok(x(layout, 'TASK-1-3') < x(layout, 'TASK-1-4'));
    assert.ok(layout.width > 0 && layout.height > 0);
    for (const node of layout.nodes.values()) assert.ok(node.x <= layout.width && node.y <= layout.height);
    for (const edge of layout.edges) assert.ok(edge.points.length >= 2, 'every edge has a route');
  });

  it('leads a fan-out parent’s dependencies to its children and the children to it (dashed), so it sits after them', () => {
    const tasks = [
      taskView('TASK-1-1'),
      taskView('TASK-1-2', { dependsOn: ['TASK-1-1'] }),
      taskView('TASK-1-3', { parentId: 'TASK-1-2', dependsOn: ['TASK-1-1'] }),
      taskView('TASK-1-4', { parentId: 'TASK-1-2', dependsOn: ['TASK-1-1'] }),
      taskView('TASK-1-5', { dependsOn: ['TASK-1-2'] }),
    ];
    const layout = computeLayout(tasks);
    assert.deepEqual(edges(layout), [
      'TASK-1-1 → TASK-1-3',
      'TASK-1-1 → TASK-1-4',
      'TASK-1-2 → TASK-1-5',
      'TASK-1-3 ⇢ TASK-1-2',
      'TASK-1-4 ⇢ TASK-1-2',
    ]);
    assert.ok(x(layout, 'TASK-1-3') < x(layout, 'TASK-1-2') && x(layout, 'TASK-1-2') < x(layout, 'TASK-1-5'));
  });

  it('draws no edge to a task that is not in the graph', () => {
    const layout = computeLayout([taskView('TASK-1-2', { dependsOn: ['TASK-9-9'], parentId: 'TASK-9-8' })]);
    assert.deepEqual([...layout.nodes.keys()], ['TASK-1-2']);
    assert.deepEqual(layout.edges, []);
  });

  it('lays out again only when tasks, dependencies or parents change, not on a status or progress change', () => {
    const tasks = [taskView('TASK-1-1'), taskView('TASK-1-2', { dependsOn: ['TASK-1-1'] })];
    const key = structureKey(tasks);
    assert.equal(computeLayout(tasks).key, key);
    assert.equal(structureKey([taskView('TASK-1-1', { status: 'completed' }), taskView('TASK-1-2', { dependsOn: ['TASK-1-1'], status: 'running', progress: { step: 1, total: 2, message: '' } })]), key);
    assert.notEqual(structureKey([taskView('TASK-1-1'), taskView('TASK-1-2')]), key);
    assert.notEqual(structureKey([taskView('TASK-1-1'), taskView('TASK-1-2', { dependsOn: ['TASK-1-1'], parentId: 'TASK-1-1' })]), key);
    assert.notEqual(structureKey([...tasks, taskView('TASK-1-3')]), key);
  });

  it('draws nothing, saying why, without tasks or with more than it can lay out', () => {
    assert.equal(graphNotice([]), 'No tasks yet: import a plan.');
    assert.equal(graphNotice([taskView('TASK-1-1')]), undefined);
    const many = Array.from({ length: MAX_GRAPH_TASKS + 1 }, (_, i) => taskView(`TASK-1-${i + 1}`));
    assert.equal(graphNotice(many), `The plan has ${MAX_GRAPH_TASKS + 1} tasks; the graph is drawn for up to ${MAX_GRAPH_TASKS}. The task tree lists them all.`);
    assert.equal(graphNotice(many.slice(1)), undefined);
  });

  it('fills a node’s progress bar: all when completed, the agent’s steps while running (a sliver before the first), none otherwise', () => {
    assert.equal(progressShare(taskView('TASK-1-1', { status: 'completed' })), 1);
    assert.equal(progressShare(taskView('TASK-1-1', { status: 'running', progress: { step: 1, total: 4, message: '' } })), 0.25);
    assert.equal(progressShare(taskView('TASK-1-1', { status: 'running', progress: { step: 5, total: 4, message: '' } })), 1);
    assert.equal(progressShare(taskView('TASK-1-1', { status: 'running' })), 0.05);
    assert.equal(progressShare(taskView('TASK-1-1', { status: 'running', progress: { step: 0, total: 0, message: '' } })), 0.05);
    assert.equal(progressShare(taskView('TASK-1-1', { status: 'failed', progress: { step: 3, total: 4, message: '' } })), 0);
  });

  it('words a node: id, status and agent under the title; progress and error in its hover text', () => {
    const failed = nodeText(taskView('TASK-1-1', { title: 'Greet', status: 'timed_out', agent: 'codex', error: 'timed out after 30 min' }));
    assert.deepEqual(failed, {
      meta: 'TASK-1-1 · timed out · codex',
      title: 'TASK-1-1: Greet\ntimed out\ntimed out after 30 min',
      ariaLabel: 'TASK-1-1: Greet, timed out',
    });
    const running = nodeText(taskView('TASK-1-2', { title: 'Test', status: 'running', progress: { step: 2, total: 3, message: 'npm test' } }));
    assert.deepEqual([running.meta, running.title], ['TASK-1-2 · running', 'TASK-1-2: Test\nrunning (2/3 npm test)']);
  });

  it('routes an edge through its points as an SVG path', () => {
    assert.equal(edgePath([{ x: 1, y: 2 }, { x: 10.25, y: 20 }, { x: 30, y: 40.04 }]), 'M 1.0 2.0 L 10.3 20.0 L 30.0 40.0');
    assert.equal(edgePath([]), '');
  });

  it('gives a folded fan-out a wider node and a shape of its own, and its input crosses to the worker as plain data', () => {
    const tasks = [taskView('TASK-1-1'), taskView('TASK-1-2', { dependsOn: ['TASK-1-1'] }), taskView('TASK-1-3', { dependsOn: ['TASK-1-2', 'TASK-1-2'] })];
    const folded = new Set(['TASK-1-2']);
    assert.notEqual(structureKey(tasks, folded), structureKey(tasks), 'folding changes the shape, so the layout is not reused');
    const input = layoutInput(tasks, folded);
    assert.deepEqual(input.nodes.map((n) => n.width), [NODE_WIDTH, GROUP_WIDTH, NODE_WIDTH]);
    assert.deepEqual(input.edges, [
      { from: 'TASK-1-1', to: 'TASK-1-2', fanOut: false },
      { from: 'TASK-1-2', to: 'TASK-1-3', fanOut: false },
    ], 'a repeated dependency is one edge');
    assert.deepEqual(JSON.parse(JSON.stringify(input)), input);
    const layout = layoutGraph(input);
    assert.equal(layout.key, structureKey(tasks, folded));
    assert.ok(layout.width >= GROUP_WIDTH + 2 * NODE_WIDTH, `width ${layout.width}`);
  });
});
