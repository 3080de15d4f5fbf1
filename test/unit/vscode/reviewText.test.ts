// The words of review and merge in the editor (src/vscode/review/reviewText.ts): a changed file's
// line in the tree, what a review document shows instead of a binary or huge file, a task's review
// state, and the messages of a merge and of a conflicting batch.
import * as assert from 'node:assert/strict';
import type { ChangedFile, MergePlan, MergeStep, OverlapPair, ReviewRecord } from '../../../src/core';
import {
  changedFileText,
  conflictReport,
  formatSize,
  lineCounts,
  mergedMessage,
  overlapLines,
  overlapNotice,
  resolvePrompt,
  reviewDocumentText,
  reviewStateText,
  reviewTooltipLine,
} from '../../../src/vscode/review/reviewText';

function file(fields: Partial<ChangedFile>): ChangedFile {
  return { path: 'src/greet.js', oldPath: null, kind: 'modified', insertions: 3, deletions: 1, ...fields };
}

function step(fields: Partial<MergeStep>): MergeStep {
  return { taskId: 'TASK-1-1', title: 'Greet', branch: 'orch/TASK-1-1/a1', state: 'clean', conflictFiles: [], conflictsWith: [], ...fields };
}

function plan(steps: MergeStep[], fields: Partial<MergePlan> = {}): MergePlan {
  return { target: 'orch/integrate/r1', targetExists: false, base: 'abc', strategy: 'squash', steps, hasConflicts: steps.some((s) => s.state === 'conflict'), checkedOutIn: null, usedFallback: false, ...fields };
}

function record(fields: Partial<ReviewRecord>): ReviewRecord {
  return { taskId: 'TASK-1-1', state: 'unreviewed', target: null, commit: null, strategy: null, updatedAt: null, ...fields };
}

function pair(fields: Partial<OverlapPair>): OverlapPair {
  return { runId: 'r1', taskA: 'TASK-1-1', taskB: 'TASK-1-2', files: ['a.ts'], conflict: null, firstSeenAt: '2026-01-01T00:00:00Z', ...fields };
}

describe('review words (reviewText.ts)', () => {
  it('sizes files in bytes, KB and MB', () => {
    assert.equal(formatSize(12), '12 B');
    assert.equal(formatSize(3 * 1024 + 400), '3.4 KB');
    assert.equal(formatSize(5 * 1024 * 1024), '5.0 MB');
  });

  it('counts lines as "+n −m", and says binary when git counted none', () => {
    assert.equal(lineCounts(3, 1), '+3 \u22121');
    assert.equal(lineCounts(null, null), 'binary');
  });

  it('names a changed file by its name, with its folder (or where it was renamed from) and counts', () => {
    assert.deepEqual(changedFileText(file({})), { label: 'greet.js', description: 'src · +3 \u22121', tooltip: 'src/greet.js — modified, 3 lines added, 1 removed' });
    assert.equal(changedFileText(file({ path: 'top.txt', kind: 'added', insertions: 1, deletions: 0 })).description, '+1 \u22120');
    const renamed = changedFileText(file({ path: 'lib/new.js', oldPath: 'src/old.js', kind: 'renamed', insertions: 0, deletions: 0 }));
    assert.equal(renamed.description, '\u2190 src/old.js · +0 \u22120');
    assert.match(renamed.tooltip, /renamed from src\/old\.js/);
    const binary = changedFileText(file({ path: 'logo.png', kind: 'added', insertions: null, deletions: null }));
    assert.equal(binary.description, 'binary');
    assert.match(binary.tooltip, /binary$/);
  });

  it('shows a text side as is, an absent side as nothing, and one line for binary or huge files', () => {
    assert.equal(reviewDocumentText({ kind: 'text', text: 'a\nb\n' }, 'x.txt'), 'a\nb\n');
    assert.equal(reviewDocumentText({ kind: 'absent' }, 'x.txt'), '');
    assert.equal(reviewDocumentText({ kind: 'binary', size: 2048 }, 'logo.png'), 'logo.png is a binary file (2.0 KB): not shown.\n');
    assert.equal(reviewDocumentText({ kind: 'tooLarge', size: 6 * 1024 * 1024, limit: 5 * 1024 * 1024 }, 'big.json'), 'big.json is too large to show here (6.0 MB; the limit is 5.0 MB).\n');
  });

  it('says a task\'s review state only once it has one', () => {
    assert.equal(reviewStateText(undefined), undefined);
    assert.equal(reviewStateText(record({})), undefined);
    assert.equal(reviewStateText(record({ state: 'merged', target: 'main' })), 'merged \u2192 main');
    assert.equal(reviewStateText(record({ state: 'discarded' })), 'discarded');
    const code = (text: string) => `\`${text}\``;
    assert.equal(reviewTooltipLine(record({ state: 'merged', target: 'main', strategy: 'squash', commit: '0123456789abcdef' }), code), 'Review: **merged** into `main` (squash, commit `0123456789`)');
    assert.match(reviewTooltipLine(record({ state: 'discarded' }), code) ?? '', /discarded/);
    assert.equal(reviewTooltipLine(record({}), code), undefined);
  });

  it('words the radar\'s pairs from either task\'s side', () => {
    const pairs = [pair({ conflict: true }), pair({ taskA: 'TASK-1-2', taskB: 'TASK-2-1', files: ['b.ts', 'c.ts'], conflict: null })];
    assert.deepEqual(overlapLines('TASK-1-2', pairs), ['TASK-1-1 also changes a.ts (their branches conflict)', 'TASK-2-1 also changes b.ts, c.ts (not known yet whether they conflict)']);
    assert.deepEqual(overlapLines('TASK-1-1', pairs), ['TASK-1-2 also changes a.ts (their branches conflict)']);
    assert.deepEqual(overlapLines('TASK-9-9', pairs), []);
    assert.equal(overlapNotice(pair({})), 'TASK-1-1 and TASK-1-2 both change a.ts.');
    assert.equal(overlapNotice(pair({ files: ['a', 'b', 'c', 'd'], conflict: true })), 'TASK-1-1 and TASK-1-2 both change a, b and 2 more files — their branches conflict.');
  });

  it('reports a merge with its target, commit count, strategy and what it skipped', () => {
    const outcome = {
      plan: plan([step({}), step({ taskId: 'TASK-1-2' }), step({ taskId: 'TASK-1-3', state: 'alreadyMerged' })]),
      merged: [
        { taskId: 'TASK-1-1', commit: 'a' },
        { taskId: 'TASK-1-2', commit: 'b' },
      ],
      skipped: [{ taskId: 'TASK-1-3', why: 'already merged' }],
      targetCommit: 'b',
    };
    assert.equal(mergedMessage(outcome), 'Merged 2 tasks into orch/integrate/r1 (2 commits, squash). Skipped TASK-1-3 (already merged).');
    assert.equal(mergedMessage({ ...outcome, merged: outcome.merged.slice(0, 1), skipped: [] }), 'Merged 1 task into orch/integrate/r1 (1 commit, squash).');
  });

  it('lists a conflicting batch task by task with its files, and counts the clean ones', () => {
    const report = conflictReport(
      plan([step({}), step({ taskId: 'TASK-1-2', title: 'Also greet', state: 'conflict', conflictFiles: ['src/greet.js', 'b.txt'], conflictsWith: ['TASK-1-1'] }), step({ taskId: 'TASK-1-3', state: 'alreadyMerged' })]),
    );
    assert.equal(report.message, 'Merging into orch/integrate/r1 would conflict in 1 task; nothing was merged.');
    assert.equal(report.detail, 'TASK-1-2 (Also greet): src/greet.js, b.txt — with TASK-1-1\n\n1 task would merge cleanly.');
    assert.match(conflictReport(plan([step({ state: 'conflict' })], { usedFallback: true })).detail, /No task would merge cleanly\.\n\(git older than 2\.38/);
  });

  it('tells a resolving agent the files, the other tasks and the target', () => {
    const prompt = resolvePrompt(step({ state: 'conflict', conflictFiles: ['src/greet.js'], conflictsWith: ['TASK-1-1'] }), 'main');
    assert.match(prompt, /into main conflicts with the work of TASK-1-1 in src\/greet\.js/);
  });
});
