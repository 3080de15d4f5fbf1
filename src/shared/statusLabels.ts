import type { DashboardStatus } from './protocol';

/** How each status reads to a person, in the tree and in the dashboard alike. */
export const STATUS_LABELS: Readonly<Record<DashboardStatus, string>> = {
  pending: 'pending',
  ready: 'ready',
  assigned: 'queued',
  spawned: 'queued',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  timed_out: 'timed out',
  cancelled: 'cancelled',
  blocked: 'blocked',
  interrupted: 'interrupted',
};
