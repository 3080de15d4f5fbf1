// "Create Pull Request" for a task's branch (the tree's task menu) or for an integration branch
// (the palette): the engine pushes the branch and opens the pull request with `gh` where it is
// installed and logged in, else gives the remote's compare link, else says there is no remote
// (docs/review.md). Here: which branch, a progress notification while git and gh work, and the
// url with "Open".
import * as vscode from 'vscode';
import type { Orchestrator, PullRequestResult, TaskView } from '../../core';
import { registerCommand, writableOrchestrator, type CommandDeps } from '../commands/commandSupport';
import { resolveTaskIds } from '../commands/taskArgs';
import { requireTrust } from '../trust';

/** A task whose work can become a pull request: completed, with a branch, not discarded. */
function hasPullableBranch(row: TaskView): boolean {
  return row.displayStatus === 'completed' && row.latestAttempt?.branch != null;
}

export function registerPullRequestCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    registerCommand('agentOrchestrator.createPullRequest', deps.log, async (...args) => {
      const [taskId] = await resolveTaskIds(deps.model, deps.selection, args, { candidates: hasPullableBranch, placeholder: 'Create a pull request for which task’s branch?', many: false });
      if (!taskId || !requireTrust('push branches')) return undefined;
      const orchestrator = await writableOrchestrator(deps);
      if (!orchestrator) return undefined;
      return createPullRequest(orchestrator, { taskId }, deps.model.task(taskId)?.latestAttempt?.branch ?? taskId);
    }),
    registerCommand('agentOrchestrator.createIntegrationPullRequest', deps.log, async (options?: unknown) => {
      const orchestrator = await writableOrchestrator(deps);
      if (!orchestrator) return undefined;
      const branch = branchOption(options) ?? (await pickIntegrationBranch(orchestrator));
      if (!branch || !requireTrust('push branches')) return undefined;
      return createPullRequest(orchestrator, { integration: branch }, branch);
    }),
  ];
}

function branchOption(value: unknown): string | undefined {
  const branch = typeof value === 'object' && value !== null ? (value as { branch?: unknown }).branch : undefined;
  return typeof branch === 'string' && branch !== '' ? branch : undefined;
}

/**
 * The branches tasks were merged into, newest merge first (the database records each merge's
 * target): one is taken as it is, several are offered in a Quick Pick.
 */
async function pickIntegrationBranch(orchestrator: Orchestrator): Promise<string | undefined> {
  const latest = new Map<string, { at: string; tasks: number }>();
  for (const record of orchestrator.reviewStates().values()) {
    if (record.state !== 'merged' || !record.target) continue;
    const seen = latest.get(record.target);
    const at = record.updatedAt ?? '';
    latest.set(record.target, { at: seen && seen.at > at ? seen.at : at, tasks: (seen?.tasks ?? 0) + 1 });
  }
  const targets = [...latest.entries()].sort((a, b) => (a[1].at < b[1].at ? 1 : a[1].at > b[1].at ? -1 : 0));
  if (targets.length === 0) {
    void vscode.window.showInformationMessage('Agent Orchestrator: no task has been merged yet, so there is no integration branch. Merge the completed tasks first (Merge All Completed).');
    return undefined;
  }
  if (targets.length === 1) return targets[0][0];
  const picked = await vscode.window.showQuickPick(
    targets.map(([branch, { tasks }]) => ({ label: branch, description: `${tasks} task${tasks === 1 ? '' : 's'} merged` })),
    { placeHolder: 'Create a pull request for which branch?' },
  );
  return picked?.label;
}

async function createPullRequest(orchestrator: Orchestrator, what: { taskId: string } | { integration: string }, branch: string): Promise<PullRequestResult> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Agent Orchestrator: pushing ${branch} and creating a pull request…` },
    () => orchestrator.createPullRequest(what),
  );
  void showResult(result);
  return result;
}

/** The pull request's url (or the compare link) with "Open"; no remote is a warning that says so. */
async function showResult(result: PullRequestResult): Promise<void> {
  if (result.how === 'no-remote' || result.url === null) {
    void vscode.window.showWarningMessage(`Agent Orchestrator: ${result.message}`);
    return;
  }
  const open = result.how === 'gh' ? 'Open' : 'Open Compare Link';
  const choice = await vscode.window.showInformationMessage(`Agent Orchestrator: ${result.message}`, open);
  if (choice === open) await vscode.env.openExternal(vscode.Uri.parse(result.url));
}
