// The task tree with 1,000 tasks: the model reloads from a real store and the provider renders
// every item. Prints the timings (never asserts them: machines differ); asserts that a status
// change refreshes only the changed rows, so the view is never rebuilt for a step of the run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { loadPlan } from '../../src/core/plan/loadPlan';
import { OrchestratorStore } from '../../src/core/store';
import { TaskTreeModel, type TaskTreeNode } from '../../src/vscode/tree/TaskTreeModel';
import type { TreeElement } from '../../src/vscode/tree/changeNodes';
import { TaskTreeProvider } from '../../src/vscode/tree/TaskTreeProvider';
import { report } from './helpers';

const SPECS = 10;
const TASKS_PER_SPEC = 100;

function bigPlan(): string {
  const lines = ['# A plan with 1,000 tasks', ''];
  for (let spec = 1; spec <= SPECS; spec++) {
    lines.push(`## SPEC-${String(spec).padStart(3, '0')}: Area ${spec}`, '');
    for (let task = 1; task <= TASKS_PER_SPEC; task++) {
      const after = task > 1 ? `after: TASK-${spec}-${task - 1}; ` : '';
      lines.push(`- [ ] TASK-${spec}-${task}: Task ${task} of area ${spec} {${after}est: ${1 + (task % 5)}h; files: area${spec}/file${task}.ts}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

describe('task tree with 1,000 tasks', function () {
  this.timeout(60_000);
  let dir: string;
  let store: OrchestratorStore;
  const changed = new vscode.EventEmitter<void>();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ao-tree-'));
    const planPath = path.join(dir, 'big.plan.md');
    fs.writeFileSync(planPath, bigPlan());
    store = await OrchestratorStore.open(path.join(dir, 'orchestrator.db'));
    store.savePlan(await loadPlan(planPath));
  });

  after(async () => {
    await store.close();
    changed.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads, renders, and refreshes only what changed', async () => {
    const model = new TaskTreeModel({ read: () => ({ tasks: store.listTasks(), specs: store.listSpecs() }), onDidChange: changed.event }, undefined, { debounceMs: 0 });
    const provider = new TaskTreeProvider(model);
    const events: Array<TaskTreeNode[] | undefined> = [];
    const subscription = model.onDidChange((nodes) => events.push(nodes));
    try {
      const walk = (): number => {
        let items = 0;
        const visit = (node: TreeElement | undefined) => {
          const children = provider.getChildren(node);
          // Without a changes cache the provider loads no changed files: every answer is synchronous.
          assert.ok(Array.isArray(children), 'the tree answered a task\'s children asynchronously');
          for (const child of children) {
            provider.getTreeItem(child);
            items++;
            visit(child);
          }
        };
        visit(undefined);
        return items;
      };

      let started = performance.now();
      model.refresh();
      const loadMs = performance.now() - started;
      started = performance.now();
      const items = walk();
      const walkMs = performance.now() - started;
      assert.equal(items, SPECS + SPECS * TASKS_PER_SPEC);
      assert.deepEqual([...events], [undefined], 'the first load is a full refresh');
      report('tree, 1,000 tasks: model load (query + diff)', `${loadMs.toFixed(1)} ms`);
      report('tree, 1,000 tasks: provider renders all 1,010 items', `${walkMs.toFixed(1)} ms`);

      // Ten tasks change status: only they (and their spec groups) are re-rendered.
      events.length = 0;
      const moved = Array.from({ length: 10 }, (_, i) => `TASK-${i + 1}-1`);
      store.markSpecTasksReady(moved);
      started = performance.now();
      model.refresh();
      const nodes = events[0];
      assert.ok(nodes, 'a status change rebuilt the whole tree instead of refreshing the changed rows');
      for (const node of nodes) provider.getTreeItem(node);
      const incrementalMs = performance.now() - started;
      assert.deepEqual(nodes.filter((n) => n.kind === 'task').map((n) => (n.kind === 'task' ? n.taskId : '')).sort(), [...moved].sort());
      report('tree, 1,000 tasks: refresh after 10 status changes (reload + 20 items)', `${incrementalMs.toFixed(1)} ms`);

      started = performance.now();
      model.grouping = 'status';
      walk();
      report('tree, 1,000 tasks: regroup by status + render all', `${(performance.now() - started).toFixed(1)} ms`);

      // The debounced path: a burst of store changes becomes one reload.
      events.length = 0;
      for (let i = 0; i < 50; i++) changed.fire();
      await new Promise<void>((resolve) => setTimeout(resolve, 50));
      assert.ok(events.length <= 1, `${events.length} reloads for one burst of changes`);
    } finally {
      subscription.dispose();
      model.dispose();
    }
  });
});
