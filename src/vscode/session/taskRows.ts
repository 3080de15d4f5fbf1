// Task rows for the views. A task that has not run yet has no assigned agent in the database;
// the views show the agent routing would pick (its own, a routing rule's, or the default).
import type { Orchestrator, TaskView } from '../../core';

export function taskRows(orchestrator: Pick<Orchestrator, 'taskViews' | 'routes'>): TaskView[] {
  const rows = orchestrator.taskViews();
  if (rows.every((row) => row.agent !== null)) return rows;
  let routes: ReturnType<Orchestrator['routes']>;
  try {
    routes = orchestrator.routes();
  } catch {
    return rows;
  }
  return rows.map((row) => (row.agent === null && routes.has(row.taskId) ? { ...row, agent: routes.get(row.taskId)!.agent } : row));
}
