// Opening VS Code's merge editor on one conflicted file of a merge the engine started
// (Orchestrator.resolveConflicts). Where the git extension knows the repository (the target is
// checked out in the workspace), its `git.openMergeEditor` does it as the Source Control view
// would, from the index's stages. It does not open worktrees outside the workspace (it treats them
// like repositories in parent folders), so there the merge editor is opened directly with
// `_open.mergeEditor` (the command the git extension itself calls), its three inputs read from git
// objects as review documents (reviewUri.ts): the base is the commit the task started from, the
// current side the target's commit, the incoming side the task's branch tip; the result is the
// file in the worktree. If that fails too, the file opens as text with its conflict markers.
import * as vscode from 'vscode';
import { openMergeEditor as openThroughGit } from './gitExtension';
import { reviewUri } from './reviewUri';

export interface MergeSides {
  readonly taskId: string;
  /** The commit the task started from. */
  readonly baseCommit: string;
  readonly target: string;
  readonly targetCommit: string;
  readonly headCommit: string;
}

/** 'git': through the git extension; 'direct': `_open.mergeEditor`; else why it opened as text. */
export async function openConflictedFile(worktree: vscode.Uri, file: string, sides: MergeSides | undefined): Promise<'git' | 'direct' | { readonly text: string }> {
  const result = vscode.Uri.joinPath(worktree, ...file.split('/'));
  const throughGit = await openThroughGit(worktree, result);
  if (throughGit === true) return 'git';
  if (sides) {
    const at = (commit: string) => reviewUri({ taskId: sides.taskId, commit, path: file });
    try {
      await vscode.commands.executeCommand('_open.mergeEditor', {
        base: at(sides.baseCommit),
        input1: { uri: at(sides.targetCommit), title: 'Current', description: sides.target, detail: sides.targetCommit.slice(0, 10) },
        input2: { uri: at(sides.headCommit), title: 'Incoming', description: sides.taskId, detail: sides.headCommit.slice(0, 10) },
        output: result,
      });
      return 'direct';
    } catch (error) {
      await vscode.window.showTextDocument(result, { preview: false });
      return { text: `${throughGit}; _open.mergeEditor failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  await vscode.window.showTextDocument(result, { preview: false });
  return { text: throughGit };
}
