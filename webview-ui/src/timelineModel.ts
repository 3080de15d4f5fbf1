// What the timeline shows, worked out from a run's attempts: the time axis, one row per parallel
// slot, and a bar per attempt with its label and hover text, all in the chart's own coordinates
// (a viewBox the SVG stretches to the panel while the run is short; for a long run the chart
// grows wider instead, so each attempt keeps room for its label, and the panel scrolls). timeline.ts draws it; this file touches no DOM, so it
// is tested in plain Node (test/unit/webview/).
import type { DashboardAttempt, DashboardRun, DisplayStatus } from '../../src/shared/protocol';
import { formatDuration, STATUS_LABELS } from './format';

export const TIMELINE_ROW_HEIGHT = 26;
export const TIMELINE_AXIS_HEIGHT = 20;
export const TIMELINE_WIDTH = 1000;
/** The room an attempt gets on average in its slot's row, before the chart grows wider than TIMELINE_WIDTH. */
export const TIMELINE_SPACE_PER_ATTEMPT = 90;
const LABEL_WIDTH = 56;

export interface TimelineTick {
  readonly x: number;
  /** Time since the run's start: "+1.5s" on short runs, "+1:05" on longer ones. */
  readonly label: string;
  readonly anchor: 'start' | 'middle' | 'end';
}

export interface TimelineBar {
  readonly taskId: string;
  /** The attempt's outcome, or running while it has none. */
  readonly status: DisplayStatus;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  /** "TASK-1-2", with " #2" from the second attempt on; drawn only when it fits the bar. */
  readonly label: string;
  readonly labelFits: boolean;
  /** The hover text: label, status, duration and agent. */
  readonly title: string;
}

export type TimelineModel =
  | { readonly kind: 'empty'; readonly message: string }
  | {
      readonly kind: 'chart';
      /** TIMELINE_WIDTH (stretched to the panel), or more for a long run (drawn at its size, scrolled). */
      readonly width: number;
      readonly height: number;
      readonly slots: number;
      readonly ariaLabel: string;
      readonly ticks: readonly TimelineTick[];
      readonly bars: readonly TimelineBar[];
    };

export function timelineModel(run: DashboardRun | null, attempts: readonly DashboardAttempt[], now: number): TimelineModel {
  if (!run || attempts.length === 0) return { kind: 'empty', message: run ? 'No agent has started in this run yet.' : 'No run yet.' };
  const start = Math.min(run.startedAt, ...attempts.map((a) => a.startedAt));
  const end = Math.max(run.endedAt ?? now, ...attempts.map((a) => a.endedAt ?? now), start + 1000);
  const slots = Math.max(...attempts.map((a) => a.slot)) + 1;
  const height = TIMELINE_AXIS_HEIGHT + slots * TIMELINE_ROW_HEIGHT;
  const perSlot = new Map<number, number>();
  for (const attempt of attempts) perSlot.set(attempt.slot, (perSlot.get(attempt.slot) ?? 0) + 1);
  const width = Math.max(TIMELINE_WIDTH, Math.ceil(LABEL_WIDTH + 8 + Math.max(...perSlot.values()) * TIMELINE_SPACE_PER_ATTEMPT));
  const x = (t: number) => LABEL_WIDTH + ((t - start) / (end - start)) * (width - LABEL_WIDTH - 8);
  const ticks: TimelineTick[] = [];
  // A tick every ~250 units: four on a panel-wide chart, more on a long one.
  const intervals = Math.max(4, Math.round(width / 250));
  for (let i = 0; i <= intervals; i++) {
    const t = start + ((end - start) * i) / intervals;
    ticks.push({ x: x(t), label: `+${end - start < 20_000 ? `${((t - start) / 1000).toFixed(1)}s` : formatDuration(t - start)}`, anchor: i === 0 ? 'start' : i === intervals ? 'end' : 'middle' });
  }
  const bars = attempts.map((attempt): TimelineBar => {
    const x1 = x(attempt.startedAt);
    const x2 = Math.max(x1 + 2, x(attempt.endedAt ?? now));
    const status = attempt.outcome ?? 'running';
    const label = `${attempt.taskId}${attempt.attempt > 1 ? ` #${attempt.attempt}` : ''}`;
    return {
      taskId: attempt.taskId,
      status,
      x: x1,
      y: TIMELINE_AXIS_HEIGHT + attempt.slot * TIMELINE_ROW_HEIGHT + 3,
      width: x2 - x1,
      label,
      labelFits: x2 - x1 > label.length * 7 + 8,
      title: `${label} · ${STATUS_LABELS[status]} · ${formatDuration((attempt.endedAt ?? now) - attempt.startedAt)}${attempt.agent ? ` · ${attempt.agent}` : ''}`,
    };
  });
  return { kind: 'chart', width, height, slots, ariaLabel: `${attempts.length} attempts in ${slots} slots over ${formatDuration(end - start)}`, ticks, bars };
}
