// The dashboard's state, sent as a change to the last one. During a run the host posts a state up
// to four times a second, and in a big plan almost all of it is the same each time: every task's
// row, every attempt on the timeline. Sent whole, the host's thread serialised, compressed (for a
// remote window) and wrote all of it each time (docs/benchmarks.md, "host.*"). So after the first
// full state the host sends only the top-level fields that changed and, for the two long lists,
// the items that changed or are new (by task id, by task id and attempt) and, only when their
// order is not "the old ones, then the new ones", the new order. The host keeps a fingerprint of
// what it last sent (each part as JSON text, to compare); the webview applies the patch to the
// state it holds. Both sides import this file: one definition of the format.
import type { DashboardAttempt, DashboardState, DashboardStatePatch, DashboardTaskView, KeyedPatch } from './protocol';

type DashboardFields = Omit<DashboardState, 'tasks' | 'timeline'>;

/** The host's record of what it last sent: each part's JSON text, and the lists' orders. */
export interface StateFingerprint {
  readonly fields: ReadonlyMap<string, string>;
  readonly tasks: KeyedFingerprint;
  readonly timeline: KeyedFingerprint;
}

interface KeyedFingerprint {
  readonly json: ReadonlyMap<string, string>;
  readonly keys: readonly string[];
}

export const taskKey = (task: DashboardTaskView): string => task.taskId;
export const attemptKey = (attempt: DashboardAttempt): string => `${attempt.taskId}#${attempt.attempt}`;

/** The fingerprint of a state sent whole. */
export function fingerprintState(state: DashboardState): StateFingerprint {
  return diffState(undefined, state).fingerprint;
}

/**
 * What changed from the state `previous` fingerprints to `next`, and `next`'s fingerprint (to
 * diff the one after against). Without `previous`, every part counts as changed.
 */
export function diffState(previous: StateFingerprint | undefined, next: DashboardState): { patch: DashboardStatePatch; fingerprint: StateFingerprint } {
  const { tasks, timeline, ...rest } = next;
  const fields: Partial<Record<keyof DashboardFields, unknown>> = {};
  const fieldJson = new Map<string, string>();
  for (const [name, value] of Object.entries(rest) as [keyof DashboardFields, unknown][]) {
    const json = JSON.stringify(value) ?? 'undefined';
    fieldJson.set(name, json);
    if (previous?.fields.get(name) !== json) fields[name] = value;
  }
  const taskDiff = diffKeyed(previous?.tasks, tasks, taskKey);
  const timelineDiff = diffKeyed(previous?.timeline, timeline, attemptKey);
  return {
    patch: { fields: fields as Partial<DashboardFields>, tasks: taskDiff.patch, timeline: timelineDiff.patch },
    fingerprint: { fields: fieldJson, tasks: taskDiff.fingerprint, timeline: timelineDiff.fingerprint },
  };
}

function diffKeyed<T>(previous: KeyedFingerprint | undefined, next: readonly T[], keyOf: (item: T) => string): { patch: KeyedPatch<T>; fingerprint: KeyedFingerprint } {
  const json = new Map<string, string>();
  const keys: string[] = [];
  const upsert: T[] = [];
  for (const item of next) {
    const key = keyOf(item);
    const text = JSON.stringify(item);
    json.set(key, text);
    keys.push(key);
    if (previous?.json.get(key) !== text) upsert.push(item);
  }
  return { patch: appendsOnly(previous, keys) ? { upsert } : { upsert, keys }, fingerprint: { json, keys } };
}

/** Whether `keys` is the previous order followed only by keys that are new. */
function appendsOnly(previous: KeyedFingerprint | undefined, keys: readonly string[]): boolean {
  if (!previous || keys.length < previous.keys.length) return false;
  for (let i = 0; i < previous.keys.length; i++) if (keys[i] !== previous.keys[i]) return false;
  for (let i = previous.keys.length; i < keys.length; i++) if (previous.json.has(keys[i]!)) return false;
  return true;
}

/** Thrown when a patch does not fit the state it is applied to: the webview then asks for a whole state. */
export class StatePatchMismatch extends Error {}

/** `state` with `patch` applied (a new object; `state` is left as it was). */
export function applyStatePatch(state: DashboardState, patch: DashboardStatePatch): DashboardState {
  return {
    ...state,
    ...patch.fields,
    tasks: applyKeyed(state.tasks, patch.tasks, taskKey),
    timeline: applyKeyed(state.timeline, patch.timeline, attemptKey),
  };
}

function applyKeyed<T>(items: readonly T[], patch: KeyedPatch<T>, keyOf: (item: T) => string): T[] {
  const byKey = new Map(items.map((item) => [keyOf(item), item]));
  const added: T[] = [];
  for (const item of patch.upsert) {
    const key = keyOf(item);
    if (!byKey.has(key)) added.push(item);
    byKey.set(key, item);
  }
  if (patch.keys) {
    return patch.keys.map((key) => {
      const item = byKey.get(key);
      if (item === undefined) throw new StatePatchMismatch(`the patch orders ${key}, which neither the state nor the patch holds`);
      return item;
    });
  }
  return [...items.map((item) => byKey.get(keyOf(item))!), ...added];
}
