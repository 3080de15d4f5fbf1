// Review and merge back inside a real VS Code (docs/review.md, "In VS Code"): a run of scripted
// agents in the test workspace, two of them writing the same file unplanned while they wait; the
// conflict radar's notification and the tree's warning; the changed files under a task; "Review
// Changes" in the multi-file diff editor and a file's diff, both sides read back and compared with
// git; "Merge All Completed" through its command, first refusing the conflicting batch and then
// merging the clean tasks into the integration branch (checked with git); the merge editor on the
// conflicting task; "Discard Task Changes"; and the documents after the worktrees are gone. Runs after the earlier files: it extends their
// plan (integration.plan.md) with SPEC-004 and runs only its own tasks.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../src/core/orchestrator';
import type { MergeCommandResult } from '../../src/vscode/review/mergeCommands';
import type { ReviewOpened } from '../../src/vscode/review/reviewCommands';
import { parseReviewUri } from '../../src/vscode/review/reviewUri';
import { diffSides, type FileNode, type TreeElement } from '../../src/vscode/tree/changeNodes';
import { report, testingApi, waitFor, workspaceRoot, type TestingApi } from './helpers';

function moreTasks(release: string): string {
  return `
## SPEC-004: Review

- [ ] TASK-4-1: Add a review note {files: review/note.md, README.md}
  write review/note.md: first line\\nsecond line
  append README.md: Reviewed by TASK-4-1.
- [ ] TASK-4-2: Say it one way {files: review/one.txt}
  write review/one.txt: one
  write review/shared.txt: from TASK-4-2
  wait-for ${release}
- [ ] TASK-4-3: Say it another way {files: review/two.txt}
  write review/two.txt: two
  write review/shared.txt: from TASK-4-3
  wait-for ${release}
`;
}

const MINE = ['TASK-4-1', 'TASK-4-2', 'TASK-4-3'];

describe('review and merge back in VS Code', function () {
  this.timeout(180_000);
  let api: TestingApi;
  let release: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: workspaceRoot(), encoding: 'utf8' });
  const status = (taskId: string) => api.model.task(taskId)?.displayStatus;
  const item = (taskId: string) => api.treeProvider.getTreeItem(api.model.nodeOf(taskId)!);
  const config = () => vscode.workspace.getConfiguration('agentOrchestrator');

  before(async () => {
    api = await testingApi();
    await api.session.open();
    assert.equal(api.session.mode, 'writer');
    // A quick radar, so it sees the two waiting agents' files well before they are let go.
    await config().update('conflictRadarIntervalMs', 200, vscode.ConfigurationTarget.Workspace);
    await waitFor('the session to follow the setting', () => api.session.orchestrator?.settings.conflictRadarIntervalMs === 200, 20_000);
    release = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ao-review-')), 'release');
    const planPath = path.join(workspaceRoot(), 'integration.plan.md');
    fs.appendFileSync(planPath, moreTasks(release));
    await vscode.commands.executeCommand('agentOrchestrator.importPlan', vscode.Uri.file(planPath));
    await waitFor('the imported SPEC-004', () => MINE.every((taskId) => api.model.task(taskId)));
  });

  after(async () => {
    fs.writeFileSync(release, '');
    await config().update('conflictRadarIntervalMs', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('the session to follow the setting back', () => api.session.orchestrator?.settings.conflictRadarIntervalMs === 3000, 20_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('warns while the run goes on that two tasks change the same file, in a notification and on both tree items', async () => {
    const run = vscode.commands.executeCommand<RunResult>('agentOrchestrator.runSelected', MINE);
    await waitFor('the radar\'s notification', () => api.review.overlapNotices.find((text) => text.includes('TASK-4-2 and TASK-4-3')), 60_000);
    assert.deepEqual(api.review.overlapNotices.filter((text) => text.includes('TASK-4-2')), ['TASK-4-2 and TASK-4-3 both change review/shared.txt.']);
    assert.equal(status('TASK-4-2'), 'running', 'the radar spoke only after the run');
    await waitFor('the tree to flag TASK-4-3', () => /:overlap$/.test(String(item('TASK-4-3').contextValue)), 10_000);
    assert.match(String(item('TASK-4-2').contextValue), /^orchTask:running\b.*:overlap$/);

    fs.writeFileSync(release, '');
    const result = await run;
    assert.ok(result, 'Run Selected returned no result');
    await waitFor('the three tasks to complete', () => MINE.every((taskId) => status(taskId) === 'completed'), 30_000);
    // The last look of the radar, once both finished, knows their branches conflict.
    await waitFor('the radar\'s verdict', () => api.model.overlaps('TASK-4-3').some((pair) => pair.conflict === true), 20_000);
    assert.equal(api.review.overlapNotices.filter((text) => text.includes('TASK-4-2')).length, 1, 'the same pair was notified twice');

    const flagged = item('TASK-4-3');
    assert.equal(flagged.resourceUri?.scheme, 'agent-orchestrator-task');
    const decoration = await api.review.decorations.provideFileDecoration(flagged.resourceUri!);
    assert.equal(decoration?.badge, '!');
    assert.equal((decoration?.color as vscode.ThemeColor | undefined)?.id, 'list.warningForeground');
    assert.match(String(decoration?.tooltip), /TASK-4-2 also changes review\/shared\.txt \(their branches conflict\)/);
    assert.match((flagged.tooltip as vscode.MarkdownString).value, /\$\(warning\) TASK\\-4\\-2 also changes review\/shared\\\.txt/);
    assert.equal(item('TASK-4-1').resourceUri, undefined, 'a task the radar did not flag is decorated');
  });

  it('lists a finished task\'s changed files under it, loaded once per state of the task', async () => {
    const node = api.model.nodeOf('TASK-4-1')!;
    assert.equal(item('TASK-4-1').collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const loadsBefore = api.review.changes.loads;
    const children = await api.treeProvider.getChildren(node);
    const files = children.filter((child): child is FileNode => child.kind === 'file');
    assert.deepEqual(files.map((file) => [file.file.path, file.file.kind, file.file.insertions, file.file.deletions]).sort(), [
      ['README.md', 'modified', 1, 0],
      ['review/note.md', 'added', 2, 0],
    ]);
    const note = api.treeProvider.getTreeItem(files.find((file) => file.file.path === 'review/note.md')!);
    assert.equal(note.label, 'note.md');
    assert.equal(note.description, 'review · +2 \u22120');
    assert.equal(note.contextValue, 'orchChangedFile:added');
    assert.equal((note.iconPath as vscode.ThemeIcon).id, vscode.ThemeIcon.File.id);
    assert.equal(note.resourceUri?.scheme, 'agent-orchestrator-review');
    assert.equal((await api.review.decorations.provideFileDecoration(note.resourceUri!))?.badge, 'A');
    assert.equal(api.treeProvider.getParent(files[0]), node);

    // Refreshes of an unchanged task ask the engine (git) nothing more; the same nodes come back.
    api.model.refresh();
    const again = await api.treeProvider.getChildren(node);
    assert.ok(Array.isArray(api.treeProvider.getChildren(node)), 'a cached task\'s files were not answered synchronously');
    assert.deepEqual(again, children);
    assert.equal(again[0], children[0], 'the file nodes were rebuilt');
    assert.equal(api.review.changes.loads, loadsBefore + 1);
  });

  it('opens a changed file\'s diff with the task\'s start and head as its sides, read from git', async () => {
    const node = api.model.nodeOf('TASK-4-1')!;
    const readme = ((await api.treeProvider.getChildren(node)) as TreeElement[]).find((child): child is FileNode => child.kind === 'file' && child.file.path === 'README.md')!;
    const command = api.treeProvider.getTreeItem(readme).command!;
    assert.equal(command.command, 'vscode.diff');
    assert.equal(command.arguments?.[2], 'README.md (TASK-4-1)');
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const tab = await waitFor('the diff editor', () => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputTextDiff ? active : undefined;
    });
    assert.equal(tab.label, 'README.md (TASK-4-1)');
    const input = tab.input as vscode.TabInputTextDiff;
    const left = parseReviewUri(input.original);
    const right = parseReviewUri(input.modified);
    assert.ok(left && right, 'the diff\'s sides are not review documents');
    assert.equal(right.commit, git('rev-parse', 'orch/TASK-4-1/a1').trim());
    assert.equal(left.commit, readme.startCommit);
    const original = await vscode.workspace.openTextDocument(input.original);
    const modified = await vscode.workspace.openTextDocument(input.modified);
    assert.equal(original.getText(), git('show', `${left.commit}:README.md`));
    assert.equal(modified.getText(), git('show', `${right.commit}:README.md`));
    assert.match(modified.getText(), /Reviewed by TASK-4-1\.\n$/);
    assert.equal(modified.languageId, 'markdown');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Review Changes" opens every changed file in the multi-file diff editor, each side equal to git\'s', async () => {
    const opened = await vscode.commands.executeCommand<ReviewOpened>('agentOrchestrator.reviewChanges', api.model.nodeOf('TASK-4-1'));
    assert.ok(opened, 'Review Changes opened nothing');
    assert.equal(opened.title, 'Review TASK-4-1: Add a review note');
    const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    // The editor adds the count to the title: "Review TASK-4-1: Add a review note (2 files)".
    const tab = await waitFor('the multi-file diff editor', () => tabs().find((candidate) => candidate.label.startsWith(opened.title)), 15_000).catch((error: Error) => {
      throw new Error(`${error.message}; the tabs: ${JSON.stringify(tabs().map((candidate) => candidate.label))}`);
    });
    assert.equal(tab.label, `${opened.title} (2 files)`);
    const MultiDiff = (vscode as unknown as { TabInputTextMultiDiff?: new (...args: never[]) => unknown }).TabInputTextMultiDiff;
    if (MultiDiff) assert.ok(tab.input instanceof MultiDiff, 'the tab is not a multi-file diff editor');
    // The tab lists its two-sided entries (the modified README); an added file has no left side.
    const diffs = (tab.input as { textDiffs?: ReadonlyArray<{ original: vscode.Uri; modified: vscode.Uri }> }).textDiffs ?? [];
    assert.deepEqual(diffs.map((diff) => [parseReviewUri(diff.original)?.path, parseReviewUri(diff.modified)?.path]), [['README.md', 'README.md']]);
    assert.equal(diffs[0].modified.toString(), opened.resources.find(([resource]) => resource.path.endsWith('/README.md'))?.[2]?.toString());

    const head = git('rev-parse', 'orch/TASK-4-1/a1').trim();
    for (const [resource, left, right] of opened.resources) {
      const file = path.relative(workspaceRoot(), resource.fsPath).split(path.sep).join('/');
      const rightRef = parseReviewUri(right!);
      assert.deepEqual([rightRef?.commit, rightRef?.path], [head, file]);
      assert.equal((await vscode.workspace.openTextDocument(right!)).getText(), git('show', `${head}:${file}`));
      if (file === 'review/note.md') {
        assert.equal(left, undefined, 'an added file has a left side');
      } else {
        const leftRef = parseReviewUri(left!)!;
        assert.equal((await vscode.workspace.openTextDocument(left!)).getText(), git('show', `${leftRef.commit}:${file}`));
      }
    }
    assert.deepEqual(opened.resources.map(([resource]) => path.relative(workspaceRoot(), resource.fsPath)).sort(), ['README.md', path.join('review', 'note.md')]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Merge All Completed" refuses a conflicting batch untouched, then merges the clean tasks into the integration branch', async () => {
    const options = { into: null, strategy: 'squash', onConflict: 'cancel' };
    const refused = await vscode.commands.executeCommand<MergeCommandResult>('agentOrchestrator.mergeAllCompleted', options);
    assert.ok(refused, 'Merge All Completed returned nothing');
    assert.equal(refused.action, 'cancelled');
    const target = refused.plan.target;
    assert.match(target, /^orch\/integrate\//);
    const conflicting = refused.plan.steps.filter((step) => step.state === 'conflict');
    assert.deepEqual(conflicting.map((step) => [step.taskId, step.conflictFiles]), [['TASK-4-3', ['review/shared.txt']]]);
    assert.throws(() => git('rev-parse', '--verify', '--quiet', `refs/heads/${target}`), 'the target was made although the batch was refused');

    const merged = await vscode.commands.executeCommand<MergeCommandResult>('agentOrchestrator.mergeAllCompleted', { ...options, onConflict: 'mergeClean' });
    assert.equal(merged?.action, 'mergedClean');
    const mergedIds = merged.outcome?.merged.map((entry) => entry.taskId) ?? [];
    assert.ok(mergedIds.includes('TASK-4-1') && mergedIds.includes('TASK-4-2'), `merged: ${mergedIds.join(', ')}`);
    assert.ok(!mergedIds.includes('TASK-4-3'), 'the conflicting task was merged');
    // The integration branch's tree, file by file, against the tasks' branches.
    for (const [file, branch] of [
      ['review/note.md', 'orch/TASK-4-1/a1'],
      ['README.md', 'orch/TASK-4-1/a1'],
      ['review/one.txt', 'orch/TASK-4-2/a1'],
      ['review/shared.txt', 'orch/TASK-4-2/a1'],
      ['src/greet.js', 'orch/TASK-1-1/a1'],
    ]) {
      assert.equal(git('show', `${target}:${file}`), git('show', `${branch}:${file}`), `${file} on ${target}`);
    }
    assert.throws(() => execFileSync('git', ['show', `${target}:review/two.txt`], { cwd: workspaceRoot(), stdio: 'ignore' }), 'TASK-4-3\'s work reached the target');
    assert.equal(git('rev-parse', target).trim(), merged.outcome?.targetCommit);

    await waitFor('the tree to show the merge', () => /merged → orch\/integrate\//.test(String(item('TASK-4-1').description)));
    assert.match(String(item('TASK-4-1').contextValue), /:merged\b/);
    assert.doesNotMatch(String(item('TASK-4-3').contextValue), /:merged\b/);
  });

  it('"Merge into…" the integration branch opens the conflicting task\'s file for resolving', async () => {
    const target = (await api.session.orchestrator!.planMerge({ taskIds: ['TASK-4-3'], dryRun: true })).target;
    const result = await vscode.commands.executeCommand<MergeCommandResult>('agentOrchestrator.mergeInto', { taskIds: ['TASK-4-3'], into: target, strategy: 'merge', onConflict: 'mergeEditor' });
    assert.equal(result?.action, 'mergeEditor');
    const resolution = result.resolution!;
    try {
      assert.deepEqual(resolution.files, ['review/shared.txt']);
      const conflicted = path.join(resolution.worktree, 'review', 'shared.txt');
      assert.match(fs.readFileSync(conflicted, 'utf8'), /^<<<<<<< /m, 'the file has no conflict markers');
      // VS Code shows it: in the merge editor (through the git extension), or as text with its markers.
      const tab = await waitFor('an editor on the conflicted file', () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .find((candidate) => {
            const input = candidate.input as { uri?: vscode.Uri; result?: vscode.Uri } | undefined;
            return input?.uri?.fsPath === conflicted || input?.result?.fsPath === conflicted;
          }),
      );
      assert.deepEqual(resolution.inMergeEditor, ['review/shared.txt'], `the merge editor did not open: ${resolution.fallbackReason}`);
      report('the merge editor opened', resolution.how === 'git' ? 'through the git extension' : 'directly (_open.mergeEditor; the git extension does not open worktrees outside the workspace)');
      // A merge editor's tab input (TabInputTextMerge) has base, input1, input2 and result.
      assert.ok(tab.input && typeof tab.input === 'object' && 'base' in tab.input && 'result' in tab.input, `the tab is not a merge editor: ${JSON.stringify(tab.input)}`);
      const sides = tab.input as unknown as { base: vscode.Uri; input1: vscode.Uri; input2: vscode.Uri };
      if (resolution.how === 'direct') {
        // Its sides are review documents: the current one is the target's version, the incoming one the task's.
        assert.equal((await vscode.workspace.openTextDocument(sides.input1)).getText(), git('show', `${target}:review/shared.txt`));
        assert.equal((await vscode.workspace.openTextDocument(sides.input2)).getText(), 'from TASK-4-3\n');
        assert.equal((await vscode.workspace.openTextDocument(sides.base)).getText(), '', 'the file did not exist where TASK-4-3 started');
      }
    } finally {
      await closeMergeEditor(resolution.worktree);
      execFileSync('git', ['merge', '--abort'], { cwd: resolution.worktree });
    }
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: resolution.worktree, encoding: 'utf8' }), '');
  });

  it('"Resolve with Agent" hands the conflict to an agent on top of the target, and its result is merged there', async () => {
    const target = (await api.session.orchestrator!.planMerge({ taskIds: ['TASK-4-3'], dryRun: true })).target;
    // The scripted agent runs the instruction (the context the engine adds is quoted, which it skips).
    const result = await vscode.commands.executeCommand<MergeCommandResult>('agentOrchestrator.mergeInto', {
      taskIds: ['TASK-4-3'],
      into: target,
      strategy: 'squash',
      onConflict: 'agent',
      agentInstruction: 'write review/shared.txt: from TASK-4-2 and TASK-4-3',
    });
    assert.equal(result?.action, 'agent');
    assert.deepEqual(result.queued, ['TASK-4-3']);
    await waitFor('the agent\'s resolution to be merged', () => api.model.review('TASK-4-3')?.state === 'merged', 90_000).catch((error: Error) => {
      const row = api.model.task('TASK-4-3');
      throw new Error(`${error.message} (TASK-4-3 is ${row?.displayStatus}, attempt ${row?.latestAttempt?.attemptNumber}: ${row?.errorMessage ?? ''})`);
    });
    await waitFor('the run to end', () => !api.session.isRunning, 30_000);
    assert.equal(git('show', `${target}:review/shared.txt`), 'from TASK-4-2 and TASK-4-3\n');
    assert.equal(git('show', `${target}:review/two.txt`), 'two\n');
    assert.equal(git('show', `${target}:review/one.txt`), 'one\n');
    assert.match(String(item('TASK-4-3').description), new RegExp(`merged → ${target.replace(/[/.]/g, '\\$&')}$`));
  });

  it('"Discard Task Changes" deletes the task\'s branches and the tree says so', async () => {
    const branches = () => git('branch', '--list', '--format=%(refname:short)', 'orch/TASK-4-3/*').trim();
    assert.match(branches(), /^orch\/TASK-4-3\/a1\b/);
    assert.equal(await vscode.commands.executeCommand('agentOrchestrator.discardTask', 'TASK-4-3', { confirmed: true }), 'TASK-4-3');
    assert.equal(branches(), '');
    await waitFor('the tree to show the discard', () => /· discarded$/.test(String(item('TASK-4-3').description)));
    assert.equal(item('TASK-4-3').collapsibleState, vscode.TreeItemCollapsibleState.None);
    assert.doesNotMatch(String(item('TASK-4-3').contextValue), /:branch\b/);
    assert.deepEqual(await api.treeProvider.getChildren(api.model.nodeOf('TASK-4-3')), []);
  });

  it('reads review documents from git objects, so they open after Clean Up Worktrees removed the worktrees', async () => {
    const worktree = api.model.task('TASK-4-2')?.latestAttempt?.worktree;
    // A completed task's worktree goes once its work is on its branch (keepWorktrees: failed).
    assert.ok(worktree && !fs.existsSync(worktree), 'precondition: TASK-4-2 completed and its worktree was removed');
    await vscode.commands.executeCommand('agentOrchestrator.cleanWorktrees', { deleteBranches: false });
    assert.equal(fs.existsSync(worktree), false, 'the worktree is still there');
    const files = ((await api.treeProvider.getChildren(api.model.nodeOf('TASK-4-2'))) as TreeElement[]).filter((child): child is FileNode => child.kind === 'file');
    assert.deepEqual(files.map((node) => node.file.path).sort(), ['review/one.txt', 'review/shared.txt']);
    for (const node of files) {
      const { right } = diffSides(node);
      assert.equal((await vscode.workspace.openTextDocument(right)).getText(), git('show', `${node.headCommit}:${node.file.path}`));
    }
  });
});

/**
 * Leaves no editor on a merge in progress. The merge editor fills its result a moment after it
 * opens, unsaved, and closing it then asks to save (a dialog tests cannot answer): wait for that,
 * save (the caller's `git merge --abort` puts the file back), and close.
 */
async function closeMergeEditor(worktree: string): Promise<void> {
  const dirty = () => vscode.workspace.textDocuments.filter((document) => document.isDirty && document.uri.fsPath.startsWith(worktree));
  await waitFor('the merge editor to fill its result', () => dirty().length > 0, 5_000).catch(() => undefined);
  for (let attempt = 1; ; attempt++) {
    for (const document of dirty()) await document.save();
    try {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      return;
    } catch (error) {
      if (attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
