// Review in VS Code beyond the tree (docs/review.md): the dashboard's details list a task's changed
// files and its state carries the conflict radar's pairs; "Send Follow-up…" records a follow-up
// and puts the task back in the queue, whose next attempt continues on its branch; review
// comments become one follow-up text; "Create Pull Request" says so when there is no remote.
// Runs after the earlier files (it sorts after uiReports.test.ts): it appends SPEC-009 to their
// plan and runs only its own tasks.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PullRequestResult, RunResult, TaskChanges } from '../../src/core';
import { COMMENTS_PREAMBLE } from '../../src/vscode/followUp/followUpText';
import { reviewUri } from '../../src/vscode/review/reviewUri';
import { report, testingApi, waitFor, workspaceRoot, type TestingApi } from './helpers';

// TASK-9-2 and TASK-9-3 declare different files but both write shared9.txt, differently: the
// radar's pair (the plan did not declare it), and a conflict once both finished.
const REVIEW_TASKS = `
## SPEC-009: Review flow

- [ ] TASK-9-1: Write the notes {files: notes/**}
  write notes/a.txt: first line\\nsecond line
  write notes/c.txt: other
- [ ] TASK-9-2: Say hello in the shared file {files: nine-two.txt}
  write nine-two.txt: two
  write shared9.txt: hello from 9-2
  sleep 1500ms
- [ ] TASK-9-3: Say goodbye in the shared file {files: nine-three.txt}
  write nine-three.txt: three
  write shared9.txt: goodbye from 9-3
  sleep 1500ms
`;

const git = (...args: string[]) => execFileSync('git', args, { cwd: workspaceRoot(), encoding: 'utf8' }).trim();

describe('review in VS Code: dashboard, follow-ups, comments, pull requests', function () {
  this.timeout(180_000);
  let api: TestingApi;
  const status = (taskId: string) => api.model.task(taskId)?.displayStatus;
  const runOnly = (...taskIds: string[]) => vscode.commands.executeCommand<RunResult | undefined>('agentOrchestrator.runSelected', taskIds);

  before(async () => {
    api = await testingApi();
    await api.session.open();
    assert.equal(api.session.mode, 'writer');
    const planPath = path.join(workspaceRoot(), 'integration.plan.md');
    fs.appendFileSync(planPath, REVIEW_TASKS);
    await vscode.commands.executeCommand('agentOrchestrator.importPlan', vscode.Uri.file(planPath));
    await waitFor('the imported SPEC-009', () => api.model.task('TASK-9-3'));
    const result = await runOnly('TASK-9-1', 'TASK-9-2', 'TASK-9-3');
    assert.ok(result, 'Run Selected started no run');
    await waitFor('SPEC-009 to complete', () => ['TASK-9-1', 'TASK-9-2', 'TASK-9-3'].every((id) => status(id) === 'completed'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the dashboard opens on a task and lists its changed files with kind and counts', async () => {
    const asked = Date.now();
    await vscode.commands.executeCommand('agentOrchestrator.openDashboard', 'TASK-9-1');
    const message = await waitFor('the changes of TASK-9-1 in the dashboard', () => (api.dashboard.isReady && api.dashboard.changes.last?.taskId === 'TASK-9-1' ? api.dashboard.changes.last : undefined), 20_000);
    report('Open Dashboard on a task (a new panel) → its changed files posted to the webview', `${Date.now() - asked} ms`);
    assert.equal(message.error, undefined, `reading the changes failed: ${message.error}`);
    const changes = message.changes;
    assert.ok(changes, 'the dashboard got no changes for TASK-9-1');
    assert.deepEqual(
      changes.files.map((f) => [f.path, f.kind, f.insertions, f.deletions]),
      [
        ['notes/a.txt', 'added', 2, 0],
        ['notes/c.txt', 'added', 1, 0],
      ],
    );
    assert.deepEqual([changes.insertions, changes.deletions], [3, 0]);
    // The same commits git has: the branch tip on the right, the start commit on the left.
    assert.equal(changes.headCommit, git('rev-parse', changes.branch));
    assert.equal(git('rev-parse', `${changes.headCommit}^`), changes.startCommit);
    const task = api.dashboard.lastState?.tasks.find((t) => t.taskId === 'TASK-9-1');
    assert.equal(task?.review, null, 'nothing was merged or discarded yet');

    // The panel open: another task's details, a round trip through the webview plus git.
    const again = Date.now();
    await vscode.commands.executeCommand('agentOrchestrator.openDashboard', 'TASK-9-2');
    const other = await waitFor('the changes of TASK-9-2', () => (api.dashboard.changes.last?.taskId === 'TASK-9-2' ? api.dashboard.changes.last : undefined), 20_000);
    report('Open Dashboard on another task (panel open) → its changed files posted', `${Date.now() - again} ms`);
    assert.deepEqual(other.changes?.files.map((f) => f.path), ['nine-two.txt', 'shared9.txt']);
  });

  it('the dashboard state carries the radar’s pair of the two tasks that wrote the same file, with the conflict', async () => {
    const pair = await waitFor(
      'the radar pair TASK-9-2/TASK-9-3 in the dashboard state',
      () => api.dashboard.lastState?.overlaps.find((o) => o.taskA === 'TASK-9-2' && o.taskB === 'TASK-9-3' && o.conflict !== null),
      30_000,
    );
    assert.deepEqual(pair.files, ['shared9.txt']);
    assert.equal(pair.conflict, true, 'both branches write shared9.txt differently: merging both conflicts');
    assert.ok(!api.dashboard.lastState!.overlaps.some((o) => o.taskA === 'TASK-9-1' || o.taskB === 'TASK-9-1'), 'TASK-9-1 shares no file with anyone');
  });

  it('"Send Follow-up…" records the instruction, the task goes back in the queue, and its next attempt continues on its branch', async () => {
    const firstBranch = api.model.task('TASK-9-1')!.latestAttempt!.branch!;
    const sent = await vscode.commands.executeCommand<{ taskId: string; prompt: string }>('agentOrchestrator.sendFollowUp', 'TASK-9-1', { prompt: '  write notes/b.txt: more  ' });
    assert.deepEqual(sent, { taskId: 'TASK-9-1', prompt: 'write notes/b.txt: more' });
    await waitFor('TASK-9-1 back in the queue', () => status('TASK-9-1') === 'spawned', 10_000);

    await runOnly('TASK-9-1');
    await waitFor('the follow-up attempt to complete', () => status('TASK-9-1') === 'completed' && (api.model.task('TASK-9-1')?.latestAttempt?.attemptNumber ?? 0) >= 2);
    const branch = api.model.task('TASK-9-1')!.latestAttempt!.branch!;
    assert.notEqual(branch, firstBranch, 'the follow-up ran as a new attempt');
    // Started from the first attempt's work: its files are on the new branch, with the new one.
    assert.equal(git('show', `${branch}:notes/a.txt`), 'first line\nsecond line');
    assert.equal(git('show', `${branch}:notes/b.txt`), 'more');
    assert.equal(git('merge-base', '--is-ancestor', firstBranch, branch), '', 'the new branch does not build on the first');
  });

  it('review comments on lines of the branch become one follow-up: file:line: comment with the line, then the threads are cleared', async () => {
    const changes = await api.session.orchestrator!.taskChanges('TASK-9-1');
    assert.ok(changes, 'TASK-9-1 has no changes');
    const head = (file: string) => reviewUri({ taskId: 'TASK-9-1', commit: (changes as TaskChanges).headCommit, path: file });
    await vscode.commands.executeCommand('agentOrchestrator.addReviewComment', { uri: head('notes/c.txt'), line: 1, text: 'Name this file better.' });
    await vscode.commands.executeCommand('agentOrchestrator.addReviewComment', { uri: head('notes/a.txt'), line: 2, text: 'Say more here.\nTwo sentences at least.' });

    const sent = await vscode.commands.executeCommand<{ taskId: string; text: string; comments: number }>('agentOrchestrator.sendCommentsToAgent', 'TASK-9-1');
    assert.ok(sent, 'nothing was sent');
    assert.equal(sent.comments, 2);
    assert.equal(
      sent.text,
      [COMMENTS_PREAMBLE, '', 'notes/a.txt:2: Say more here.', '    Two sentences at least.', '    > second line', '', 'notes/c.txt:1: Name this file better.', '    > other', ''].join('\n'),
    );
    await waitFor('TASK-9-1 back in the queue after the comments', () => status('TASK-9-1') === 'spawned', 10_000);
    const again = await vscode.commands.executeCommand('agentOrchestrator.sendCommentsToAgent', 'TASK-9-1');
    assert.equal(again, undefined, 'the sent threads were not cleared');
  });

  it('refuses a comment outside a review document, naming the document', async () => {
    const before = status('TASK-9-1');
    const thread = await vscode.commands.executeCommand('agentOrchestrator.addReviewComment', { uri: vscode.Uri.file(path.join(workspaceRoot(), 'README.md')), line: 1, text: 'no' });
    assert.equal(thread, undefined);
    assert.equal(status('TASK-9-1'), before);
  });

  it('"Create Pull Request" without a remote pushes nothing and says there is no remote', async () => {
    assert.equal(git('remote'), '', 'precondition: the test workspace has no remote');
    const result = await vscode.commands.executeCommand<PullRequestResult>('agentOrchestrator.createPullRequest', 'TASK-9-2');
    assert.ok(result, 'the command returned nothing');
    assert.equal(result.how, 'no-remote');
    assert.equal(result.url, null);
    assert.equal(result.pushedTo, null);
    assert.match(result.message, /remote/);
  });
});
