import type { OrchestratorEvent } from '../orchestrator';

/**
 * One readable line per state change, decision and progress step of a run, as the CLI prints them
 * and as the VS Code "Run all" task shows them in its terminal; other events give no line.
 */
export function progressLine(event: OrchestratorEvent, now: Date = new Date()): string | undefined {
  const time = now.toISOString().slice(11, 19);
  switch (event.type) {
    case 'runStarted':
      return `[${time}] run ${event.runId} started (${event.taskCount} tasks)`;
    case 'transition': {
      const n = event.notice;
      return `[${time}] ${n.taskId.padEnd(10)} ${n.to.padEnd(10)} ${n.error ?? n.reason}`;
    }
    case 'decision':
      return `[${time}] ${event.decision.message}`;
    case 'agent':
      return event.event.kind === 'progress' ? `[${time}] ${event.taskId.padEnd(10)} progress   ${event.event.step}/${event.event.total} ${event.event.message}` : undefined;
    default:
      return undefined;
  }
}
