import type { DisplayStatus } from './protocol';

// How statuses and durations read to a person, in the tree and in the dashboard alike.

/** How each status reads. */
export const STATUS_LABELS: Readonly<Record<DisplayStatus, string>> = {
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

/** The codicon of each status; the tree adds its colours and spins `running`'s. */
export const STATUS_ICONS: Readonly<Record<DisplayStatus, string>> = {
  pending: 'circle-large-outline',
  ready: 'circle-large-outline',
  assigned: 'clock',
  spawned: 'clock',
  running: 'sync',
  completed: 'pass-filled',
  failed: 'error',
  timed_out: 'watch',
  cancelled: 'circle-slash',
  blocked: 'warning',
  interrupted: 'debug-pause',
};

/** 42s, 3:07, 1:02:03 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total}s`;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
