import type { DashboardStatus } from '../../src/shared/protocol';

export { STATUS_LABELS } from '../../src/shared/statusLabels';


export const STATUS_ICONS: Readonly<Record<DashboardStatus, string>> = {
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

export const RETRYABLE: ReadonlySet<DashboardStatus> = new Set(['failed', 'timed_out', 'cancelled', 'blocked', 'interrupted']);

/** 42s, 3:07, 1:02:03 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total}s`;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function formatCost(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

export function formatCount(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}
