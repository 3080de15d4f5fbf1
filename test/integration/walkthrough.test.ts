// First contact in a real VS Code: the walkthrough as the editor loaded it, the example plan its
// first step writes, that plan imported and run, and what the user is told at the run's end and
// when a task fails mid-run. VS Code offers no API to read a walkthrough step's completed state
// or the notifications on screen, so the tests check the contribution and that each event a step
// waits for really happens (the command is registered and runs, the context key is set), and read
// the run-end notices and failure flashes from the RunNotifier, which shows each one through VS
// Code's notifications (src/vscode/session/RunNotifier.ts `shown` and `flashed`).
//
// The test works on a database, branch prefix and worktree folder of its own (settings), so the
// example plan's SPEC-001 meets none of the tasks other suites left in this workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../src/core/orchestrator';
import { EXAMPLE_PLAN, EXAMPLE_PLAN_FILE } from '../../src/vscode/commands/examplePlanText';
import type { ExamplePlanResult } from '../../src/vscode/commands/examplePlanCommand';
import { EXTENSION_ID, testingApi, waitFor, workspaceRoot, type TestingApi } from './helpers';

interface Step {
  readonly id: string;
  readonly completionEvents: readonly string[];
  readonly media: { readonly markdown?: string };
}


const OWN_SETTINGS = ['databasePath', 'branchPrefix', 'worktreeRoot', 'defaultAgent', 'maxRetries'] as const;

describe('first contact: the walkthrough, the example plan and the run-end notification', function () {
  this.timeout(180_000);
  let api: TestingApi;
  let scratch: string;
  const config = () => vscode.workspace.getConfiguration('agentOrchestrator');
  const examplePath = () => path.join(workspaceRoot(), EXAMPLE_PLAN_FILE);

  before(async () => {
    api = await testingApi();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ao-walkthrough-'));
    fs.rmSync(examplePath(), { force: true });
    const databasePath = path.join(scratch, 'db', 'orchestrator.db');
    await config().update('databasePath', databasePath, vscode.ConfigurationTarget.Workspace);
    await config().update('branchPrefix', 'walkthrough/', vscode.ConfigurationTarget.Workspace);
    await config().update('worktreeRoot', path.join(scratch, 'worktrees'), vscode.ConfigurationTarget.Workspace);
    await config().update('defaultAgent', 'scripted', vscode.ConfigurationTarget.Workspace);
    await config().update('maxRetries', 0, vscode.ConfigurationTarget.Workspace);
    // Each change reopens an open session; whichever open comes last reads all five settings.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await api.session.open();
    await waitFor('the session to open the test\'s own database', () => api.session.orchestrator?.databasePath === databasePath, 30_000);
  });

  after(async () => {
    for (const key of OWN_SETTINGS) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(examplePath(), { force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('contributes the walkthrough: six steps, each completing on a registered command or a context key', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    const walkthroughs = (extension.packageJSON as { contributes: { walkthroughs: Array<{ id: string; steps: Step[] }> } }).contributes.walkthroughs;
    const walkthrough = walkthroughs.find((w) => w.id === 'gettingStarted');
    assert.ok(walkthrough, 'no gettingStarted walkthrough');
    assert.deepEqual(walkthrough.steps.map((step) => step.id), ['plan', 'checkAgents', 'import', 'run', 'dashboard', 'review']);
    const registered = new Set(await vscode.commands.getCommands(true));
    const waitsFor = (id: string) => walkthrough.steps.find((step) => step.id === id)?.completionEvents ?? [];
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents.length > 0, `step ${step.id} has no completion event`);
      for (const event of step.completionEvents) {
        const command = /^onCommand:(.+)$/.exec(event)?.[1];
        if (command) assert.ok(registered.has(command), `step ${step.id} waits for ${command}, which is not registered`);
      }
      assert.ok(step.media.markdown && fs.existsSync(path.join(extension.extensionPath, step.media.markdown)), `step ${step.id}: media ${step.media.markdown} missing`);
    }
    assert.ok(waitsFor('plan').includes('onCommand:agentOrchestrator.createExamplePlan'));
    assert.ok(waitsFor('import').includes('onCommand:agentOrchestrator.importPlan'));
    assert.ok(waitsFor('run').includes('onContext:agentOrchestrator.running'));
    assert.ok(waitsFor('dashboard').includes('onCommand:agentOrchestrator.openDashboard'));
    assert.ok(waitsFor('review').includes('onCommand:agentOrchestrator.reviewChanges'));
  });

  it('Create Example Plan writes example.plan.md and opens it; a second time it opens the file without replacing it', async () => {
    const first = await vscode.commands.executeCommand<ExamplePlanResult>('agentOrchestrator.createExamplePlan');
    assert.deepEqual(first, { file: examplePath(), created: true });
    assert.equal(fs.readFileSync(examplePath(), 'utf8'), EXAMPLE_PLAN);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, examplePath());

    const edited = `${EXAMPLE_PLAN}\n<!-- the user's own line -->\n`;
    fs.writeFileSync(examplePath(), edited);
    const second = await vscode.commands.executeCommand<ExamplePlanResult>('agentOrchestrator.createExamplePlan');
    assert.deepEqual(second, { file: examplePath(), created: false });
    assert.equal(fs.readFileSync(examplePath(), 'utf8'), edited, 'the existing file was replaced');
  });

  it('imports the example plan without a problem, into a database of its own', async () => {
    const summary = await vscode.commands.executeCommand<{ tasks: number; specs: number }>('agentOrchestrator.importPlan', vscode.Uri.file(examplePath()));
    assert.ok(summary, 'the import returned nothing (a problem was shown instead)');
    assert.equal(summary.tasks, 3);
    assert.equal(summary.specs, 1);
    assert.equal(api.session.orchestrator?.databasePath, path.join(scratch, 'db', 'orchestrator.db'));
    await waitFor('the tree to show the example plan', () => api.model.task('TASK-1-3'));
  });

  it('runs it with the scripted agent: the running context key is set, and the end is announced with its counts and actions', async () => {
    let sawRunning = false;
    const listening = api.session.onDidChangeState(() => (sawRunning ||= api.contextKeys.value('agentOrchestrator.running') === true));
    const before = api.notifier.shown.length;
    let result: RunResult | undefined;
    try {
      result = await vscode.commands.executeCommand<RunResult>('agentOrchestrator.runAll');
    } finally {
      listening.dispose();
    }
    assert.equal(result?.status, 'completed');
    assert.ok(sawRunning, 'agentOrchestrator.running was never set while the run went on');
    const notice = await waitFor('the run-end notice', () => api.notifier.shown[before]);
    assert.deepEqual(notice, { text: 'Run finished: 3 of 3 completed.', severity: 'info', actions: ['Open Dashboard', 'Review Changes', 'Show Summary'] });
    assert.equal(api.notifier.shown.length, before + 1, 'the run was announced more than once');
    assert.equal(api.statusBar.flashing, false);
  });

  it('flashes the status bar for a task that fails while the run goes on, and offers Retry Failed at its end', async () => {
    const release = path.join(scratch, 'release');
    const planFile = path.join(workspaceRoot(), 'walkthrough-failing.plan.md');
    fs.writeFileSync(
      planFile,
      `# Failing\n\n## SPEC-002: Failing\n\n- [ ] TASK-2-1: A broken task {files: a.txt}\n  fail with the linter is unhappy\n- [ ] TASK-2-2: A slow task {files: b.txt}\n  wait-for ${release}\n  write b.txt: ok\n`,
    );
    try {
      const imported = await vscode.commands.executeCommand<{ tasks: number }>('agentOrchestrator.importPlan', vscode.Uri.file(planFile));
      assert.equal(imported?.tasks, 2);
      const before = api.notifier.shown.length;
      const run = vscode.commands.executeCommand<RunResult>('agentOrchestrator.runAll');
      await waitFor('TASK-2-1 to fail', () => api.notifier.flashed.find((line) => line.startsWith('TASK-2-1')), 60_000);
      // While TASK-2-2 still waits: red, the failure in the tooltip, no run-end notice yet.
      assert.equal(api.statusBar.flashing, true);
      // The tooltip is Markdown with the line as escaped text (MarkdownString.appendText).
      const tooltip = api.statusBar.tooltip.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
      assert.match(tooltip, /TASK-2-1 failed \(attempt 1\): .*the linter is unhappy/);
      assert.equal(api.notifier.shown.length, before);
      fs.writeFileSync(release, '');
      const result = await run;
      assert.equal(result?.status, 'failed');
      const notice = await waitFor('the run-end notice', () => api.notifier.shown[before]);
      assert.deepEqual(notice, { text: 'Run finished: 4 of 5 completed, 1 failed.', severity: 'warning', actions: ['Open Dashboard', 'Retry Failed', 'Review Changes'] });
    } finally {
      fs.writeFileSync(release, '');
      fs.rmSync(planFile, { force: true });
    }
  });
});
