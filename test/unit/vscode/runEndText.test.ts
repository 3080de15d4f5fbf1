// What the extension says at a run's end and when a task fails mid-run, and how the
// `agentOrchestrator.notifications` setting silences it (src/vscode/session/runEndText.ts).
import * as assert from 'node:assert/strict';
import { countTasks, type DisplayStatus, type StatusCounts } from '../../../src/shared/taskCounts';
import { failureFlashLine, notificationLevel, runEndNotice, wentWrong } from '../../../src/vscode/session/runEndText';

function counts(...statuses: DisplayStatus[]): StatusCounts {
  return countTasks(statuses.map((status, i) => ({ taskId: `TASK-1-${i + 1}`, status, parentId: null })));
}

const nineAndOne = counts(...Array<DisplayStatus>(9).fill('completed'), 'failed');

describe('run end notification: words', () => {
  it('says how the run finished with the shared counts, and offers Retry Failed and Review Changes when they apply', () => {
    const notice = runEndNotice('failed', nineAndOne, 9, 'all');
    assert.deepEqual(notice, { text: 'Run finished: 9 of 10 completed, 1 failed.', severity: 'warning', actions: ['Open Dashboard', 'Retry Failed', 'Review Changes'] });
  });

  it('a clean run is information, without Retry Failed; the third button is the summary', () => {
    assert.deepEqual(runEndNotice('completed', counts('completed', 'completed'), 2, 'all'), {
      text: 'Run finished: 2 of 2 completed.',
      severity: 'info',
      actions: ['Open Dashboard', 'Review Changes', 'Show Summary'],
    });
  });

  it('offers Review Changes only when a completed task has changes to review', () => {
    assert.deepEqual(runEndNotice('completed', counts('completed'), 0, 'all')?.actions, ['Open Dashboard', 'Show Summary']);
  });

  it('offers Retry Failed for time-outs, blocked and interrupted tasks, not for tasks the user cancelled', () => {
    for (const status of ['timed_out', 'blocked', 'interrupted'] as const) {
      assert.ok(runEndNotice('failed', counts('completed', status), 0, 'all')?.actions.includes('Retry Failed'), status);
    }
    const cancelled = runEndNotice('cancelled', counts('completed', 'cancelled'), 0, 'all');
    assert.equal(cancelled?.text, 'Run cancelled: 1 of 2 completed, 1 cancelled.');
    assert.equal(cancelled?.severity, 'warning');
    assert.ok(!cancelled?.actions.includes('Retry Failed'));
    assert.equal(wentWrong(counts('failed', 'timed_out', 'blocked', 'interrupted', 'cancelled', 'completed')), 4);
  });

  it('an interrupted run says so', () => {
    assert.equal(runEndNotice('interrupted', counts('completed', 'interrupted'), 0, 'all')?.text, 'Run interrupted: 1 of 2 completed, 1 interrupted.');
  });

  it('"failures" keeps only the notices of runs where something went wrong; "off" keeps none', () => {
    assert.equal(runEndNotice('completed', counts('completed'), 1, 'failures'), undefined);
    assert.equal(runEndNotice('failed', nineAndOne, 0, 'failures')?.text, 'Run finished: 9 of 10 completed, 1 failed.');
    assert.equal(runEndNotice('failed', nineAndOne, 0, 'off'), undefined);
  });
});

describe('run end notification: the setting', () => {
  it('reads the three levels and defaults to all', () => {
    assert.deepEqual(notificationLevel(undefined), { level: 'all' });
    for (const level of ['all', 'failures', 'off'] as const) assert.deepEqual(notificationLevel(level), { level });
  });

  it('a bad value is the default, with a problem naming the setting and the value', () => {
    const read = notificationLevel('loud');
    assert.equal(read.level, 'all');
    assert.match(read.problem ?? '', /agentOrchestrator\.notifications must be one of all, failures, off \(got "loud"\)/);
    assert.match(notificationLevel(true).problem ?? '', /\(got true\)/);
  });
});

describe('failed task: the status bar line', () => {
  it('names the task, the attempt and the first line of the error', () => {
    assert.equal(failureFlashLine('TASK-1-3', 'failed', 1, '\nexit code 1\nmore detail'), 'TASK-1-3 failed (attempt 1): exit code 1');
    assert.equal(failureFlashLine('TASK-2-1', 'timed_out', 2, undefined), 'TASK-2-1 timed out (attempt 2)');
  });

  it('cuts a long error to 160 characters', () => {
    const line = failureFlashLine('TASK-1-1', 'failed', 1, 'x'.repeat(500));
    assert.equal(line.length, 'TASK-1-1 failed (attempt 1): '.length + 160);
    assert.ok(line.endsWith('…'));
  });
});
