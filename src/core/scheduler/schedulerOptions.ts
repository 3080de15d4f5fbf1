// The Scheduler's options with every gap filled: the settings' defaults (src/core/settings.ts) in
// the Scheduler's units, and the one check the Scheduler cannot run without.
import { DEFAULT_MAX_RATE_LIMIT_REQUEUES, DEFAULT_RATE_LIMIT_PAUSE_MS, DEFAULT_SETTINGS } from '../settings';
import type { SchedulerOptions } from './types';

/** An option the caller leaves out: the settings' default, in the Scheduler's units. */
const DEFAULTS = {
  maxParallel: DEFAULT_SETTINGS.maxParallel,
  timeoutMs: DEFAULT_SETTINGS.timeoutMinutes * 60_000,
  maxRetries: DEFAULT_SETTINGS.maxRetries,
  retryBaseDelayMs: DEFAULT_SETTINGS.retryDelaySeconds * 1000,
  rateLimitPauseMs: DEFAULT_RATE_LIMIT_PAUSE_MS,
  maxRateLimitRequeues: DEFAULT_MAX_RATE_LIMIT_REQUEUES,
};

export type ResolvedSchedulerOptions = Required<Pick<SchedulerOptions, keyof typeof DEFAULTS>> & SchedulerOptions;

/** `options` with defaults where they are absent (or undefined); throws on a bad maxParallel. */
export function resolveSchedulerOptions(options: SchedulerOptions): ResolvedSchedulerOptions {
  const resolved = { ...DEFAULTS, ...withoutUndefined(options) };
  if (!Number.isInteger(resolved.maxParallel) || resolved.maxParallel < 1) {
    throw new Error(`maxParallel must be a whole number of at least 1 (got ${resolved.maxParallel})`);
  }
  return resolved;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
