// What the status-bar item says: the live counts during a run, the final tally after, and the
// tooltip's table of counts, run and cost.
import * as assert from 'node:assert/strict';
import { countTasks, type DisplayStatus, type StatusCounts } from '../../../src/shared/taskCounts';
import { failedCount, statusText, statusTooltipMarkdown, type ShownRun } from '../../../src/vscode/statusBar/statusBarText';

/** Counts of tasks in these statuses, one task each, counted as the tree counts them. */
function counts(...statuses: DisplayStatus[]): StatusCounts {
  return countTasks(statuses.map((status, i) => ({ taskId: `TASK-1-${i + 1}`, status, parentId: null })));
}

function run(fields: Partial<ShownRun> = {}): ShownRun {
  return { runId: 'orch-20250101-100000-abcd', status: 'completed', startedAt: '2025-01-01T10:00:00Z', endedAt: '2025-01-01T10:01:05Z', metrics: null, ...fields };
}

describe('status bar: words', () => {
  describe('the text', () => {
    it('during a run: running, done and failed counts, spinning; paused says so', () => {
      const during = counts('running', 'running', 'completed', 'failed', 'timed_out', 'pending');
      assert.equal(statusText(during, true, false), '$(sync~spin) 2 running · 1/6 done · 2 failed');
      assert.equal(statusText(during, true, true), '$(debug-pause) 2 running · 1/6 done · 2 failed · paused');
    });

    it('before anything ran: just the number of tasks', () => {
      assert.equal(statusText(counts('pending', 'ready', 'pending'), false, false), '$(list-tree) 3 tasks');
    });

    it('after a run: the tally, with failures (time-outs count as failures), blocked and cancelled when there are any', () => {
      assert.equal(statusText(counts('completed', 'completed'), false, false), '$(pass) 2/2 done');
      assert.equal(statusText(counts('completed', 'failed', 'timed_out', 'blocked', 'cancelled'), false, false), '$(error) 1/5 done · 2 failed · 1 blocked · 1 cancelled');
      assert.equal(statusText(counts('completed', 'cancelled', 'pending'), false, false), '$(circle-large-outline) 1/3 done · 1 cancelled');
      assert.equal(statusText(counts('interrupted', 'pending'), false, false), '$(circle-large-outline) 0/2 done', 'an interrupted task ends the "N tasks" form');
    });

    it('counts failed and timed-out tasks as failed (they turn the item red), not blocked or cancelled ones', () => {
      assert.equal(failedCount(counts('failed', 'timed_out', 'blocked', 'cancelled', 'interrupted')), 2);
      assert.equal(failedCount(counts('completed')), 0);
    });

    it('does not count a fan-out parent, only its children', () => {
      const withParent = countTasks([
        { taskId: 'TASK-1-1', status: 'running', parentId: null },
        { taskId: 'TASK-1-2', status: 'running', parentId: 'TASK-1-1' },
        { taskId: 'TASK-1-3', status: 'completed', parentId: 'TASK-1-1' },
      ]);
      assert.equal(statusText(withParent, true, false), '$(sync~spin) 1 running · 1/2 done · 0 failed');
    });
  });

  describe('the tooltip', () => {
    it('tables the non-zero counts by status, queued tasks together, then the total', () => {
      const md = statusTooltipMarkdown(counts('running', 'spawned', 'ready', 'assigned', 'pending', 'completed', 'timed_out'), undefined, false, false);
      assert.equal(
        md,
        [
          '**Agent Orchestrator**',
          '',
          '| | Tasks |',
          '|:--|--:|',
          '| Running | 1 |',
          '| Queued | 3 |',
          '| Not started | 1 |',
          '| Completed | 1 |',
          '| Timed out | 1 |',
          '| **Total** | **7** |',
          '',
          'Click to open the dashboard.',
        ].join('\n'),
      );
    });

    it('names the run with its status and duration; a run still going says running and counts up to now', () => {
      const ended = statusTooltipMarkdown(counts('completed'), run(), false, false);
      assert.match(ended, /\n\nRun `orch-20250101-100000-abcd` — completed for 1:05\n\n/);
      const now = Date.parse('2025-01-01T10:00:42Z');
      const going = statusTooltipMarkdown(counts('running'), run({ status: 'running', endedAt: null }), true, false, now);
      assert.match(going, /Run `orch-20250101-100000-abcd` — running for 42s\n/);
    });

    it('adds the cost line when the run has metrics', () => {
      const md = statusTooltipMarkdown(counts('completed'), run({ metrics: { cost_usd: 0.5, tokens_in: 1200, tokens_out: 300, total_attempts: 3 } }), false, false);
      assert.match(md, /\| \*\*Total\*\* \| \*\*1\*\* \|\n\nCost \$0\.50 · 1200 tokens in \/ 300 out · 3 attempts\n\nClick to open the dashboard\.$/);
      assert.doesNotMatch(statusTooltipMarkdown(counts('completed'), run({ metrics: { total_attempts: 3 } }), false, false), /Cost/);
    });

    it('says why a read-only window cannot act: another process runs the plan, or has the database open', () => {
      assert.match(statusTooltipMarkdown(counts('running'), undefined, true, true), /^\*\*Agent Orchestrator\*\* \(read-only: another process runs the plan\)\n/);
      assert.match(statusTooltipMarkdown(counts('pending'), undefined, false, true), /^\*\*Agent Orchestrator\*\* \(read-only: another process has the database open\)\n/);
    });
  });
});
