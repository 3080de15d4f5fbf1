// A follow-up's attempt (docs/review.md, "Follow-ups"): what the executor does differently when the
// task it starts has a follow-up waiting (Orchestrator.followUp recorded it). The worktree starts
// on the task's current branch (no dependency merges: that branch already holds them), or for
// "Resolve with Agent" on the merge target with the task's branch merged in and its conflicts left;
// the prompt holds the original task, what the last attempt reported and the follow-up; the agent
// CLI resumes its own session when its profile can and the last attempt recorded one. In run/
// beside the executor, which calls it (agentExecutor.ts), because it needs the store, git and the
// agent profiles at once.
import { existsSync, readFileSync } from 'node:fs';
import { createParser, type AgentProfile } from '../agents';
import { concludeMerge, describeRepository, fastForwardBranch, filesWithConflictMarkers, mergeLeavingConflicts, ORCHESTRATOR_IDENTITY, tasksOnTargetTouching, WorktreeManager } from '../git';
import type { PlanTask } from '../model';
import type { AttemptRecord, FollowUpRecord, OrchestratorStore } from '../store';

/** What the executor needs of a follow-up to start its attempt, and to finish it. */
export interface FollowUpStart {
  readonly followUp: FollowUpRecord;
  /** Where the worktree starts (a branch); no dependency branches are merged into it. */
  readonly baseRef: string;
  /** The agent CLI's session to resume (only when the profile has `resumeArgs`). */
  readonly sessionId: string | undefined;
  /** Run once the worktree exists (resolve: the merge); returns the prompt. */
  prepare(worktree: string): Promise<string>;
  /** Run after the agent's work is committed (resolve: conclude the merge, move the target). */
  finish(worktree: string): Promise<void>;
  /** Run once the agent has ended, whatever its outcome: undoes what prepare() made for it alone. */
  release?(): Promise<void>;
}

export type FollowUpStore = Pick<OrchestratorStore, 'pendingFollowUp' | 'takeFollowUp' | 'listAttempts' | 'recordReview' | 'recordEvent'>;

export interface FollowUpParts {
  readonly store: FollowUpStore;
  readonly repoDir: string;
  readonly runId: string;
}

/**
 * The follow-up the attempt `attempt` of `task` carries out, marked as taken by it; undefined when
 * the task has none waiting (a plain attempt).
 */
export function startFollowUp(parts: FollowUpParts, task: PlanTask, attempt: AttemptRecord, profile: AgentProfile | undefined): FollowUpStart | undefined {
  const { store } = parts;
  const followUp = store.pendingFollowUp(task.id);
  if (!followUp) return undefined;
  store.takeFollowUp(followUp.followUpId, attempt.attemptId);
  const earlier = store.listAttempts(task.id).filter((a) => a.attemptId !== attempt.attemptId);
  // The attempt the follow-up continues: the one whose branch it was recorded on (base_ref).
  const last = earlier.filter((a) => a.branch !== null && a.branch === followUp.baseRef).at(-1) ?? earlier.at(-1);
  const ownBranch = followUp.baseRef ?? last?.branch ?? '';
  const sessionId = profile?.resumeArgs && last?.sessionId && last.agent === profile.name ? last.sessionId : undefined;
  const report = lastReport(last, profile);

  // An agent CLI resumes a session only while the folder it ran in exists (Claude Code answers "No
  // conversation found" otherwise): a worktree removed once its work was on the branch (setting
  // keepWorktrees) is checked out again for the resumed attempt, and removed again after it.
  const sessionFolder = sessionId && last?.worktree && last.branch ? { path: last.worktree, branch: last.branch } : undefined;
  let restored = false;
  const restoreSessionFolder = async () => {
    if (sessionFolder && !existsSync(sessionFolder.path)) restored = await new WorktreeManager({ repoDir: parts.repoDir }).restore(sessionFolder.path, sessionFolder.branch);
  };
  const release = async () => {
    if (restored && sessionFolder) await new WorktreeManager({ repoDir: parts.repoDir }).remove(sessionFolder.path).catch(() => undefined);
  };

  if (followUp.kind === 'followup' || !followUp.mergeInto) {
    return {
      followUp,
      baseRef: ownBranch,
      sessionId,
      prepare: async () => {
        await restoreSessionFolder();
        return followUpPrompt(task, followUp.prompt, report, sessionId !== undefined);
      },
      finish: async () => undefined,
      release,
    };
  }

  const into = followUp.mergeInto;
  let conflicted: string[] = [];
  return {
    followUp,
    baseRef: into,
    sessionId,
    release,
    prepare: async (worktree) => {
      await restoreSessionFolder();
      conflicted = await mergeLeavingConflicts(worktree, ownBranch);
      const others = await tasksOnTargetTouching(parts.repoDir, into, ownBranch, conflicted, task.id);
      return resolvePrompt(task, followUp.prompt, { into, ownBranch, conflicted, others }, report);
    },
    finish: async (worktree) => {
      const left = await filesWithConflictMarkers(worktree, conflicted);
      if (left.length > 0) throw new Error(`conflict markers are still in ${left.join(', ')}: the merge of ${ownBranch} into ${into} is not resolved`);
      const commit = await concludeMerge(worktree, `${task.id}: ${task.title}\n\nMerge ${ownBranch} into ${into}, conflicts resolved by the agent (run ${parts.runId})`, ORCHESTRATOR_IDENTITY);
      await fastForwardBranch(await describeRepository(parts.repoDir), into, commit);
      store.recordReview({ taskId: task.id, state: 'merged', target: into, commit, strategy: 'merge', runId: parts.runId });
      store.recordEvent({ kind: 'resolve_merged', runId: parts.runId, taskId: task.id, detail: { into, commit, files: conflicted } });
    },
  };
}

/** What the last attempt reported: its outcome, its error, and its agent's final result text (from its log). */
export function lastReport(attempt: AttemptRecord | undefined, profile: AgentProfile | undefined): string {
  if (!attempt) return 'No earlier attempt was recorded.';
  const lines = [`Attempt ${attempt.attemptNumber} (${attempt.agent ?? 'unknown agent'}) ended ${attempt.outcome ?? 'without an outcome'}${attempt.branch ? ` on branch ${attempt.branch}` : ''}.`];
  const result = attempt.logPath && profile ? resultText(attempt.logPath, profile) : undefined;
  if (result) lines.push(`Its final message: ${result}`);
  if (attempt.error) lines.push(`Its error: ${attempt.error}`);
  return lines.join('\n');
}

/** The agent's last `result` event in its log, read back with its profile's parser. */
function resultText(logPath: string, profile: AgentProfile): string | undefined {
  if (!existsSync(logPath)) return undefined;
  const parser = createParser(profile.parser);
  let text: string | undefined;
  const take = (events: ReturnType<typeof parser.end>) => {
    for (const event of events) if (event.kind === 'result') text = event.summary ?? event.error ?? text;
  };
  for (const line of readFileSync(logPath, 'utf8').split('\n')) take(parser.push(line, 'stdout'));
  take(parser.end());
  return text?.trim() || undefined;
}

/** Lines quoted as Markdown, so that context is read as context (the scripted agent skips quoted lines too). */
function quoted(text: string): string {
  return text.split('\n').map((line) => `> ${line}`).join('\n');
}

/**
 * The follow-up's prompt: the instruction first, then the context. A resumed session already holds
 * the original task and the agent's own report, so it gets the instruction alone.
 */
export function followUpPrompt(task: PlanTask, instruction: string, report: string, resumed: boolean): string {
  if (resumed) return instruction;
  return [
    instruction,
    '',
    `This is a follow-up to task ${task.id} (${task.title}). This worktree is on the task's branch and already holds the earlier attempt's work: change it, do not start over.`,
    '',
    ...taskContext(task, report),
  ].join('\n');
}

/** What both kinds of follow-up quote after their instruction: the original task and the last report. */
function taskContext(task: PlanTask, report: string): string[] {
  return ['The original task:', quoted(task.prompt), '', 'What the last attempt reported:', quoted(report), ''];
}

interface ResolveFacts {
  readonly into: string;
  readonly ownBranch: string;
  readonly conflicted: readonly string[];
  readonly others: readonly string[];
}

/** The prompt of a "Resolve with Agent" attempt: the instruction, the files, the other tasks. */
export function resolvePrompt(task: PlanTask, instruction: string, facts: ResolveFacts, report: string): string {
  const files = facts.conflicted.length > 0 ? facts.conflicted.map((file) => `- ${file}`).join('\n') : '- (none: the merge applied cleanly; check that the result still does what the task asked)';
  const others = facts.others.length > 0 ? `They conflict with the work of ${facts.others.join(', ')}, already on ${facts.into}.` : `They conflict with work already on ${facts.into}.`;
  return [
    instruction,
    '',
    `Resolve the merge of task ${task.id} (${task.title}), branch ${facts.ownBranch}, into ${facts.into}. This worktree is on ${facts.into} with the merge under way; these files hold conflict markers:`,
    files,
    others,
    'Edit each file so that both sides\' intent survives, and remove every conflict marker. Do not commit: the orchestrator concludes the merge.',
    '',
    ...taskContext(task, report),
  ].join('\n');
}
