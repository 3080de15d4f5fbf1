// The run's attempts over time, one row per parallel slot: what ran when, side by side. A long
// run's chart is wider than the panel and scrolls (its place kept across re-renders by main.ts).
// timelineModel.ts works out the axis and the bars; this file draws them. A long run's bars
// outside the visible part are added just after the frame that shows the rest, so a big run's
// first paint waits only for what can be seen.
import type { DashboardAttempt, DashboardRun } from '../../src/shared/protocol';
import { h, svg } from './dom';
import { afterFirstFrame } from './layoutEngine';
import { TIMELINE_AXIS_HEIGHT as AXIS_HEIGHT, TIMELINE_ROW_HEIGHT as ROW_HEIGHT, TIMELINE_WIDTH, timelineModel, type TimelineBar } from './timelineModel';

/** The part of the chart in view: where the panel is scrolled to and how wide it can be. */
export interface TimelineView {
  readonly left: number;
  readonly width: number;
}

/** Bars this far either side of the view are drawn with it (a short scroll shows no gap). */
const VIEW_MARGIN = 100;

export function renderTimeline(run: DashboardRun | null, attempts: readonly DashboardAttempt[], now: number, onSelect: (taskId: string) => void, view?: TimelineView): HTMLElement {
  const section = h('section', { class: 'timeline', 'data-testid': 'dashboard-timeline', 'aria-label': 'Timeline of agent attempts by parallel slot' }, h('h2', {}, 'Timeline'));
  const model = timelineModel(run, attempts, now);
  if (model.kind === 'empty') {
    section.append(h('p', { class: 'empty' }, model.message));
    return section;
  }
  const { width, height } = model;
  const wide = width > TIMELINE_WIDTH;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    preserveAspectRatio: wide ? undefined : 'none',
    width: wide ? width : undefined,
    height: wide ? height : undefined,
    class: wide ? 'timeline-chart wide' : 'timeline-chart',
    role: 'img',
    'aria-label': model.ariaLabel,
  });
  for (const tick of model.ticks) {
    chart.append(
      svg('line', { class: 'tick', x1: tick.x, x2: tick.x, y1: AXIS_HEIGHT - 4, y2: height }),
      svg('text', { class: 'tick-label', x: tick.x, y: 12, 'text-anchor': tick.anchor }, tick.label),
    );
  }
  for (let slot = 0; slot < model.slots; slot++) {
    chart.append(svg('text', { class: 'slot-label', x: 4, y: AXIS_HEIGHT + slot * ROW_HEIGHT + ROW_HEIGHT / 2 + 4 }, `slot ${slot + 1}`));
  }
  const bar = (bar: TimelineBar): SVGGElement => {
    const group = svg(
      'g',
      { class: `bar status-${bar.status}`, 'data-task-id': bar.taskId },
      svg('rect', { x: bar.x, y: bar.y, width: bar.width, height: ROW_HEIGHT - 6, rx: 3 }),
      bar.labelFits ? svg('text', { x: bar.x + 4, y: bar.y + ROW_HEIGHT / 2 + 1 }, bar.label) : null,
      svg('title', {}, bar.title),
    );
    return group;
  };
  // One listener for every bar, drawn now or later.
  chart.addEventListener('click', (event) => {
    const taskId = (event.target as Element | null)?.closest('.bar')?.getAttribute('data-task-id');
    if (taskId) onSelect(taskId);
  });
  // A wide chart is drawn at its own size, so its coordinates are the panel's pixels.
  const near = (b: TimelineBar) => !wide || !view || (b.x < view.left + view.width + VIEW_MARGIN && b.x + b.width > view.left - VIEW_MARGIN);
  const later: TimelineBar[] = [];
  for (const b of model.bars) {
    if (near(b)) chart.append(bar(b));
    else later.push(b);
  }
  if (later.length > 0) {
    afterFirstFrame(() => {
      // Replaced by a newer render meanwhile: that one draws its own.
      if (chart.isConnected) chart.append(...later.map(bar));
    });
  }
  section.append(h('div', { class: 'timeline-scroll', 'data-scroll-key': 'timeline', 'data-testid': 'timeline-scroll' }, chart));
  return section;
}
