import type { DashboardStatus } from '../../src/shared/protocol';

export { formatDuration, STATUS_LABELS } from '../../src/shared/format';


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


export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function formatCost(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

export function formatCount(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}
