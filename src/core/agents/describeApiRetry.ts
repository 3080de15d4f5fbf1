import type { ApiRetryEvent } from './parsers/types';

/**
 * An agent CLI's API retry in a few words, the same in the CLI's progress lines, the tree's
 * tooltip and the dashboard: "API unreachable, retry 4/10", "rate limited (429), retry 2/10".
 */
export function describeApiRetry(event: Omit<ApiRetryEvent, 'kind'>): string {
  const { status, error, message } = event;
  const code = status === undefined ? '' : ` (${status})`;
  const what =
    error === 'authentication_failed' || status === 401 || status === 403
      ? `API authentication failed${code}`
      : error === 'rate_limit' || status === 429
        ? `rate limited${code}`
        : status !== undefined
          ? `API error${code}`
          : message
            ? `reconnecting (${message.length > 80 ? `${message.slice(0, 80)}…` : message})`
            : 'API unreachable';
  return `${what}, retry ${event.attempt}${event.maxRetries === undefined ? '' : `/${event.maxRetries}`}`;
}
