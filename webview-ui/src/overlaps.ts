// The conflict radar's legend under the task graph: one line per pair of tasks that touch the
// same files, naming the files and whether their branches conflict, so the dashed red edges can be
// read without hovering (and by a screen reader). A click on a task id opens its details.
import type { DashboardOverlap } from '../../src/shared/protocol';
import { h, icon } from './dom';
import { overlapWords } from './overlapEdges';

export function renderOverlaps(overlaps: readonly DashboardOverlap[], onSelect: (taskId: string) => void): HTMLElement | null {
  if (overlaps.length === 0) return null;
  const taskButton = (taskId: string) => {
    const b = h('button', { type: 'button', class: 'link', 'data-key': `overlap-${taskId}` }, taskId);
    b.addEventListener('click', () => onSelect(taskId));
    return b;
  };
  return h(
    'div',
    { class: 'overlaps', 'data-testid': 'dashboard-overlaps', role: 'note', 'aria-label': 'Tasks that change the same files' },
    h('p', { class: 'overlaps-head' }, h('span', { class: 'overlap-swatch', 'aria-hidden': 'true' }), ` Conflict radar: ${overlaps.length} pair${overlaps.length === 1 ? '' : 's'} of tasks change the same files`),
    h(
      'ul',
      {},
      ...overlaps.map((overlap) => {
        const words = overlapWords(overlap);
        const files = overlap.files.length === 0 ? 'the same files' : overlap.files.join(', ');
        return h(
          'li',
          { 'data-testid': 'overlap-pair', 'data-pair': `${overlap.taskA}|${overlap.taskB}`, class: overlap.conflict === true ? 'conflict' : undefined, title: `${words.summary}\n${words.verdict}` },
          icon(overlap.conflict === true ? 'error' : 'warning'),
          ' ',
          taskButton(overlap.taskA),
          ' and ',
          taskButton(overlap.taskB),
          ` both change ${files} — ${words.verdict}`,
        );
      }),
    ),
  );
}
