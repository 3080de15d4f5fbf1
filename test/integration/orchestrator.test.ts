// The whole loop inside a real VS Code: import a plan from the editor, run it with the scripted
// agent as VS Code tasks, watch the tree and the status bar, cancel from the tree and from the
// terminal, retry, and read the database afterwards.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../src/core/orchestrator';
import type { PruneReport } from '../../src/core/report/pruneReport';
import { OrchestratorStore } from '../../src/core/store';
import { report, testingApi, waitFor, workspaceRoot, type TestingApi } from './helpers';

const PLAN_FILE = 'integration.plan.md';

function planText(marker: string): string {
  return `# Integration plan

## SPEC-001: Greeting

- [ ] TASK-1-1: Write the greeting {priority: high; est: 2h; files: src/greet.js}
  progress 1/2 writing greet.js
  write src/greet.js: exports.greet = (n) => 'Hello, ' + n + '!'
  sleep 300ms
  progress 2/2 done
  cost 0.02 tokens 100/20
- [ ] TASK-1-2: Check the greeting {after: TASK-1-1; files: check.js; verify: node src/greet.js}
  write check.js: require('assert').equal(require('./src/greet').greet('a'), 'Hello, a!')
- [ ] TASK-1-3: A flaky task {files: flaky.txt}
  fail-once ${marker}
  write flaky.txt: ok
- [ ] TASK-1-4: After the flaky task {after: TASK-1-3; files: after.txt}
  write after.txt: done

## SPEC-002: Long running

- [ ] TASK-2-1: Wait until cancelled {files: hang.txt}
  hang
`;
}

interface EndedTask {
  readonly name: string;
  readonly definition: vscode.TaskDefinition;
  readonly exitCode: number | undefined;
}

describe('orchestrating a plan in VS Code', function () {
  this.timeout(180_000);
  let api: TestingApi;
  let planPath: string;
  let marker: string;
  const ended: EndedTask[] = [];
  const started: Array<{ name: string; definition: vscode.TaskDefinition; at: number }> = [];
  /** Tasks whose terminal VS Code has opened (its pseudoterminal is live), by `taskId/attempt`. */
  const opened = new Set<string>();
  const subscriptions: vscode.Disposable[] = [];

  before(async () => {
    api = await testingApi();
    marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ao-flaky-')), 'failed-once');
    planPath = path.join(workspaceRoot(), PLAN_FILE);
    fs.writeFileSync(planPath, planText(marker));
    const config = vscode.workspace.getConfiguration('agentOrchestrator');
    await config.update('defaultAgent', 'scripted', vscode.ConfigurationTarget.Workspace);
    await config.update('maxRetries', 0, vscode.ConfigurationTarget.Workspace);
    await config.update('maxParallel', 3, vscode.ConfigurationTarget.Workspace);
    subscriptions.push(
      vscode.tasks.onDidStartTask((event) => {
        const { task } = event.execution;
        if (task.definition.type === 'agentOrchestrator') started.push({ name: task.name, definition: task.definition, at: Date.now() });
      }),
      vscode.tasks.onDidStartTaskProcess((event) => {
        const { definition } = event.execution.task;
        if (definition.type === 'agentOrchestrator') opened.add(`${definition.taskId}/${definition.attempt}`);
      }),
      vscode.tasks.onDidEndTaskProcess((event) => {
        const { task } = event.execution;
        if (task.definition.type === 'agentOrchestrator') ended.push({ name: task.name, definition: task.definition, exitCode: event.exitCode });
      }),
    );
  });

  after(() => {
    for (const d of subscriptions) d.dispose();
  });

  const status = (taskId: string) => api.model.task(taskId)?.displayStatus;
  const item = (taskId: string) => api.treeProvider.getTreeItem(api.model.nodeOf(taskId)!);

  it('has no database before a plan is imported, and the status bar is hidden', () => {
    assert.equal(api.session.orchestrator, undefined);
    assert.equal(fs.existsSync(path.join(workspaceRoot(), '.agent-orchestrator', 'orchestrator.db')), false);
    assert.equal(api.statusBar.visible, false);
  });

  it('imports the plan from the active editor', async () => {
    await vscode.window.showTextDocument(vscode.Uri.file(planPath));
    const summary = await vscode.commands.executeCommand<{ tasks: number; specs: number }>('agentOrchestrator.importPlan');
    assert.ok(summary, 'the import returned nothing');
    assert.equal(summary.tasks, 5);
    assert.equal(summary.specs, 2);

    const roots = api.treeProvider.getChildren();
    assert.deepEqual(roots.map((node) => api.treeProvider.getTreeItem(node).label), ['SPEC-001: Greeting', 'SPEC-002: Long running']);
    assert.deepEqual((await api.treeProvider.getChildren(roots[0])).map((node) => (node.kind === 'task' ? node.taskId : node.id)), ['TASK-1-1', 'TASK-1-2', 'TASK-1-3', 'TASK-1-4']);
    const first = item('TASK-1-1');
    assert.equal(first.label, 'Write the greeting');
    assert.equal(first.id, 'task/TASK-1-1');
    assert.equal(first.contextValue, 'orchTask:pending');
    assert.match(String(first.description), /^TASK-1-1 · scripted/);
    assert.equal((first.iconPath as vscode.ThemeIcon).id, 'circle-large-outline');
    const tooltip = (first.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /Priority: high/);
    assert.match(tooltip, /Estimate: 2 h/);
    assert.equal(api.statusBar.visible, true);
    assert.equal(api.statusBar.text, '$(list-tree) 5 tasks');
  });

  it('runs the plan with the scripted agent, each attempt a VS Code task, and cancels from the tree', async () => {
    let firstRunning: number | undefined;
    let firstOutput: number | undefined;
    const listening = api.session.onDidEmit((event) => {
      if (event.type === 'transition' && event.notice.to === 'running') firstRunning ??= Date.now();
      if (event.type === 'output') firstOutput ??= Date.now();
    });
    const clicked = Date.now();
    const run = vscode.commands.executeCommand<RunResult>('agentOrchestrator.runAll');
    const firstTask = await waitFor('the first agent task to start', () => started[0]);
    await waitFor('the first agent output', () => firstOutput);
    listening.dispose();
    report('"Run All" → first task dispatched (status running)', `${(firstRunning ?? NaN) - clicked} ms`);
    report('"Run All" → first agent started (worktree made, process printed its first line)', `${(firstOutput ?? NaN) - clicked} ms`);
    report('"Run All" → first agent VS Code task started (its terminal)', `${firstTask.at - clicked} ms`);

    await waitFor('TASK-2-1 to run', () => status('TASK-2-1') === 'running');
    const running = item('TASK-2-1');
    assert.equal((running.iconPath as vscode.ThemeIcon).id, 'sync~spin');
    assert.match(String(running.contextValue), /^orchTask:running\b/);
    assert.match(api.statusBar.text, /^\$\(sync~spin\) \d+ running · \d+\/5 done · \d+ failed$/);

    await waitFor('every other task to finish', () => ['TASK-1-1', 'TASK-1-2', 'TASK-1-3', 'TASK-1-4'].every((id) => ['completed', 'failed', 'blocked'].includes(status(id) ?? '')), 60_000);
    assert.equal(status('TASK-1-1'), 'completed');
    assert.equal(status('TASK-1-2'), 'completed');
    assert.equal(status('TASK-1-3'), 'failed');
    assert.equal(status('TASK-1-4'), 'blocked');
    assert.equal(status('TASK-2-1'), 'running');

    const pid = api.model.task('TASK-2-1')?.latestAttempt?.pid;
    assert.ok(pid, 'the hanging agent has no pid recorded');
    await vscode.commands.executeCommand('agentOrchestrator.cancelTask', api.model.nodeOf('TASK-2-1'));
    const result = await run;
    assert.ok(result, 'Run All returned no result');
    assert.notEqual(result.status, 'completed');
    await waitFor('the tree to show the cancel', () => status('TASK-2-1') === 'cancelled');
    assert.equal(isAlive(pid), false, `the agent process ${pid} is still alive after the cancel`);

    assert.equal((item('TASK-1-1').iconPath as vscode.ThemeIcon).id, 'pass-filled');
    assert.equal((item('TASK-1-3').iconPath as vscode.ThemeIcon).id, 'error');
    // :branch — the failed attempt's branch holds what it left, to review (docs/review.md).
    assert.match(String(item('TASK-1-3').contextValue), /^orchTask:failed:log:worktree:branch$/);
    assert.match((item('TASK-1-3').tooltip as vscode.MarkdownString).value, /failed once as instructed/);
    assert.match((item('TASK-1-1').tooltip as vscode.MarkdownString).value, /Cost: \$0\.02/);
    assert.equal(api.statusBar.text, '$(error) 2/5 done · 1 failed · 1 blocked · 1 cancelled');
    assert.match(api.statusBar.tooltip, new RegExp(`Run \`${result.runId}\``));

    // Every attempt ran as a VS Code task of the contributed type. A success reports exit code 0; a
    // failure or cancel none, so VS Code adds no "terminated with exit code" toast of its own.
    await waitFor('five task processes to end', () => ended.length >= 5, 10_000);
    const exitCodes = Object.fromEntries(ended.map((e) => [`${e.definition.taskId}/${e.definition.step}`, e.exitCode]));
    assert.deepEqual(exitCodes, {
      'TASK-1-1/agent': 0,
      'TASK-1-2/agent': 0,
      'TASK-1-2/verify': 0,
      'TASK-1-3/agent': undefined,
      'TASK-2-1/agent': undefined,
    });
    for (const e of ended) {
      assert.equal(e.definition.runId, result.runId);
      assert.equal(e.definition.attempt, 1);
    }
    assert.equal(new Set(ended.map((e) => e.name)).size, ended.length, 'task names are not unique per attempt');
  });

  it('retries the failed, blocked and cancelled tasks, and cancels one from its terminal', async () => {
    ended.length = 0;
    const run = vscode.commands.executeCommand<RunResult>('agentOrchestrator.retryFailed');
    await waitFor('TASK-2-1 to run again', () => status('TASK-2-1') === 'running' && api.model.task('TASK-2-1')?.latestAttempt?.attemptNumber === 2);
    await waitFor('the retried tasks to complete', () => status('TASK-1-3') === 'completed' && status('TASK-1-4') === 'completed', 60_000);

    const execution = await waitFor('the terminal task of TASK-2-1', () => vscode.tasks.taskExecutions.find((e) => e.task.definition.taskId === 'TASK-2-1' && e.task.definition.attempt === 2));
    // As a user would: stop it from its terminal once that terminal is there. (Twice in about
    // twenty runs on a loaded machine the terminate below did not reach the agent; the suspect is
    // a terminate while VS Code was still creating the terminal, which a user cannot do.)
    await waitFor('the terminal of TASK-2-1 to open', () => opened.has('TASK-2-1/2'), 20_000);
    execution.terminate();
    const result = await run;
    assert.ok(result, 'Retry Failed returned no run result');
    await waitFor('TASK-2-1 to be cancelled', () => status('TASK-2-1') === 'cancelled');
    assert.equal(api.statusBar.text, '$(circle-large-outline) 4/5 done · 1 cancelled');
    // A terminal may open (and so its task end) a moment after the agent itself finished.
    const key = (e: EndedTask) => `${e.definition.taskId}/${e.definition.attempt}`;
    await waitFor('the retried attempts\' tasks to end', () => ['TASK-1-3/2', 'TASK-1-4/1', 'TASK-2-1/2'].every((k) => ended.some((e) => key(e) === k)), 10_000);
    const exitCodes = Object.fromEntries(ended.map((e) => [key(e), e.exitCode]));
    assert.equal(exitCodes['TASK-1-3/2'], 0);
    assert.equal(exitCodes['TASK-1-4/1'], 0);
    assert.equal(exitCodes['TASK-2-1/2'], undefined, 'a cancel reported an exit code (VS Code toasts it)');
  });

  it('leaves the rows in the database file', async () => {
    const dbPath = path.join(workspaceRoot(), '.agent-orchestrator', 'orchestrator.db');
    const store = await OrchestratorStore.open(dbPath, { readOnly: true });
    try {
      const rows = new Map(store.listOrchestratorTasks().map((row) => [row.taskId, row]));
      assert.deepEqual(
        Object.fromEntries([...rows].map(([id, row]) => [id, row.status])),
        { 'TASK-1-1': 'completed', 'TASK-1-2': 'completed', 'TASK-1-3': 'completed', 'TASK-1-4': 'completed', 'TASK-2-1': 'cancelled' },
      );
      assert.equal(rows.get('TASK-1-3')?.retryCount, 1);
      assert.equal(rows.get('TASK-1-1')?.assignedAgent, 'scripted');
      assert.deepEqual(store.listAttempts('TASK-1-3').map((a) => [a.attemptNumber, a.exitCode, a.outcome]), [
        [1, 1, 'failed'],
        [2, 0, 'completed'],
      ]);
      assert.deepEqual(store.listAttempts('TASK-2-1').map((a) => a.outcome), ['cancelled', 'cancelled']);
      const runs = store.listRuns();
      assert.equal(runs.length, 2);
      assert.ok(runs.every((r) => r.summaryMd && r.endedAt), 'a run has no summary or end time');
      const kinds = new Set(store.listEvents().map((e) => e.kind));
      for (const kind of ['plan_imported', 'task_spawned', 'status_changed', 'attempt_started', 'attempt_finished', 'run_started', 'run_ended']) {
        assert.ok(kinds.has(kind), `no ${kind} event in the trace`);
      }
    } finally {
      await store.close();
    }
  });

  it('exports the summary and metrics', async () => {
    const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ao-export-')), 'summary.md');
    const written = await vscode.commands.executeCommand<string>('agentOrchestrator.exportSummary', vscode.Uri.file(target));
    assert.equal(written, target);
    assert.match(fs.readFileSync(target, 'utf8'), /TASK-1-3/);
    const metrics = JSON.parse(fs.readFileSync(target.replace(/\.md$/, '.metrics.json'), 'utf8')) as { total_sub_tasks: number };
    assert.equal(typeof metrics.total_sub_tasks, 'number');
  });

  it('groups the tree by status, and back by spec', async () => {
    await vscode.commands.executeCommand('agentOrchestrator.groupByStatus');
    const groups = api.treeProvider.getChildren().map((node) => api.treeProvider.getTreeItem(node).label);
    assert.deepEqual(groups, ['Cancelled', 'Completed']);
    await vscode.commands.executeCommand('agentOrchestrator.groupBySpec');
    assert.equal(api.treeProvider.getChildren().length, 2);
  });

  it('offers the plan to "Run Task" through its task provider, and runs a task from there', async () => {
    const provided = await vscode.tasks.fetchTasks({ type: 'agentOrchestrator' });
    const names = provided.map((task) => task.name);
    assert.ok(names.includes('Run all tasks'), `no "Run all tasks" among ${names.join(', ')}`);
    const runOne = provided.find((task) => task.definition.taskId === 'TASK-1-1');
    assert.ok(runOne, `no task for TASK-1-1 among ${names.join(', ')}`);
    assert.equal(runOne.name, 'Run TASK-1-1: Write the greeting');
    ended.length = 0;
    await vscode.tasks.executeTask(runOne);
    const end = await waitFor('the "Run TASK-1-1" task to end', () => ended.find((e) => e.definition.taskId === 'TASK-1-1' && e.definition.runId === undefined), 30_000);
    // TASK-1-1 is complete already: the run has nothing to do and succeeds.
    assert.equal(end.exitCode, 0);
    await waitFor('the run to be over', () => !api.session.isRunning);
  });

  it('adds a task to the Markdown plan with New Task', async () => {
    const taskId = await vscode.commands.executeCommand<string>('agentOrchestrator.newTask', { specId: 'SPEC-002', title: 'Document the wait', dependsOn: ['TASK-2-1'] });
    assert.equal(taskId, 'TASK-2-2');
    assert.match(fs.readFileSync(planPath, 'utf8'), /- \[ \] TASK-2-2: Document the wait \{after: TASK-2-1\}/);
    assert.equal(status('TASK-2-2'), 'pending');
    assert.deepEqual(api.model.task('TASK-2-2')?.dependsOn, ['TASK-2-1']);
  });

  it('shows the run in the dashboard', async () => {
    await vscode.commands.executeCommand('agentOrchestrator.openDashboard');
    const state = await waitFor('the dashboard to receive its state', () => (api.dashboard.isReady && api.dashboard.lastState?.tasks.length === 6 ? api.dashboard.lastState : undefined), 15_000);
    assert.equal(state.mode, 'writer');
    // The latest run is the one "Run TASK-1-1" started, which had nothing left to do.
    assert.equal(state.run?.status, 'completed');
    assert.ok(state.run?.metrics, 'the dashboard state has no run metrics');
    assert.deepEqual(state.timeline, []);
    const byId = new Map(state.tasks.map((task) => [task.taskId, task]));
    assert.equal(byId.get('TASK-1-3')?.status, 'completed');
    assert.equal(byId.get('TASK-1-3')?.attempts, 2);
    assert.equal(byId.get('TASK-2-1')?.status, 'cancelled');
    assert.deepEqual(byId.get('TASK-1-2')?.dependsOn, ['TASK-1-1']);
    assert.equal(byId.get('TASK-1-1')?.costUsd, 0.02);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('prunes old runs with Prune Old Runs: the newest run stays whole, every task and run row stays', async () => {
    const runsDir = path.join(workspaceRoot(), '.agent-orchestrator', 'runs');
    const report = await vscode.commands.executeCommand<PruneReport | undefined>('agentOrchestrator.pruneOldRuns', { keepRuns: 1 });
    assert.ok(report && report.runIds.length >= 1, `nothing pruned: ${JSON.stringify(report)}`);
    const left = fs.readdirSync(runsDir);
    for (const runId of report.runIds) assert.equal(left.includes(runId), false, `${runId}'s folder is still there`);
    const store = await OrchestratorStore.open(path.join(workspaceRoot(), '.agent-orchestrator', 'orchestrator.db'), { readOnly: true });
    try {
      const [newest, ...older] = store.listRuns();
      assert.ok(newest.summaryMd, 'the newest run lost its summary');
      assert.ok(left.includes(newest.runId));
      assert.deepEqual(older.filter((run) => report.runIds.includes(run.runId)).map((run) => [run.summaryMd, run.metrics !== null]), report.runIds.map(() => [null, true]));
      assert.equal(store.listOrchestratorTasks().length, 5);
    } finally {
      await store.close();
    }
    assert.equal(api.model.task('TASK-1-3')?.status, 'completed');
  });

  it('sends no state to a hidden dashboard, and the current state once it is shown again', async () => {
    const opened = Date.now();
    await vscode.commands.executeCommand('agentOrchestrator.openDashboard');
    await waitFor(
      'the dashboard to receive its state',
      () => (api.dashboard.isReady && (api.dashboard.lastState?.generatedAt ?? 0) >= opened ? api.dashboard.lastState : undefined),
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message} (ready: ${api.dashboard.isReady}, last state at ${api.dashboard.lastState?.generatedAt}, opened at ${opened}, tab: ${vscode.window.tabGroups.activeTabGroup.activeTab?.label})`);
    });
    // A change while it is shown reaches it as a patch (src/shared/statePatch.ts), not a whole state.
    const sentBefore = { ...api.dashboard.posted };
    const shownTaskId = await vscode.commands.executeCommand<string>('agentOrchestrator.newTask', { specId: 'SPEC-002', title: 'Added while shown' });
    await waitFor('the shown dashboard to receive the new task', () => (api.dashboard.lastState?.tasks.some((task) => task.taskId === shownTaskId) ? true : undefined), 60_000);
    assert.equal(api.dashboard.posted.whole, sentBefore.whole, 'a change to a shown dashboard was sent as a whole state');
    assert.ok(api.dashboard.posted.patches > sentBefore.patches, 'no patch was sent');
    const shown = api.dashboard.lastState;
    // Another editor in front of the dashboard, in the same group, hides it.
    const other = await vscode.workspace.openTextDocument({ content: 'in front of the dashboard' });
    await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.Active, preview: false });
    await waitFor('the dashboard to be hidden', () => (vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputWebview ? undefined : true));
    const taskId = await vscode.commands.executeCommand<string>('agentOrchestrator.newTask', { specId: 'SPEC-002', title: 'Added while hidden' });
    await waitFor('the tree to show the new task', () => api.model.task(taskId));
    // The views refresh within VIEW_REFRESH_MS (250 ms) of a change: give it four times that.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(api.dashboard.lastState, shown, 'a hidden dashboard was sent a state');
    await vscode.commands.executeCommand('agentOrchestrator.openDashboard');
    await waitFor('the shown dashboard to receive the current state', () => (api.dashboard.lastState?.tasks.some((task) => task.taskId === taskId) ? true : undefined), 60_000);
    // Shown again, the page is rebuilt and holds no state: it must have been sent a whole one.
    assert.ok(api.dashboard.posted.whole > sentBefore.whole, 'the rebuilt page was sent no whole state');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
