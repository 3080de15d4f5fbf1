// The two questions before a merge: into which branch, and how. The target pick offers the run's
// integration branch (the engine's default, made from the run's base), the checked-out branch and
// the other local branches (from the git extension, gitExtension.ts; the attempt branches under
// the branch prefix are left out, they are what gets merged), and a typed name. The strategy pick
// lists the setting's strategy first.
import * as vscode from 'vscode';
import type { MergeStrategy, Orchestrator } from '../../core';
import { localBranches } from './gitExtension';

/** The chosen target: `into` undefined means the engine's default integration branch. */
export interface PickedTarget {
  readonly into: string | undefined;
  readonly label: string;
}

interface TargetItem extends vscode.QuickPickItem {
  readonly target?: PickedTarget;
  readonly typeName?: boolean;
}

/** The integration branch the engine merges into when no target is given (MergeRequest.into). */
export function defaultTargetName(orchestrator: Orchestrator): string | undefined {
  const run = orchestrator.latestRun();
  return run ? `${orchestrator.settings.branchPrefix}integrate/${run.runId}` : undefined;
}

export async function pickTarget(orchestrator: Orchestrator, root: vscode.Uri, what: string): Promise<PickedTarget | undefined> {
  const prefix = orchestrator.settings.branchPrefix;
  const integration = defaultTargetName(orchestrator);
  const branches = await localBranches(root);
  const items: TargetItem[] = [];
  if (integration) {
    items.push({ label: `$(git-merge) ${integration}`, description: 'the latest run\'s integration branch (default)', target: { into: undefined, label: integration } });
  }
  if (branches?.current) items.push({ label: `$(git-branch) ${branches.current}`, description: 'the checked-out branch', target: { into: branches.current, label: branches.current } });
  const others = (branches?.others ?? []).filter((name) => name !== integration && (!name.startsWith(prefix) || name.startsWith(`${prefix}integrate/`)));
  if (others.length > 0) items.push({ label: 'Other branches', kind: vscode.QuickPickItemKind.Separator });
  for (const name of others) items.push({ label: `$(git-branch) ${name}`, target: { into: name, label: name } });
  items.push({ label: '$(edit) Another branch…', description: 'type its name (a new one starts from the run\'s base)', typeName: true });
  const chosen = await vscode.window.showQuickPick(items, { title: `Merge ${what} into…`, placeHolder: 'The branch that receives the work' });
  if (!chosen) return undefined;
  if (!chosen.typeName) return chosen.target;
  const name = await vscode.window.showInputBox({
    title: `Merge ${what} into…`,
    prompt: 'A branch name',
    validateInput: (value) => (/^[^\s~^:?*[\\]+$/.test(value.trim()) && !value.includes('..') ? undefined : 'Not a valid branch name'),
  });
  return name ? { into: name.trim(), label: name.trim() } : undefined;
}

const STRATEGY_WORDS: Readonly<Record<MergeStrategy, string>> = {
  squash: 'one commit per task holding all of its work',
  merge: 'one merge commit per task (--no-ff), naming the task',
  rebase: 'the task\'s own commits replayed onto the target',
};

export async function pickStrategy(defaultStrategy: MergeStrategy): Promise<MergeStrategy | undefined> {
  const order: MergeStrategy[] = [defaultStrategy, ...(['squash', 'merge', 'rebase'] as const).filter((s) => s !== defaultStrategy)];
  const items = order.map((strategy) => ({ label: strategy, description: strategy === defaultStrategy ? `${STRATEGY_WORDS[strategy]} (the setting)` : STRATEGY_WORDS[strategy], strategy }));
  const chosen = await vscode.window.showQuickPick(items, { title: 'Merge strategy', placeHolder: 'How each task\'s work lands on the target' });
  return chosen?.strategy;
}
