// "Send Follow-up…": the user writes an instruction for a finished task's agent; the engine
// records it and puts the task back in the queue (a new attempt on the task's branch, see
// docs/review.md), and the user may run it at once. Review comments end in the same place
// (reviewComments.ts), so the "Run Now" offer lives here for both.
import * as vscode from 'vscode';
import type { Orchestrator, TaskView } from '../../core';
import { registerCommand, writableOrchestrator, type CommandDeps } from '../commands/commandSupport';
import { resolveTaskIds } from '../commands/taskArgs';

/** Statuses a follow-up can start from: the agent is done, whatever it achieved. */
const FOLLOW_UP_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'timed_out', 'cancelled', 'interrupted']);

/** Whether a task can take a follow-up: its agent finished and left a branch to continue on. */
export function canFollowUp(row: TaskView): boolean {
  return FOLLOW_UP_STATUSES.has(row.displayStatus) && row.latestAttempt?.branch != null;
}

/** Options callers (tests, other commands) pass to skip the input box. */
export interface FollowUpOptions {
  readonly prompt?: string;
}

export function registerFollowUpCommand(deps: CommandDeps): vscode.Disposable {
  return registerCommand('agentOrchestrator.sendFollowUp', deps.log, async (...args) => {
    const [taskId] = await resolveTaskIds(deps.model, deps.selection, args, { candidates: canFollowUp, placeholder: 'Send a follow-up to which task’s agent?', many: false });
    if (!taskId || !readyForFollowUp(deps, taskId)) return undefined;
    const options = followUpOptions(args[1]);
    const prompt = options.prompt ?? (await askForInstruction(deps, taskId));
    if (prompt === undefined) return undefined;
    const orchestrator = await writableOrchestrator(deps);
    if (!orchestrator) return undefined;
    await recordFollowUp(deps, orchestrator, taskId, prompt);
    return { taskId, prompt: prompt.trim() };
  });
}

/**
 * The engine takes follow-ups between runs only (the running scheduler would not pick it up): say
 * so before the user writes anything, rather than refusing afterwards.
 */
export function readyForFollowUp(deps: CommandDeps, taskId: string): boolean {
  if (!deps.session.isRunning) return true;
  void vscode.window.showInformationMessage(`Agent Orchestrator: a run is in progress; send the follow-up for ${taskId} once it has finished.`);
  return false;
}

function followUpOptions(value: unknown): FollowUpOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const prompt = (value as { prompt?: unknown }).prompt;
  return typeof prompt === 'string' ? { prompt } : {};
}

async function askForInstruction(deps: CommandDeps, taskId: string): Promise<string | undefined> {
  const row = deps.model.task(taskId);
  return vscode.window.showInputBox({
    title: `Follow-up for ${taskId}${row?.title ? `: ${row.title}` : ''}`,
    prompt: 'What should the agent do next? It continues on the task’s branch and sees its earlier work and this instruction.',
    placeHolder: 'e.g. Handle the empty input too, and add a test for it.',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'Write an instruction for the agent.' : undefined),
  });
}

/**
 * Records the follow-up (the engine checks the task and puts it back in the queue), refreshes the
 * views and offers to run it now. Throws the engine's error, naming the task, when it refuses.
 */
export async function recordFollowUp(deps: CommandDeps, orchestrator: Orchestrator, taskId: string, prompt: string): Promise<void> {
  const text = prompt.trim();
  if (text === '') throw new Error(`the follow-up for ${taskId} is empty: nothing was recorded`);
  await orchestrator.followUp(taskId, text);
  deps.model.refresh();
  deps.log.info(`follow-up recorded for ${taskId} (${text.length} characters)`);
  offerRunNow(`Follow-up recorded for ${taskId}: a new attempt continues on its branch with the next run.`);
}

/** "Run Now" runs the plan's unfinished tasks, which now include the task: the Run All command. */
function offerRunNow(message: string): void {
  const runNow = 'Run Now';
  void vscode.window.showInformationMessage(`Agent Orchestrator: ${message}`, runNow).then((choice) => {
    // Run All checks trust and a run in progress itself.
    if (choice === runNow) return vscode.commands.executeCommand('agentOrchestrator.runAll');
    return undefined;
  });
}
