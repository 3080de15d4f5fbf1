// The run's report (docs/database.md): summary.md and metrics.json on disk, the same in the database, and
// every number in them consistent with what the store recorded about tasks and attempts.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStatusFile } from '../../../src/core/agents/statusFile';
import { attemptsOf, git, intervals, peak, useWorkspaces } from './engineFixture';

describe('engine end to end: the run report', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('writes summary.md and metrics.json, stores them with the run, and agrees with the database', async () => {
    const ws = workspace();
    const o = await ws.withPlan(
      [
        { id: 'TASK-1-1', prompt: 'cost 0.10 tokens 1000/200; sleep 200ms; write a.txt: a' },
        { id: 'TASK-1-2', prompt: 'cost 0.05 tokens 500/100; write b.txt: b' },
        { id: 'TASK-1-3', prompt: 'cost 0.01 tokens 10/5; fail with the linter is unhappy' },
        { id: 'TASK-1-4', prompt: 'write d.txt: d', dependsOn: ['TASK-1-3'] },
      ],
      { maxParallel: 2 },
    );
    const result = await o.run();
    assert.equal(result.status, 'failed');

    // On disk, in the result, and in the database: the same report.
    const runDir = join(o.orchestratorDir, 'runs', result.runId);
    assert.equal(result.summaryPath, join(runDir, 'summary.md'));
    assert.equal(result.metricsPath, join(runDir, 'metrics.json'));
    const summaryMd = readFileSync(result.summaryPath, 'utf8');
    const metrics = JSON.parse(readFileSync(result.metricsPath, 'utf8')) as typeof result.metrics;
    const run = o.store.getRun(result.runId)!;
    assert.equal(summaryMd, result.summaryMd);
    assert.equal(run.summaryMd, summaryMd);
    assert.deepEqual(metrics, result.metrics);
    assert.deepEqual(run.metrics, metrics);
    assert.equal(run.status, 'failed');

    // The metrics.json fields, each checked against the store.
    const tasks = o.store.listTasks({ runId: result.runId });
    const attempts = attemptsOf(o.store);
    const completed = tasks.filter((t) => t.status === 'completed');
    assert.equal(metrics.orchestration_id, result.runId);
    assert.match(metrics.orchestration_id, /^orch-\d{8}-\d{6}-[0-9a-f]{4}$/);
    assert.equal(metrics.plan, join(ws.repo, 'engine.plan.json'));
    assert.equal(metrics.total_sub_tasks, tasks.length);
    assert.equal(metrics.total_sub_tasks, 4);
    assert.equal(metrics.successful_agents, completed.length);
    assert.equal(metrics.failed_agents, tasks.filter((t) => t.status === 'failed').length);
    assert.equal(metrics.blocked_tasks, 1);
    assert.deepEqual([metrics.timed_out_agents, metrics.cancelled_tasks], [0, 0]);
    assert.deepEqual(metrics.follow_up_tasks, ['TASK-1-3', 'TASK-1-4']);
    assert.deepEqual(metrics.branches_created, completed.map((t) => t.latestAttempt!.branch));
    for (const branch of metrics.branches_created) assert.equal(git(ws.repo, 'rev-parse', '--verify', '--quiet', branch).length, 40);
    assert.equal(metrics.total_attempts, attempts.length);
    assert.equal(metrics.cost_usd, 0.16);
    assert.deepEqual([metrics.tokens_in, metrics.tokens_out], [1510, 305]);
    assert.deepEqual(
      attempts.map((a) => a.costUsd),
      [0.1, 0.05, 0.01],
    );
    const durations = attempts.map((a) => a.durationMs!);
    assert.equal(metrics.avg_agent_duration_seconds, Math.round((durations.reduce((s, d) => s + d, 0) / durations.length / 1000) * 10) / 10);
    const spans = intervals(o.store);
    const busyMs = Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start));
    const runMs = Date.parse(run.endedAt!) - Date.parse(run.startedAt);
    assert.ok(metrics.total_duration_seconds * 1000 >= busyMs - 50 && metrics.total_duration_seconds * 1000 <= runMs + 50, `${metrics.total_duration_seconds}s vs ${busyMs}..${runMs} ms`);
    assert.deepEqual(metrics.resource_usage, { max_parallel: 2, max_concurrent_agents: peak(o.store) });
    assert.equal(metrics.resource_usage.max_concurrent_agents, 2);
    assert.equal(metrics.status, 'failed');
    assert.equal(metrics.strategy, 'wait_all');

    // The summary says the same in words, failures with their reasons.
    for (const line of [
      `**Run**: ${result.runId}`,
      '**Total Sub-Tasks**: 4',
      '**Successful**: 2',
      '**Failed**: 1',
      '**Not run**: 1 (1 blocked)',
      '**Cost**: $0.16',
      '- [x] TASK-1-1: Task TASK-1-1 → `orch/TASK-1-1/a1`',
      '- [x] TASK-1-2: Task TASK-1-2 → `orch/TASK-1-2/a1`',
      '- [ ] TASK-1-3: Task TASK-1-3 — failed: agent exited with code 1: the linter is unhappy',
    ]) {
      assert.ok(summaryMd.split('\n').includes(line), `summary.md lacks the line ${line}:\n${summaryMd}`);
    }
    assert.match(summaryMd, /### Not run\n- \[ \] TASK-1-4: .*dependency TASK-1-3 failed/);

    // Logs and status files, one per agent.
    for (const attempt of attempts) {
      assert.ok(existsSync(attempt.logPath!), `no log for ${attempt.taskId}`);
      const status = readStatusFile(join(runDir, 'status', `${attempt.taskId}-a${attempt.attemptNumber}.status.json`));
      assert.ok(status.state === 'ok', `no status file for ${attempt.taskId}`);
      assert.equal(status.status.status, attempt.outcome === 'completed' ? 'completed' : 'failed');
      assert.equal(status.status.sub_issue, attempt.taskId);
    }
  });
});
