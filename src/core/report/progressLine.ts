import { describeApiRetry } from '../agents/describeApiRetry';
import { describePrune } from './pruneReport';
import type { OrchestratorEvent } from './runEvents';

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
      if (event.event.kind === 'progress') return `[${time}] ${event.taskId.padEnd(10)} progress   ${event.event.step}/${event.event.total} ${event.event.message}`;
      // The agent's CLI is retrying on its own: without this line it would look stuck for minutes.
      if (event.event.kind === 'apiRetry') return `[${time}] ${event.taskId}: ${describeApiRetry(event.event)}`;
      return undefined;
    case 'overlap': {
      // The first sighting, and a verdict once both are final; a pair's files growing is not news.
      const { pair } = event;
      const between = `${pair.taskA} and ${pair.taskB}`;
      const verdict = pair.conflict === null ? '' : pair.conflict ? 'conflict when merged' : 'merge cleanly';
      if (event.first) return `[${time}] conflict radar: ${between} both touch ${pair.files.join(', ')}${verdict ? `; they ${verdict}` : ''}`;
      return verdict ? `[${time}] conflict radar: ${between} ${verdict}` : undefined;
    }
    case 'runsPruned':
      return `[${time}] ${describePrune(event.report)}`;
    default:
      return undefined;
  }
}
