// The walkthrough's example plan (src/vscode/commands/examplePlanText.ts) is a valid plan and runs
// to completion with the scripted agent: a real git repository, the real engine and agent.
import * as assert from 'node:assert/strict';
import { git, useWorkspaces } from '../engine/engineFixture';
import { EXAMPLE_PLAN, EXAMPLE_PLAN_FILE } from '../../../src/vscode/commands/examplePlanText';

describe('the example plan', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('imports as three tasks, the third after the other two, and every task writes its file with the scripted agent', async () => {
    const ws = workspace();
    const orchestrator = await ws.open({ defaultAgent: 'scripted', maxParallel: 2 });
    const { plan } = await orchestrator.importPlan(ws.writePlan(EXAMPLE_PLAN, EXAMPLE_PLAN_FILE));
    assert.deepEqual(plan.specs.map((spec) => spec.id), ['SPEC-001']);
    assert.deepEqual(plan.tasks.map((task) => task.id), ['TASK-1-1', 'TASK-1-2', 'TASK-1-3']);
    assert.deepEqual(plan.tasks[2].dependsOn, ['TASK-1-1', 'TASK-1-2']);
    assert.deepEqual(plan.tasks.map((task) => task.agent), [undefined, undefined, undefined], 'the example names no agent: the default agent runs it');

    const result = await orchestrator.run();
    assert.equal(result.status, 'completed');
    assert.deepEqual(orchestrator.dispatchedTasks().map((row) => [row.taskId, row.status]).sort(), [['TASK-1-1', 'completed'], ['TASK-1-2', 'completed'], ['TASK-1-3', 'completed']]);
    const branch = 'orch/TASK-1-3/a1';
    // The last task builds on both others: its branch holds all three files.
    assert.equal(git(ws.repo, 'show', `${branch}:greeting/greet.js`).trim(), "exports.greet = (name) => 'Hello, ' + name + '!';");
    assert.equal(git(ws.repo, 'show', `${branch}:greeting/NOTES.md`), '# Greeting\n\ngreet(name) returns a friendly hello.');
    assert.equal(git(ws.repo, 'show', `${branch}:greeting/example.js`).trim(), "console.log(require('./greet').greet('world'));");
  });
});
