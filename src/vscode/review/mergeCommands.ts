// "Merge into…" (a task, the tree's selection) and "Merge All Completed": pick a target and a
// strategy, have the engine simulate the whole batch first (Orchestrator.planMerge, merge-tree,
// nothing moves), then merge when it is clean. When it is not, a modal lists task → files and
// offers to merge the clean ones, to resolve in the merge editor, or to hand the conflicts to the
// agent (conflictResolution.ts); the two ways of resolving merge the clean ones first, since the
// conflicts were found with them in place. Every question can be answered in the argument object
// (MergeCommandOptions) so tests and the dashboard skip the UI.
import * as vscode from 'vscode';
import { MergeConflictsError, type MergeOutcome, type MergePlan, type MergeRequest, type MergeStep, type MergeStrategy, type Orchestrator } from '../../core';
import { writableOrchestrator, type CommandDeps } from '../commands/commandSupport';
import { requireTrust } from '../trust';
import { resolveInMergeEditor, resolveWithAgent, type EditorResolution } from './conflictResolution';
import { defaultTargetName, pickStrategy, pickTarget } from './mergePicks';
import { cleanSteps, conflictReport, conflictSteps, mergedMessage } from './reviewText';

export type ConflictChoice = 'mergeClean' | 'mergeEditor' | 'agent' | 'cancel';

export interface MergeCommandOptions {
  readonly taskIds?: readonly string[];
  /** A branch; null: the latest run's integration branch (the engine's default); left out: ask. */
  readonly into?: string | null;
  /** Left out: ask, the setting's strategy first. */
  readonly strategy?: MergeStrategy;
  /** What to do when the batch conflicts; left out: ask in a modal. */
  readonly onConflict?: ConflictChoice;
  /** 'mergeEditor' with several conflicting tasks: which one (left out: ask). */
  readonly resolveTaskId?: string;
  /** 'agent': the instruction for the agent (left out: resolve keeping both sides; the engine adds the files and tasks). */
  readonly agentInstruction?: string;
}

export interface MergeCommandResult {
  readonly action: 'merged' | 'mergedClean' | 'mergeEditor' | 'agent' | 'cancelled' | 'nothing';
  readonly plan: MergePlan;
  /** What merge() did (for 'mergeEditor' and 'agent': the clean ones merged first, if any). */
  readonly outcome?: MergeOutcome;
  readonly resolution?: EditorResolution;
  /** Tasks handed to the agent. */
  readonly queued?: readonly string[];
}

const OPTION_KEYS = ['taskIds', 'into', 'strategy', 'onConflict', 'resolveTaskId', 'agentInstruction'];

/** The options object among a command's arguments (not a tree node, which has a `kind`). */
export function mergeOptions(args: readonly unknown[]): MergeCommandOptions | undefined {
  return args.find((arg): arg is MergeCommandOptions => typeof arg === 'object' && arg !== null && !Array.isArray(arg) && !('kind' in arg) && OPTION_KEYS.some((key) => key in arg));
}

export async function runMerge(deps: CommandDeps, scope: { readonly taskIds?: readonly string[]; readonly all?: boolean }, options: MergeCommandOptions = {}): Promise<MergeCommandResult | undefined> {
  // Merging runs git (its hooks included), which an untrusted workspace never does.
  if (!requireTrust('merge task branches')) return undefined;
  const orchestrator = await writableOrchestrator(deps);
  if (!orchestrator) return undefined;
  const what = scope.all ? 'all completed tasks' : scope.taskIds?.length === 1 ? scope.taskIds[0] : `${scope.taskIds?.length ?? 0} tasks`;

  let into: string | undefined;
  if (options.into === undefined) {
    const picked = await pickTarget(orchestrator, deps.session.folder.uri, what);
    if (!picked) return undefined;
    into = picked.into;
  } else {
    into = options.into ?? undefined;
  }
  const strategy = options.strategy ?? (await pickStrategy(orchestrator.settings.mergeStrategy));
  if (!strategy) return undefined;

  const request: MergeRequest = { ...scope, into, strategy };
  const targetName = into ?? defaultTargetName(orchestrator) ?? 'the integration branch';
  const plan = await withProgress(`checking the merge of ${what} into ${targetName}…`, () => orchestrator.planMerge({ ...request, dryRun: true }));
  if (!plan.steps.some((step) => step.state === 'clean' || step.state === 'conflict')) {
    void vscode.window.showInformationMessage(
      plan.steps.length === 0 ? `Agent Orchestrator: nothing to merge — no completed task that is not merged or discarded yet.` : `Agent Orchestrator: nothing to merge into ${plan.target} — ${plan.steps.map((step) => `${step.taskId} ${step.state === 'empty' ? 'changed nothing' : 'is already in it'}`).join(', ')}.`,
    );
    return { action: 'nothing', plan };
  }
  if (!plan.hasConflicts) return { action: 'merged', plan, outcome: await mergeNow(deps, orchestrator, request) };

  const choice = options.onConflict ?? (await askAboutConflicts(plan));
  if (choice === 'cancel') return { action: 'cancelled', plan };
  const outcome = cleanSteps(plan).length > 0 ? await mergeNow(deps, orchestrator, { ...request, into: plan.target, acceptPartial: true }) : undefined;
  if (choice === 'mergeClean') return { action: 'mergedClean', plan, outcome };
  const conflicts = conflictSteps(plan);
  if (choice === 'agent') {
    const queued = await resolveWithAgent(orchestrator, conflicts, plan, options.agentInstruction);
    deps.model.refresh();
    return { action: 'agent', plan, outcome, queued };
  }
  const step = await pickConflict(conflicts, options.resolveTaskId);
  if (!step) return { action: 'cancelled', plan, outcome };
  return { action: 'mergeEditor', plan, outcome, resolution: await resolveInMergeEditor(orchestrator, step, plan, outcome?.targetCommit ?? plan.base, deps.log) };
}

async function mergeNow(deps: CommandDeps, orchestrator: Orchestrator, request: MergeRequest): Promise<MergeOutcome> {
  let outcome: MergeOutcome;
  try {
    outcome = await withProgress(`merging into ${request.into ?? 'the integration branch'}…`, () => orchestrator.merge(request));
  } catch (error) {
    // The plan said clean but the real merge found conflicts (the target moved meanwhile): say
    // which, with the error's own list of task → files; nothing was merged.
    if (error instanceof MergeConflictsError) deps.log.warn(`merge refused: ${error.message}`);
    throw error;
  } finally {
    deps.model.refresh();
  }
  void vscode.window.showInformationMessage(`Agent Orchestrator: ${mergedMessage(outcome)}`);
  return outcome;
}

async function askAboutConflicts(plan: MergePlan): Promise<ConflictChoice> {
  const { message, detail } = conflictReport(plan);
  const clean = cleanSteps(plan).length;
  const mergeClean = `Merge the ${clean} Clean One${clean === 1 ? '' : 's'}`;
  const editor = 'Resolve in Merge Editor…';
  const agent = 'Resolve with Agent';
  const buttons = [...(clean > 0 ? [mergeClean] : []), editor, agent];
  const note = clean > 0 ? `\n\nResolving merges the clean one${clean === 1 ? '' : 's'} first.` : '';
  const choice = await vscode.window.showWarningMessage(`Agent Orchestrator: ${message}`, { modal: true, detail: `${detail}${note}` }, ...buttons);
  if (choice === mergeClean) return 'mergeClean';
  if (choice === editor) return 'mergeEditor';
  if (choice === agent) return 'agent';
  return 'cancel';
}

async function pickConflict(conflicts: readonly MergeStep[], taskId: string | undefined): Promise<MergeStep | undefined> {
  if (taskId !== undefined) {
    const step = conflicts.find((candidate) => candidate.taskId === taskId);
    if (!step) throw new Error(`${taskId} has no conflict in this merge (conflicting: ${conflicts.map((c) => c.taskId).join(', ')})`);
    return step;
  }
  if (conflicts.length === 1) return conflicts[0];
  const chosen = await vscode.window.showQuickPick(
    conflicts.map((step) => ({ label: step.taskId, description: step.title, detail: step.conflictFiles.join(', '), step })),
    { title: 'Resolve which task first?', placeHolder: 'One merge at a time: its conflicted files open in the merge editor' },
  );
  return chosen?.step;
}

function withProgress<T>(title: string, work: () => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Agent Orchestrator: ${title}` }, work));
}
