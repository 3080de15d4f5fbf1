// The review's commands and providers, registered in one call from src/vscode/extension.ts:
// "Review Changes" (all of a task's files in VS Code's multi-file diff editor, `vscode.changes`),
// "Merge into…" and "Merge All Completed" (mergeCommands.ts), "Discard Task Changes", the review
// documents' content provider, and the radar's first-sighting notification (overlapNotice.ts).
import * as vscode from 'vscode';
import type { TaskView } from '../../core';
import { registerCommand, writableOrchestrator, type CommandDeps } from '../commands/commandSupport';
import { resolveTaskIds, taskIdsFromArgs } from '../commands/taskArgs';
import { diffSides } from '../tree/changeNodes';
import { changesKey } from './TaskChangesCache';
import { showsChanges } from '../tree/taskTreeText';
import { requireTrust } from '../trust';
import { mergeOptions, runMerge } from './mergeCommands';
import { ReviewDocuments } from './ReviewDocuments';
import { openedOrchestrator, type ReviewParts } from './reviewParts';
import { REVIEW_SCHEME } from './reviewUri';
import { watchOverlaps } from './overlapNotice';
import type { TreeElement } from '../tree/changeNodes';

/** What "Review Changes" opened: the editor's title and its [resource, left, right] triples. */
export interface ReviewOpened {
  readonly title: string;
  readonly resources: ReadonlyArray<readonly [vscode.Uri, vscode.Uri | undefined, vscode.Uri | undefined]>;
}

export function registerReviewCommands(deps: CommandDeps, review: ReviewParts, treeView: vscode.TreeView<TreeElement>): vscode.Disposable[] {
  const { log, model } = deps;
  const reveal = async (taskIds: readonly string[]) => {
    const nodes = taskIds.flatMap((taskId) => model.nodeOf(taskId) ?? []);
    for (const node of nodes) await treeView.reveal(node, { select: false, focus: false, expand: false });
    if (nodes.length > 0) await treeView.reveal(nodes[0], { select: true, focus: true });
  };
  const reviewable = (row: TaskView) => showsChanges(row, { state: model.review(row.taskId)?.state });
  const mergeable = (row: TaskView) => row.displayStatus === 'completed' && reviewable(row) && model.review(row.taskId)?.state !== 'merged';
  return [
    vscode.workspace.registerTextDocumentContentProvider(REVIEW_SCHEME, new ReviewDocuments(() => openedOrchestrator(deps.session))),
    watchOverlaps({ model, onDidEmit: deps.session.onDidEmit, reveal, shown: review.overlapNotices }),
    registerCommand('agentOrchestrator.reviewChanges', log, async (...args) => {
      const [taskId] = await resolveTaskIds(model, deps.selection, args, { candidates: reviewable, placeholder: 'Review whose changes?', many: false });
      return taskId ? reviewChanges(deps, review, taskId) : undefined;
    }),
    registerCommand('agentOrchestrator.mergeInto', log, async (...args) => {
      const options = mergeOptions(args) ?? {};
      const taskIds = options.taskIds ?? (await resolveTaskIds(model, deps.selection, args, { candidates: mergeable, placeholder: 'Tasks to merge', many: true }));
      return taskIds.length > 0 ? runMerge(deps, { taskIds }, options) : undefined;
    }),
    registerCommand('agentOrchestrator.mergeAllCompleted', log, (...args) => runMerge(deps, { all: true }, mergeOptions(args) ?? {})),
    registerCommand('agentOrchestrator.discardTask', log, async (...args) => {
      const confirmed = args.some((arg) => typeof arg === 'object' && arg !== null && (arg as { confirmed?: unknown }).confirmed === true);
      const ids = taskIdsFromArgs(model, args);
      const [taskId] = ids.length > 0 ? ids : await resolveTaskIds(model, deps.selection, [], { candidates: reviewable, placeholder: 'Discard whose changes?', many: false });
      return taskId ? discard(deps, taskId, confirmed) : undefined;
    }),
  ];
}

async function reviewChanges(deps: CommandDeps, review: ReviewParts, taskId: string): Promise<ReviewOpened | undefined> {
  if (!requireTrust('read task changes')) return undefined;
  const row = deps.model.task(taskId);
  if (!row) throw new Error(`there is no task ${taskId} in this workspace's plan`);
  const changes = await review.changes.get(taskId, changesKey(row, deps.model.review(taskId)?.state));
  if (!changes) {
    void vscode.window.showInformationMessage(`Agent Orchestrator: ${taskId} has no branch to review (it never ran, or its work was discarded).`);
    return undefined;
  }
  if (changes.files.length === 0) {
    void vscode.window.showInformationMessage(`Agent Orchestrator: ${taskId} changed no files (${changes.branch} is where it started).`);
    return undefined;
  }
  const folder = deps.session.folder.uri;
  // The resource names an entry (its label, the workspace path); an absent side is left out so the
  // editor shows the file as added or deleted rather than as a diff against nothing.
  const resources = changes.files.map((file) => {
    const sides = diffSides({ taskId, startCommit: changes.startCommit, headCommit: changes.headCommit, file });
    return [vscode.Uri.joinPath(folder, file.path), file.kind === 'added' ? undefined : sides.left, file.kind === 'deleted' ? undefined : sides.right] as const;
  });
  const title = `Review ${taskId}: ${changes.title}`;
  await vscode.commands.executeCommand('vscode.changes', title, resources);
  return { title, resources };
}

async function discard(deps: CommandDeps, taskId: string, confirmed: boolean): Promise<string | undefined> {
  if (!requireTrust('discard a task\'s branch')) return undefined;
  const orchestrator = await writableOrchestrator(deps);
  if (!orchestrator) return undefined;
  const row = deps.model.task(taskId);
  if (!row) throw new Error(`there is no task ${taskId} in this workspace's plan`);
  if (!confirmed) {
    const yes = 'Discard';
    const branch = row.latestAttempt?.branch;
    const choice = await vscode.window.showWarningMessage(
      `Discard the work of ${taskId} (${row.title ?? taskId})?`,
      { modal: true, detail: `This deletes its branch${branch ? ` ${branch} and its other attempts' branches` : 'es'} and worktrees. The task stays in the plan, marked discarded. This cannot be undone.` },
      yes,
    );
    if (choice !== yes) return undefined;
  }
  await orchestrator.discard(taskId);
  deps.model.refresh();
  void vscode.window.setStatusBarMessage(`Agent Orchestrator: discarded the work of ${taskId}.`, 4000);
  return taskId;
}
