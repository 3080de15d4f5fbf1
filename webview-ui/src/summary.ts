// The run at a glance: the run's metrics as cards, overall progress, and summary.md.
// summaryModel.ts works out what to show; this file draws it.
import type { DashboardState } from '../../src/shared/protocol';
import { h } from './dom';
import { summaryModel } from './summaryModel';

export function renderSummary(state: DashboardState, now: number, summaryOpen: boolean, onToggle: (open: boolean) => void): HTMLElement {
  const model = summaryModel(state, now);
  const fill = h('div', { class: 'overall-fill' });
  // CSSOM, not a style attribute: allowed under the CSP's style-src.
  fill.style.width = `${(model.share * 100).toFixed(1)}%`;

  const header = model.runLine
    ? h('p', { class: 'run-line' }, h('span', { class: `badge run-${model.runLine.status}` }, model.runLine.badge), ...model.runLine.details)
    : h('p', { class: 'run-line' }, 'No run yet.');
  const section = h(
    'section',
    { class: 'summary', 'data-testid': 'dashboard-summary', 'aria-label': 'Run summary' },
    h('h2', {}, 'Summary'),
    header,
    h('div', { class: 'overall', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': model.total, 'aria-valuenow': model.completed, 'aria-label': 'Tasks completed' }, fill),
    h('div', { class: 'cards' }, ...model.cards.map(({ label, value, tone, testid }) => h('div', { class: `card${tone ? ` tone-${tone}` : ''}`, 'data-testid': testid }, h('div', { class: 'card-value' }, value), h('div', { class: 'card-label' }, label)))),
  );
  if (model.branches.length > 0) {
    section.append(h('p', { class: 'branches' }, `Branches with completed work: ${model.branches.join(', ')}`));
  }
  if (model.summaryMd) {
    const details = h('details', { class: 'summary-md', open: summaryOpen }, h('summary', { 'data-key': 'summary-md' }, 'summary.md'), h('pre', {}, model.summaryMd));
    details.addEventListener('toggle', () => onToggle(details.open));
    section.append(details);
  }
  return section;
}
