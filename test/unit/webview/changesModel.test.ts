// A task's details: its changed files with kind and `+n −m`, what it says while they load, when
// there are none or git failed, and the review state in words.
import * as assert from 'node:assert/strict';
import type { DashboardChanges } from '../../../src/shared/protocol';
import { changesView, formatCounts, reviewText } from '../../../webview-ui/src/changesModel';
import { taskView } from './dashboardFixtures';

function changes(fields: Partial<DashboardChanges> = {}): DashboardChanges {
  return {
    taskId: 'TASK-1-2',
    branch: 'orch/TASK-1-2/a1',
    startCommit: 'a'.repeat(40),
    headCommit: 'b'.repeat(40),
    files: [
      { path: 'src/a.ts', oldPath: null, kind: 'modified', insertions: 3, deletions: 1 },
      { path: 'src/new.ts', oldPath: null, kind: 'added', insertions: 10, deletions: 0 },
      { path: 'old.txt', oldPath: null, kind: 'deleted', insertions: 0, deletions: 4 },
      { path: 'lib/b.ts', oldPath: 'src/b.ts', kind: 'renamed', insertions: 0, deletions: 0 },
      { path: 'logo.png', oldPath: null, kind: 'added', insertions: null, deletions: null },
    ],
    insertions: 13,
    deletions: 5,
    ...fields,
  };
}

const completed = taskView('TASK-1-2', { status: 'completed', branch: 'orch/TASK-1-2/a1' });

describe('webview: a task’s changes and review state', () => {
  it('lists each file with its kind’s icon, its path (old → new for a rename) and +n −m, binary without counts', () => {
    const view = changesView(completed, { changes: changes() });
    assert.equal(view.kind, 'files');
    if (view.kind !== 'files') return;
    assert.equal(view.summary, '5 files · +13 −5 · orch/TASK-1-2/a1');
    assert.deepEqual(
      view.rows.map((r) => [r.icon, r.label, r.counts]),
      [
        ['diff-modified', 'src/a.ts', '+3 −1'],
        ['diff-added', 'src/new.ts', '+10 −0'],
        ['diff-removed', 'old.txt', '+0 −4'],
        ['diff-renamed', 'src/b.ts → lib/b.ts', '+0 −0'],
        ['diff-added', 'logo.png', 'binary'],
      ],
    );
    assert.equal(view.rows[3].path, 'lib/b.ts', 'the right side’s path identifies the row');
    assert.equal(view.rows[4].title, 'added: logo.png (binary file)');
    assert.equal(view.rows[0].title, 'modified: src/a.ts (+3 −1)');
  });

  it('says one file in the singular', () => {
    const view = changesView(completed, { changes: changes({ files: [changes().files[0]], insertions: 3, deletions: 1 }) });
    assert.equal(view.kind === 'files' && view.summary, '1 file · +3 −1 · orch/TASK-1-2/a1');
  });

  it('says what it waits for or why there is nothing: loading, no branch, no file changed, git failed', () => {
    assert.deepEqual(changesView(completed, undefined), { kind: 'message', text: 'Loading the changed files…', error: false });
    assert.deepEqual(changesView(completed, { changes: null }), { kind: 'message', text: 'No attempt of this task left a branch to review.', error: false });
    assert.deepEqual(changesView(completed, { changes: changes({ files: [], insertions: 0, deletions: 0 }) }), { kind: 'message', text: 'orch/TASK-1-2/a1 changes no file.', error: false });
    assert.deepEqual(changesView(completed, { changes: null, error: 'fatal: bad object' }), { kind: 'message', text: 'Could not read the changes: fatal: bad object', error: true });
  });

  it('shows no changes for a task without a branch, and asks to wait while its agent still writes', () => {
    assert.deepEqual(changesView(taskView('TASK-1-1'), { changes: changes() }), { kind: 'hidden' });
    assert.deepEqual(changesView(taskView('TASK-1-1', { status: 'running', branch: 'orch/TASK-1-1/a1' }), undefined), {
      kind: 'message',
      text: 'The agent is still working; its changes show once it finishes.',
      error: false,
    });
    // A queued follow-up still shows the last attempt's work.
    assert.equal(changesView(taskView('TASK-1-1', { status: 'spawned', branch: 'orch/TASK-1-1/a1' }), { changes: changes() }).kind, 'files');
  });

  it('words the review state: not merged yet, merged into a branch at a commit with its strategy, discarded', () => {
    assert.equal(reviewText(completed), 'not merged yet');
    assert.equal(reviewText(taskView('TASK-1-1')), null, 'nothing to review without a branch');
    assert.equal(reviewText({ ...completed, review: { state: 'unreviewed', target: null, commit: null, strategy: null } }), 'not merged yet');
    assert.equal(
      reviewText({ ...completed, review: { state: 'merged', target: 'orch/integrate/orch-1', commit: '0123456789abcdef', strategy: 'squash' } }),
      'merged into orch/integrate/orch-1 at 0123456 (squash)',
    );
    assert.equal(reviewText({ ...completed, branch: null, review: { state: 'discarded', target: null, commit: null, strategy: null } }), 'discarded (branch and worktree deleted)');
  });

  it('formats counts with a real minus sign, binary when git gives none', () => {
    assert.equal(formatCounts(12, 3), '+12 −3');
    assert.equal(formatCounts(null, null), 'binary');
    assert.equal(formatCounts(0, 0), '+0 −0');
  });
});
