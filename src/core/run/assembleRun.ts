// One run put together: an AgentExecutor for the plan's tasks and a Scheduler over them, with the
// run's settings, and every state change and decision recorded in the store (recordTransition.ts)
// and passed on as an event. In run/ so that the façade only starts the result, controls and
// reports it.
import type { AgentProfile } from '../agents';
import type { WorktreeManager } from '../git';
import type { PlanTask } from '../model';
import { filesOverlap } from '../plan/fileOverlap';
import type { RouteDecision } from '../plan/routing';
import type { ProcessLauncher } from '../process';
import type { OrchestratorEvent } from '../report/runEvents';
import type { Clock } from '../scheduler/clock';
import { Scheduler } from '../scheduler/Scheduler';
import type { OrchestratorSettings } from '../settings';
import type { OrchestratorStore } from '../store';
import { AgentExecutor } from './agentExecutor';
import { dependencyBranches } from './dependencyBranches';
import { startFollowUp } from './followUpAttempt';
import { recordTransition } from './recordTransition';
import type { WorktreeSweeper } from './worktreeSweeper';

export interface RunParts {
  readonly runId: string;
  /** The repository the run works in (a follow-up's resolve moves its branches). */
  readonly repoDir: string;
  /** The commit every task's worktree starts from (prepareRun.ts). */
  readonly baseCommit: string;
  /** `.agent-orchestrator/runs/<runId>`: prompts, status files and logs. */
  readonly runDir: string;
  /** The whole plan, in plan order. */
  readonly tasks: readonly PlanTask[];
  /** The agent each task runs with, and the routing rule that chose it. */
  readonly routes: ReadonlyMap<string, RouteDecision>;
  readonly profiles: ReadonlyMap<string, AgentProfile>;
  readonly settings: OrchestratorSettings;
  readonly store: OrchestratorStore;
  readonly worktrees: WorktreeManager;
  readonly launcher: ProcessLauncher;
  /** Run only these tasks and what they need (all when absent). */
  readonly only?: readonly string[];
  readonly clock?: Clock;
  /** Removes committed attempts' worktrees as the keepWorktrees setting says; absent: all kept. */
  readonly sweeper?: WorktreeSweeper;
  readonly emit: (event: OrchestratorEvent) => void;
}

/** The run's scheduler, ready to run: it starts from the statuses earlier runs recorded. */
export function assembleRun(parts: RunParts): Scheduler {
  const { runId, tasks, routes, settings, store, emit } = parts;
  const initialStatuses = new Map(store.listOrchestratorTasks().map((row) => [row.taskId, row.status]));
  // A task the plan marks done ([x]) counts as completed; its work is already in the base commit.
  for (const task of tasks) if (task.done && !initialStatuses.has(task.id)) initialStatuses.set(task.id, 'completed');
  const byId = new Map(tasks.map((task) => [task.id, task]));

  const executor = new AgentExecutor({
    runId,
    baseCommit: parts.baseCommit,
    runDir: parts.runDir,
    attempts: store,
    worktrees: parts.worktrees,
    launcher: parts.launcher,
    profiles: parts.profiles,
    agentOf: (task) => routes.get(task.id)!.agent,
    dependencyBranches: (task) => dependencyBranches(task, byId, store),
    onAgentEvent: (taskId, event) => emit({ type: 'agent', runId, taskId, event }),
    onOutputLine: (taskId, line) => emit({ type: 'output', runId, taskId, line }),
    stallMs: settings.stallMinutes * 60_000,
    sweeper: parts.sweeper,
    followUps: (task, attempt, profile) => startFollowUp({ store, repoDir: parts.repoDir, runId }, task, attempt, profile),
  });

  return new Scheduler(
    tasks,
    executor,
    {
      onTransition: (notice) => {
        recordTransition(store, notice, { runId, task: byId.get(notice.taskId)!, route: routes.get(notice.taskId)!, maxParallel: settings.maxParallel });
        if (notice.from === 'running') executor.closeAttempt(notice.taskId, notice.to, notice.error);
        emit({ type: 'transition', runId, notice });
      },
      onDecision: (decision) => {
        store.recordEvent({ kind: `decision_${decision.kind}`, runId, taskId: decision.taskId, detail: { message: decision.message } });
        emit({ type: 'decision', runId, decision });
      },
    },
    {
      maxParallel: settings.maxParallel,
      timeoutMs: settings.timeoutMinutes * 60_000,
      maxRetries: settings.maxRetries,
      retryBaseDelayMs: settings.retryDelaySeconds * 1000,
      strategy: settings.strategy,
      threshold: settings.threshold,
      filesOverlap,
      agentOf: (task) => routes.get(task.id)!.agent,
      initialStatuses,
      only: parts.only,
      clock: parts.clock,
    },
  );
}
