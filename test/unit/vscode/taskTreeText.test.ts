// What the task tree says: group labels and counts, a task's description line, its tooltip and
// the contextValue the menus' `when` clauses match.
import * as assert from 'node:assert/strict';
import type { DisplayStatus } from '../../../src/shared/taskCounts';
import { groupText, showsChanges, STATUS_ICONS, taskContextValue, taskDescription, taskTooltipText, type ShownAttempt, type ShownTask } from '../../../src/vscode/tree/taskTreeText';

function attempt(fields: Partial<ShownAttempt> = {}): ShownAttempt {
  return { attemptNumber: 1, durationMs: null, exitCode: null, worktree: null, branch: null, sessionId: null, logPath: null, costUsd: null, tokensIn: null, tokensOut: null, ...fields };
}

function task(fields: Partial<ShownTask> = {}): ShownTask {
  return {
    taskId: 'TASK-1-1',
    specId: 'SPEC-001',
    parentTaskId: null,
    displayStatus: 'pending',
    title: 'Add the greeting module',
    priority: 'medium',
    estimatedHours: 1,
    agent: null,
    routedBy: null,
    dependsOn: [],
    retryCount: 0,
    errorMessage: null,
    startedAt: null,
    latestAttempt: null,
    ...fields,
  };
}

/** How each status reads in the tooltip, and its icon in the tree (a spinning one shows still in a tooltip). */
const BY_STATUS: ReadonlyArray<[DisplayStatus, label: string, icon: string]> = [
  ['pending', 'pending', 'circle-large-outline'],
  ['ready', 'ready', 'circle-large-outline'],
  ['assigned', 'queued', 'clock'],
  ['spawned', 'queued', 'clock'],
  ['running', 'running', 'sync'],
  ['completed', 'completed', 'pass-filled'],
  ['failed', 'failed', 'error'],
  ['timed_out', 'timed out', 'watch'],
  ['cancelled', 'cancelled', 'circle-slash'],
  ['blocked', 'blocked', 'warning'],
  ['interrupted', 'interrupted', 'debug-pause'],
];

describe('task tree: words', () => {
  describe('groups', () => {
    it('a spec group: "id: title", how many of its tasks are done, a check once all are', () => {
      const half = groupText('spec', 'SPEC-001', 'Greeting service', [task({ displayStatus: 'completed' }), task({ displayStatus: 'failed' })]);
      assert.deepEqual(half, { label: 'SPEC-001: Greeting service', description: '1/2 done', icon: 'symbol-namespace', contextValue: 'orchGroup:spec' });
      const all = groupText('spec', 'SPEC-001', undefined, [task({ displayStatus: 'completed' })]);
      assert.deepEqual([all.label, all.description, all.icon], ['SPEC-001', '1/1 done', 'pass']);
      assert.deepEqual([groupText('spec', 'SPEC-002', 'Empty', []).description, groupText('spec', 'SPEC-002', 'Empty', []).icon], ['0/0 done', 'symbol-namespace']);
    });

    it('a status group: its label and how many tasks it holds, no icon, its key in the contextValue', () => {
      const labels = ['running', 'queued', 'failed', 'timed_out', 'blocked', 'interrupted', 'cancelled', 'pending', 'completed'].map((key) => groupText('status', key, undefined, [task(), task()]));
      assert.deepEqual(
        labels.map((g) => g.label),
        ['Running', 'Queued', 'Failed', 'Timed out', 'Blocked', 'Interrupted', 'Cancelled', 'Not started', 'Completed'],
      );
      assert.deepEqual(labels[0], { label: 'Running', description: '2', icon: undefined, contextValue: 'orchGroup:running' });
      assert.equal(groupText('status', 'odd', undefined, []).label, 'odd', 'an unknown key shows as itself');
    });
  });

  describe('a task', () => {
    it('has a contextValue with its status, and :log / :worktree once its attempt has them', () => {
      assert.equal(taskContextValue(task()), 'orchTask:pending');
      assert.equal(taskContextValue(task({ displayStatus: 'failed', latestAttempt: attempt({ logPath: '/l.log', worktree: '/wt' }) })), 'orchTask:failed:log:worktree');
      assert.equal(taskContextValue(task({ displayStatus: 'timed_out', latestAttempt: attempt({ worktree: '/wt' }) })), 'orchTask:timed_out:worktree');
    });

    it('adds :branch while its branch holds work, its review state, and :overlap when the radar flagged it', () => {
      const done = task({ displayStatus: 'completed', latestAttempt: attempt({ logPath: '/l.log', branch: 'orch/TASK-1-1/a1' }) });
      assert.equal(taskContextValue(done), 'orchTask:completed:log:branch');
      assert.equal(taskContextValue(done, { state: 'unreviewed' }), 'orchTask:completed:log:branch');
      assert.equal(taskContextValue(done, { state: 'merged', flagged: true }), 'orchTask:completed:log:branch:merged:overlap');
      assert.equal(taskContextValue(done, { state: 'discarded' }), 'orchTask:completed:log:discarded', 'a discarded branch is gone');
      // The menus' regular expressions (package.json) on these values:
      const review = /^orchTask:(completed|failed|timed_out)\b.*:branch\b/;
      const merge = /^orchTask:completed\b.*:branch\b/;
      assert.match(taskContextValue(done), merge);
      assert.match(taskContextValue(task({ displayStatus: 'failed', latestAttempt: attempt({ branch: 'b', worktree: '/wt' }) })), review);
      assert.doesNotMatch(taskContextValue(task({ displayStatus: 'failed', latestAttempt: attempt({ branch: 'b' }) })), merge);
      assert.doesNotMatch(taskContextValue(done, { state: 'discarded' }), review);
    });

    it('lists its changed files when it is completed, failed or timed out with a branch that was not discarded', () => {
      const withBranch = attempt({ branch: 'orch/TASK-1-1/a1' });
      assert.equal(showsChanges(task({ displayStatus: 'completed', latestAttempt: withBranch })), true);
      assert.equal(showsChanges(task({ displayStatus: 'failed', latestAttempt: withBranch })), true);
      assert.equal(showsChanges(task({ displayStatus: 'timed_out', latestAttempt: withBranch })), true);
      assert.equal(showsChanges(task({ displayStatus: 'completed', latestAttempt: withBranch }), { state: 'merged' }), true);
      assert.equal(showsChanges(task({ displayStatus: 'completed', latestAttempt: withBranch }), { state: 'discarded' }), false);
      assert.equal(showsChanges(task({ displayStatus: 'running', latestAttempt: withBranch })), false);
      assert.equal(showsChanges(task({ displayStatus: 'cancelled', latestAttempt: withBranch })), false);
      assert.equal(showsChanges(task({ displayStatus: 'completed', latestAttempt: attempt() })), false, 'no branch, nothing to list');
    });

    it('describes a running task with its agent, step and time so far', () => {
      const now = Date.parse('2025-01-01T10:01:12Z');
      const running = task({ displayStatus: 'running', agent: 'scripted', startedAt: '2025-01-01T10:00:00Z' });
      assert.equal(taskDescription(running, { step: 1, total: 2, message: 'writing' }, now), 'TASK-1-1 · scripted · 1/2 writing · 1:12');
      assert.equal(taskDescription(running, { step: 0, total: 0, message: '' }, now), 'TASK-1-1 · scripted · 1:12', 'no steps reported: no step shown');
      assert.equal(taskDescription(running, undefined, now), 'TASK-1-1 · scripted · 1:12');
    });

    it('describes an ended task with its last attempt’s duration, and a requeued one without it', () => {
      const ended = attempt({ durationMs: 65_000 });
      assert.equal(taskDescription(task({ displayStatus: 'completed', agent: 'codex', latestAttempt: ended }), undefined), 'TASK-1-1 · codex · 1:05');
      assert.equal(taskDescription(task({ displayStatus: 'failed', latestAttempt: attempt({ durationMs: 4_000 }) }), undefined), 'TASK-1-1 · 4s');
      assert.equal(taskDescription(task({ displayStatus: 'spawned', latestAttempt: ended }), undefined), 'TASK-1-1', 'a retry waiting to start shows no old duration');
      assert.equal(taskDescription(task(), undefined), 'TASK-1-1');
    });
  });

  describe('the tooltip', () => {
    it('names every status in words, with its icon', () => {
      for (const [status, label, icon] of BY_STATUS) {
        const text = taskTooltipText(task({ displayStatus: status }), undefined);
        assert.equal(text.heading, `$(${icon}) **TASK\\-1\\-1** — Add the greeting module`, status);
        assert.equal(text.lines[0], `Status: **${label}**`, status);
      }
      assert.equal(STATUS_ICONS.running[0], 'sync~spin', 'the tree itself shows a running task spinning');
    });

    it('says the plan’s facts: priority, estimate, agent and how it was routed, dependencies, parent', () => {
      const text = taskTooltipText(task({ priority: 'high', estimatedHours: 3, agent: 'codex', routedBy: 'rule tests', dependsOn: ['TASK-1-2', 'TASK-1-3'], parentTaskId: 'TASK-1-9' }), undefined);
      assert.deepEqual(text.lines, [
        'Status: **pending**',
        'Priority: high · Estimate: 3 h · Agent: codex (rule tests)',
        'Depends on: TASK\\-1\\-2, TASK\\-1\\-3',
        'Part of: TASK\\-1\\-9',
      ]);
      assert.equal(taskTooltipText(task(), undefined).lines[2], 'Depends on: nothing');
      assert.equal(text.error, undefined);
    });

    it('shows a running task’s step and its agent’s API retries, and neither once it stopped', () => {
      const progress = { step: 2, total: 3, message: 'tests', apiRetry: 'rate limited (429), retry 2/10' };
      const running = taskTooltipText(task({ displayStatus: 'running' }), progress);
      assert.equal(running.lines[0], 'Status: **running** (step 2/3: tests)');
      assert.ok(running.lines.includes('Agent API: rate limited \\(429\\), retry 2/10'));
      const failed = taskTooltipText(task({ displayStatus: 'failed' }), progress);
      assert.equal(failed.lines[0], 'Status: **failed**');
      assert.ok(!failed.lines.some((line) => line.startsWith('Agent API')));
    });

    it('puts why it failed first, cut at 1200 characters', () => {
      assert.equal(taskTooltipText(task({ displayStatus: 'failed', errorMessage: 'verify failed: npm test exited 1' }), undefined).error, 'verify failed: npm test exited 1');
      const long = taskTooltipText(task({ displayStatus: 'failed', errorMessage: 'x'.repeat(1500) }), undefined).error!;
      assert.equal(long, `${'x'.repeat(1200)}…`);
      assert.equal(taskTooltipText(task({ errorMessage: '' }), undefined).error, undefined);
    });

    it('describes the latest attempt: number and retries, duration, exit code, worktree, branch, session and cost', () => {
      const text = taskTooltipText(
        task({
          displayStatus: 'failed',
          retryCount: 1,
          latestAttempt: attempt({ attemptNumber: 2, durationMs: 65_000, exitCode: 1, worktree: '/wt/TASK-1-1', branch: 'orch/TASK-1-1/a2', sessionId: 's-1', costUsd: 0.5, tokensIn: 1200, tokensOut: 300 }),
        }),
        undefined,
      );
      assert.deepEqual(text.lines.slice(3), [
        'Attempt 2 (1 retry) · 1:05 · agent exit code 1',
        'Worktree: `/wt/TASK-1-1`',
        'Branch: `orch/TASK-1-1/a2`',
        'Agent session: `s-1`',
        'Cost: $0.50 · tokens 1200 in / 300 out',
      ]);
      const removed = task({ displayStatus: 'completed', latestAttempt: attempt({ worktree: '/wt/TASK-1-1', branch: 'orch/TASK-1-1/a1' }) });
      assert.equal(taskTooltipText(removed, undefined, true).lines[4], 'Worktree: removed — `orch/TASK-1-1/a1` holds the work (Open Task Worktree checks it out again)');
      assert.equal(taskTooltipText(removed, undefined, false).lines[4], 'Worktree: `/wt/TASK-1-1`');
      const plain = taskTooltipText(task({ displayStatus: 'running', retryCount: 2, latestAttempt: attempt({ attemptNumber: 3 }) }), undefined);
      assert.deepEqual(plain.lines.slice(3), ['Attempt 3 (2 retries)']);
      assert.equal(taskTooltipText(task({ latestAttempt: attempt({ tokensIn: 10 }) }), undefined).lines.at(-1), 'Cost: $0.00 · tokens 10 in / 0 out');
    });

    it('escapes Markdown in titles and messages, so they show as written', () => {
      const text = taskTooltipText(task({ title: 'Fix *all* the [links] `now`', agent: 'my_agent' }), undefined);
      assert.equal(text.heading, '$(circle-large-outline) **TASK\\-1\\-1** — Fix \\*all\\* the \\[links\\] \\`now\\`');
      assert.match(text.lines[1], /Agent: my\\_agent$/);
      assert.equal(taskTooltipText(task({ title: null }), undefined).heading, '$(circle-large-outline) **TASK\\-1\\-1** — TASK\\-1\\-1', 'no title: the id twice');
    });
  });
});
