// The review-and-merge commands (docs/review.md): `review [TASK]`, `merge (TASK… | --all)`,
// `discard TASK` and `conflicts`. The same engine calls as the editor's; this file only reads the
// command line and words the results. main.ts opens the workspace and hands over.
import { MergeConflictsError, type ChangedFile, type MergeOutcome, type MergePlan, type MergeStrategy, type Orchestrator, type TaskChanges } from '../core';
import { isMergeStrategy } from '../core';
import { conflictsReport } from './conflictsCommand';
import { EXIT } from './exitCodes';
import { UsageError } from './usageError';

export const REVIEW_COMMANDS: ReadonlySet<string> = new Set(['review', 'merge', 'discard', 'conflicts']);

/** The commands that only read (no writer lock needed). */
export function readsOnly(name: string, options: ReviewOptions): boolean {
  return name === 'review' || name === 'conflicts' || (name === 'merge' && options.dryRun);
}

export const REVIEW_USAGE = `  review [TASK-ID]       what each finished task changed (files, +/−), or one task's files
  merge TASK-ID...|--all merge completed tasks into --into BRANCH (default: the run's integration
                         branch orch/integrate/<run>), in dependency order, conflicts checked first;
                         --strategy merge|squash|rebase, --dry-run, --accept-partial (merge the clean
                         ones although others conflict)
  discard <TASK-ID>      delete a task's branches and worktrees (its work is gone)
  conflicts              the conflicts merging every completed task would meet, and the
                         conflict radar's pairs of the latest run`;

export interface ReviewOptions {
  readonly json: boolean;
  readonly all: boolean;
  readonly into: string | undefined;
  readonly strategy: string | undefined;
  readonly dryRun: boolean;
  readonly acceptPartial: boolean;
}

type Print = (text: string) => void;

const KIND_LETTER: Readonly<Record<ChangedFile['kind'], string>> = { added: 'A', modified: 'M', deleted: 'D', renamed: 'R' };

function counts(insertions: number | null, deletions: number | null): string {
  return insertions === null || deletions === null ? 'binary' : `+${insertions} −${deletions}`;
}

function fileLine(file: ChangedFile): string {
  return `  ${KIND_LETTER[file.kind]}  ${file.oldPath ? `${file.oldPath} → ${file.path}` : file.path}  ${counts(file.insertions, file.deletions)}`;
}

function taskLine(task: TaskChanges): string {
  const review = task.review.state === 'merged' ? `merged into ${task.review.target}` : task.review.state;
  return `${task.taskId}  ${task.status}  ${review}  ${task.files.length} file(s) +${task.insertions} −${task.deletions}  ${task.branch}`;
}

function planLines(plan: MergePlan): string[] {
  const lines = [`Into ${plan.target}${plan.targetExists ? '' : ` (new, from ${plan.base.slice(0, 10)})`} with ${plan.strategy}${plan.usedFallback ? '; checked in a temporary worktree (git < 2.38)' : ''}:`];
  for (const step of plan.steps) {
    const detail = step.state === 'conflict' ? `: ${step.conflictFiles.join(', ')}${step.conflictsWith.length > 0 ? ` (with ${step.conflictsWith.join(', ')})` : ''}` : '';
    lines.push(`  ${step.taskId}  ${step.state}${detail}`);
  }
  return lines;
}

function outcomeLines(outcome: MergeOutcome): string[] {
  const { plan } = outcome;
  const lines = [`Merged ${outcome.merged.length} task(s) into ${plan.target} (${plan.strategy}), now at ${outcome.targetCommit.slice(0, 10)}.`];
  for (const merged of outcome.merged) lines.push(`  ${merged.taskId}  ${merged.commit.slice(0, 10)}`);
  for (const skipped of outcome.skipped) lines.push(`  ${skipped.taskId}  skipped: ${skipped.why}`);
  return lines;
}

/** Conflicts on stderr (task ids and files), the plan on stdout with --json: exit 4. */
function conflictsFound(plan: MergePlan, options: ReviewOptions, print: Print, dryRun: boolean): number {
  if (options.json) print(JSON.stringify({ merged: [], plan }, null, 2));
  const lines = plan.steps.filter((step) => step.state === 'conflict').map((step) => `  ${step.taskId}: ${step.conflictFiles.join(', ')}${step.conflictsWith.length > 0 ? ` (with ${step.conflictsWith.join(', ')})` : ''}`);
  process.stderr.write(`agent-orchestrator: merging into ${plan.target} would conflict${dryRun ? '' : ', so nothing was merged'}:\n${lines.join('\n')}\n${dryRun ? '' : 'Merge the clean ones with --accept-partial, or resolve the conflicts first.\n'}`);
  return EXIT.conflicts;
}

export async function reviewCommand(name: string, args: readonly string[], options: ReviewOptions, o: Orchestrator, print: Print): Promise<number> {
  switch (name) {
    case 'review': {
      if (args.length > 1) throw new UsageError('review takes at most one task id');
      if (args.length === 1) {
        const changes = await o.taskChanges(args[0]);
        if (!changes) throw new Error(`${args[0]} has no branch to review (it has not run, or its branch was deleted)`);
        print(options.json ? JSON.stringify(changes, null, 2) : [taskLine(changes), ...changes.files.map(fileLine)].join('\n'));
        return EXIT.ok;
      }
      const all = await o.reviewableTasks();
      print(options.json ? JSON.stringify(all, null, 2) : all.length === 0 ? 'No finished task has work on a branch.' : all.map(taskLine).join('\n'));
      return EXIT.ok;
    }
    case 'merge': {
      if (args.length === 0 && !options.all) throw new UsageError('merge takes task ids, or --all');
      if (args.length > 0 && options.all) throw new UsageError('merge takes task ids or --all, not both');
      if (options.strategy !== undefined && !isMergeStrategy(options.strategy)) throw new UsageError(`--strategy for merge must be merge, squash or rebase, not "${options.strategy}"`);
      const request = { taskIds: args.length > 0 ? args : undefined, all: options.all, into: options.into, strategy: options.strategy as MergeStrategy | undefined, acceptPartial: options.acceptPartial };
      if (options.dryRun) {
        const plan = await o.planMerge(request);
        if (plan.hasConflicts && !options.acceptPartial) return conflictsFound(plan, options, print, true);
        print(options.json ? JSON.stringify({ merged: [], plan }, null, 2) : planLines(plan).join('\n'));
        return EXIT.ok;
      }
      try {
        const outcome = await o.merge(request);
        print(options.json ? JSON.stringify(outcome, null, 2) : outcomeLines(outcome).join('\n'));
        return EXIT.ok;
      } catch (error) {
        if (error instanceof MergeConflictsError) return conflictsFound(error.plan, options, print, false);
        throw error;
      }
    }
    case 'discard': {
      if (args.length !== 1) throw new UsageError('discard takes one task id');
      await o.discard(args[0]);
      print(options.json ? JSON.stringify({ discarded: args[0] }) : `Discarded ${args[0]}: its branches and worktrees are deleted.`);
      return EXIT.ok;
    }
    case 'conflicts': {
      if (args.length > 0) throw new UsageError('conflicts takes no arguments');
      const parts = await conflictsReport(o);
      print(options.json ? JSON.stringify(Object.fromEntries(parts.map((part) => [part.key, part.json])), null, 2) : parts.flatMap((part) => part.lines).join('\n'));
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown command "${name}"`);
  }
}
