// The run's attempts over time, one row per parallel slot: what ran when, side by side.
import type { DashboardAttempt, DashboardRun } from '../../src/shared/protocol';
import { h, svg } from './dom';
import { formatDuration, STATUS_LABELS } from './format';

const ROW_HEIGHT = 26;
const LABEL_WIDTH = 56;
const AXIS_HEIGHT = 20;
const WIDTH = 1000;

export function renderTimeline(run: DashboardRun | null, attempts: readonly DashboardAttempt[], now: number, onSelect: (taskId: string) => void): HTMLElement {
  const section = h('section', { class: 'timeline', 'data-testid': 'dashboard-timeline', 'aria-label': 'Timeline of agent attempts by parallel slot' }, h('h2', {}, 'Timeline'));
  if (!run || attempts.length === 0) {
    section.append(h('p', { class: 'empty' }, run ? 'No agent has started in this run yet.' : 'No run yet.'));
    return section;
  }
  const start = Math.min(run.startedAt, ...attempts.map((a) => a.startedAt));
  const end = Math.max(run.endedAt ?? now, ...attempts.map((a) => a.endedAt ?? now), start + 1000);
  const slots = Math.max(...attempts.map((a) => a.slot)) + 1;
  const height = AXIS_HEIGHT + slots * ROW_HEIGHT;
  const x = (t: number) => LABEL_WIDTH + ((t - start) / (end - start)) * (WIDTH - LABEL_WIDTH - 8);
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, preserveAspectRatio: 'none', class: 'timeline-chart', role: 'img', 'aria-label': `${attempts.length} attempts in ${slots} slots over ${formatDuration(end - start)}` });
  for (let i = 0; i <= 4; i++) {
    const t = start + ((end - start) * i) / 4;
    chart.append(
      svg('line', { class: 'tick', x1: x(t), x2: x(t), y1: AXIS_HEIGHT - 4, y2: height }),
      svg('text', { class: 'tick-label', x: x(t), y: 12, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' }, `+${end - start < 20_000 ? `${((t - start) / 1000).toFixed(1)}s` : formatDuration(t - start)}`),
    );
  }
  for (let slot = 0; slot < slots; slot++) {
    chart.append(svg('text', { class: 'slot-label', x: 4, y: AXIS_HEIGHT + slot * ROW_HEIGHT + ROW_HEIGHT / 2 + 4 }, `slot ${slot + 1}`));
  }
  for (const attempt of attempts) {
    const x1 = x(attempt.startedAt);
    const x2 = Math.max(x1 + 2, x(attempt.endedAt ?? now));
    const y = AXIS_HEIGHT + attempt.slot * ROW_HEIGHT + 3;
    const status = attempt.outcome ?? 'running';
    const label = `${attempt.taskId}${attempt.attempt > 1 ? ` #${attempt.attempt}` : ''}`;
    const bar = svg(
      'g',
      { class: `bar status-${status}`, 'data-task-id': attempt.taskId },
      svg('rect', { x: x1, y, width: x2 - x1, height: ROW_HEIGHT - 6, rx: 3 }),
      x2 - x1 > label.length * 7 + 8 ? svg('text', { x: x1 + 4, y: y + ROW_HEIGHT / 2 + 1 }, label) : null,
      svg('title', {}, `${label} · ${STATUS_LABELS[status]} · ${formatDuration((attempt.endedAt ?? now) - attempt.startedAt)}${attempt.agent ? ` · ${attempt.agent}` : ''}`),
    );
    bar.addEventListener('click', () => onSelect(attempt.taskId));
    chart.append(bar);
  }
  section.append(chart);
  return section;
}
