import * as assert from 'node:assert/strict';
import { reviewSection, withReviewSection } from '../../../src/core/report/reviewSection';
import type { StoredReview } from '../../../src/core/store';

describe('report: the Review section of summary.md', () => {
  const tasks = [
    { taskId: 'TASK-1-1', title: 'One', branch: 'orch/TASK-1-1/a1' },
    { taskId: 'TASK-1-2', title: 'Two', branch: 'orch/TASK-1-2/a1' },
    { taskId: 'TASK-1-3', title: 'Three', branch: 'orch/TASK-1-3/a2' },
    { taskId: 'TASK-1-4', title: 'Never ran', branch: undefined },
  ];
  const reviews = new Map<string, StoredReview>([
    ['TASK-1-1', { taskId: 'TASK-1-1', state: 'merged', target: 'orch/integrate/r1', commit: '0123456789abcdef', strategy: 'merge', updatedAt: 'now' }],
    ['TASK-1-2', { taskId: 'TASK-1-2', state: 'discarded', target: null, commit: null, strategy: null, updatedAt: 'now' }],
  ]);

  it('lists each task with work and its state', () => {
    assert.deepEqual(reviewSection(tasks, reviews), [
      '### Review',
      '- TASK-1-1: One — merged into `orch/integrate/r1` at 0123456789 (merge)',
      '- TASK-1-2: Two — discarded',
      '- TASK-1-3: Three — unreviewed',
      '',
    ]);
    assert.deepEqual(reviewSection([tasks[3]], new Map()), []);
  });

  it('replaces only its own section, and goes before Next steps the first time', () => {
    const original = ['## Results', '', '### Completed', '- x', '', '### Conflict radar', '- a ↔ b', '', '### Next steps', '1. Nothing to do.', ''].join('\n');
    const first = withReviewSection(original, ['### Review', '- TASK-1-1: One — unreviewed', '']);
    assert.equal(first, ['## Results', '', '### Completed', '- x', '', '### Conflict radar', '- a ↔ b', '', '### Review', '- TASK-1-1: One — unreviewed', '', '### Next steps', '1. Nothing to do.', ''].join('\n'));
    const second = withReviewSection(first, ['### Review', '- TASK-1-1: One — discarded', '']);
    assert.equal(second, first.replace('One — unreviewed', 'One — discarded'));
  });
});
