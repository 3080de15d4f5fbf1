// The two ways out of a conflicting merge that do not just drop the conflicting tasks. In the
// merge editor: the engine starts the real merge of one task in the target's worktree and leaves
// git's merge state (Orchestrator.resolveConflicts); each conflicted file opens in VS Code's merge
// editor through the git extension (gitExtension.ts), or with its conflict markers when that
// extension is off. With an agent: a follow-up of kind 'resolve' per conflicting task, which the
// next run runs on top of the target and merges once it completes; that runs agents, so it needs
// a trusted workspace (src/vscode/trust.ts).
import * as vscode from 'vscode';
import type { MergePlan, MergeStep, Orchestrator } from '../../core';
import { requireTrust } from '../trust';
import { openConflictedFile } from './mergeEditor';
import { resolvePrompt } from './reviewText';

export interface EditorResolution {
  readonly taskId: string;
  readonly worktree: string;
  readonly files: readonly string[];
  /** Files the merge editor opened (the others opened as text with their conflict markers). */
  readonly inMergeEditor: readonly string[];
  /** How the merge editor was opened: through the git extension, or directly (mergeEditor.ts). */
  readonly how?: 'git' | 'direct';
  /** Why a file opened as text instead. */
  readonly fallbackReason?: string;
}

/** `targetCommit`: the target's tip before this merge (after the clean ones were merged). */
export async function resolveInMergeEditor(orchestrator: Orchestrator, step: MergeStep, plan: MergePlan, targetCommit: string, log: vscode.LogOutputChannel): Promise<EditorResolution> {
  const { worktree, files } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Agent Orchestrator: merging ${step.taskId} into ${plan.target} to resolve its conflicts…` },
    () => orchestrator.resolveConflicts(step.taskId, plan.target),
  );
  const changes = await orchestrator.taskChanges(step.taskId);
  const sides = changes ? { taskId: step.taskId, baseCommit: changes.startCommit, target: plan.target, targetCommit, headCommit: changes.headCommit } : undefined;
  const root = vscode.Uri.file(worktree);
  const inMergeEditor: string[] = [];
  let how: 'git' | 'direct' | undefined;
  let fallbackReason: string | undefined;
  for (const file of files) {
    const opened = await openConflictedFile(root, file, sides);
    if (typeof opened === 'string') {
      inMergeEditor.push(file);
      how ??= opened;
    } else {
      fallbackReason ??= opened.text;
      log.info(`${file}: opened as text with its conflict markers, not in the merge editor: ${opened.text}`);
    }
  }
  const where = worktree === vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ? 'this workspace' : worktree;
  void vscode.window.showInformationMessage(
    `Agent Orchestrator: ${step.taskId} is being merged into ${plan.target} in ${where}; ${files.length} conflicted file${files.length === 1 ? '' : 's'} opened. Resolve ${files.length === 1 ? 'it' : 'each'}, then commit the merge there.`,
  );
  return { taskId: step.taskId, worktree, files, inMergeEditor, how, fallbackReason };
}

/** Queues a 'resolve' follow-up for each conflicting task and starts a run of them; the ids queued. */
export async function resolveWithAgent(orchestrator: Orchestrator, steps: readonly MergeStep[], plan: MergePlan, instruction?: string): Promise<string[]> {
  if (!requireTrust('run agents to resolve the conflicts')) return [];
  const queued: string[] = [];
  for (const step of steps) {
    await orchestrator.followUp(step.taskId, instruction ?? resolvePrompt(step, plan.target), { kind: 'resolve', into: plan.target });
    queued.push(step.taskId);
  }
  // The run goes on in the background; its end is announced like any run's.
  void vscode.commands.executeCommand('agentOrchestrator.runSelected', queued);
  return queued;
}
