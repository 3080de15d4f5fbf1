// What a pull request is made of (pullRequest.ts): for a task, its latest branch with the task's
// title and prompt; for an integration branch, the summary of the run it integrates. Read from the
// store; an unknown task or one without a branch is refused, naming it.
import { integrationBranch, isIntegrationBranch } from '../git';
import type { OrchestratorStore } from '../store';

/** What a pull request is of: a branch, with the words for its title and body. */
export interface PullRequestSubject {
  readonly branch: string;
  readonly title: string;
  readonly body: string;
}

export type PullRequestTarget = { readonly taskId: string } | { readonly integration: string };

export type SubjectStore = Pick<OrchestratorStore, 'listAttempts' | 'listPlanTasks' | 'listRuns' | 'getRun'>;

export function pullRequestSubject(store: SubjectStore, what: PullRequestTarget, branchPrefix: string): PullRequestSubject {
  if ('taskId' in what) {
    const task = store.listPlanTasks().find((t) => t.id === what.taskId);
    if (!task) throw new Error(`Unknown task ${what.taskId}`);
    const attempts = store.listAttempts(task.id).filter((a) => a.branch !== null);
    // The work to propose: the latest completed attempt's branch, else the latest branch at all.
    const attempt = attempts.filter((a) => a.outcome === 'completed').at(-1) ?? attempts.at(-1);
    if (!attempt?.branch) throw new Error(`${task.id} has no branch yet: run it first`);
    const body = [
      task.prompt,
      '',
      '---',
      `Made by Agent Orchestrator: ${task.id}, attempt ${attempt.attemptNumber} (${attempt.agent ?? 'agent'}), run ${attempt.runId}${attempt.outcome && attempt.outcome !== 'completed' ? `, which ended ${attempt.outcome}` : ''}.`,
      '',
    ].join('\n');
    return { branch: attempt.branch, title: `${task.id}: ${task.title}`, body };
  }
  // An empty name: the latest run's integration branch.
  const latest = store.listRuns(1)[0];
  if (!what.integration && !latest) throw new Error('No run yet, so there is no integration branch to open a pull request for');
  const branch = what.integration || integrationBranch(branchPrefix, latest.runId);
  const fromName = isIntegrationBranch(branchPrefix, branch) ? branch.slice(integrationBranch(branchPrefix, '').length) : undefined;
  const run = (fromName ? store.getRun(fromName) : undefined) ?? latest;
  const body = run?.summaryMd ?? `Integration branch ${branch}, made by Agent Orchestrator.\n`;
  return { branch, title: run ? `Integrate run ${run.runId}` : `Integrate ${branch}`, body };
}
