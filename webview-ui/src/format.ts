export { formatDuration, STATUS_ICONS, STATUS_LABELS } from '../../src/shared/format';

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function formatCost(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

export function formatCount(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

/**
 * "1,000": thousands grouped with commas, without Intl (toLocaleString's first call in a fresh
 * webview loads the locale data, tens of milliseconds the dashboard's first paint waits for).
 */
export function formatInteger(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
