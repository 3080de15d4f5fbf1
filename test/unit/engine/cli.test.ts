// The headless CLI binary (dist/cli.js) as users and CI run it: its commands, its exit codes and
// messages on bad input, and a run that survives its own process being killed.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../../../src/core/process/processTree';
import { OrchestratorStore, type RunRecord, type TaskView } from '../../../src/core/store';
import { git, statuses, useWorkspaces, waitUntil, withStore, type Workspace } from './engineFixture';

interface StatusJson {
  readonly run: RunRecord | null;
  readonly counts: Record<string, number>;
  readonly tasks: TaskView[];
}

async function statusJson(ws: Workspace): Promise<StatusJson> {
  const { code, stdout, stderr } = await ws.cli(['status', '--json']);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout) as StatusJson;
}

function orchBranches(ws: Workspace): string[] {
  return git(ws.repo, 'branch', '--list', 'orch/*', '--format=%(refname:short)').split('\n').filter(Boolean).sort();
}

describe('engine end to end: the CLI', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  it('status --json, summary, retry and clean over two runs', async () => {
    const ws = workspace();
    ws.writePlan([
      { id: 'TASK-1-1', prompt: 'write a.txt: a' },
      { id: 'TASK-1-2', prompt: `fail-once ${join(ws.dir, 'marker')}; write b.txt: b` },
      { id: 'TASK-1-3', prompt: 'write c.txt: c', dependsOn: ['TASK-1-2'] },
    ]);
    assert.equal((await ws.cli(['import', 'engine.plan.json'])).code, 0);
    const first = await ws.cli(['run', '--agent', 'scripted', '--retries', '0']);
    assert.equal(first.code, 1, first.stderr);

    const failed = await statusJson(ws);
    assert.equal(failed.run!.status, 'failed');
    assert.deepEqual(
      failed.tasks.map((t) => [t.taskId, t.status]),
      [
        ['TASK-1-1', 'completed'],
        ['TASK-1-2', 'failed'],
        ['TASK-1-3', 'blocked'],
      ],
    );
    assert.deepEqual([failed.counts.completed, failed.counts.failed, failed.counts.blocked, failed.counts.total], [1, 1, 1, 3]);
    const firstRunId = failed.run!.runId;
    const firstRunDir = join(ws.repo, '.agent-orchestrator', 'runs', firstRunId);

    // summary prints the run's summary.md; --json its metrics.json.
    const summary = await ws.cli(['summary']);
    assert.equal(summary.stdout, readFileSync(join(firstRunDir, 'summary.md'), 'utf8'));
    assert.match(summary.stdout, /- \[ \] TASK-1-2: Task TASK-1-2 — failed: agent exited with code 1: failed once as instructed/);
    const metrics = JSON.parse((await ws.cli(['summary', '--json'])).stdout) as Record<string, unknown>;
    assert.deepEqual(metrics, JSON.parse(readFileSync(join(firstRunDir, 'metrics.json'), 'utf8')));
    assert.deepEqual(metrics.follow_up_tasks, ['TASK-1-2', 'TASK-1-3']);

    const retry = await ws.cli(['retry']);
    assert.equal(retry.stdout.trim(), 'Queued again: TASK-1-2, TASK-1-3. Run `agent-orchestrator run`.');
    const queued = await statusJson(ws);
    assert.deepEqual(queued.tasks.map((t) => t.status), ['completed', 'spawned', 'spawned']);

    const second = await ws.cli(['run', '--agent', 'scripted', '--retries', '0']);
    assert.equal(second.code, 0, second.stderr);
    const done = await statusJson(ws);
    assert.notEqual(done.run!.runId, firstRunId);
    assert.deepEqual(done.tasks.map((t) => t.status), ['completed', 'completed', 'completed']);
    // The retried tasks belong to the second run and are in its report; TASK-1-1 did not run again.
    const secondMetrics = JSON.parse((await ws.cli(['summary', '--json'])).stdout) as Record<string, unknown>;
    assert.deepEqual([secondMetrics.total_sub_tasks, secondMetrics.successful_agents], [2, 2]);
    assert.deepEqual(secondMetrics.branches_created, ['orch/TASK-1-2/a2', 'orch/TASK-1-3/a1']);
    assert.equal((await ws.cli(['summary', '--run', firstRunId])).stdout, summary.stdout);
    await withStore(ws, (store) => {
      assert.deepEqual(['TASK-1-1', 'TASK-1-2', 'TASK-1-3'].map((id) => store.listAttempts(id).length), [1, 2, 1]);
    });

    // Completed attempts' worktrees went once their work was committed (setting keepWorktrees):
    // only the failed attempt's is left, beside the main checkout.
    assert.equal(git(ws.repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length, 2);
    assert.deepEqual(readdirSync(join(ws.dir, '.repo-worktrees')), ['TASK-1-2-a1']);
    // clean: every worktree goes; completed work's branches stay, the failed attempt's goes.
    const clean = await ws.cli(['clean']);
    assert.deepEqual([clean.code, clean.stdout.trim()], [0, 'Removed 1 worktree(s).']);
    assert.equal(git(ws.repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length, 1);
    assert.deepEqual(readdirSync(join(ws.dir, '.repo-worktrees')), []);
    assert.deepEqual(orchBranches(ws), ['orch/TASK-1-1/a1', 'orch/TASK-1-2/a2', 'orch/TASK-1-3/a1']);

    // clean --branches afterwards: no worktree is left, yet the kept branches go now.
    const branches = await ws.cli(['clean', '--branches']);
    assert.deepEqual([branches.code, branches.stdout.trim()], [0, 'Removed 0 worktree(s) and 3 unused branch(es).']);
    assert.deepEqual(orchBranches(ws), []);
  });

  it('recovers after the run process is killed: the running task is interrupted and requeued, nothing done runs twice', async () => {
    const ws = workspace();
    ws.writePlan([
      { id: 'TASK-1-1', prompt: 'write a.txt: a' },
      // Long enough to be caught running (even on a loaded machine); it runs again in full after the crash.
      { id: 'TASK-1-2', prompt: 'progress 1/1 working; sleep 3s; write b.txt: b', dependsOn: ['TASK-1-1'] },
      { id: 'TASK-1-3', prompt: 'write c.txt: c', dependsOn: ['TASK-1-2'] },
      { id: 'TASK-1-4', prompt: 'write d.txt: d' },
    ]);
    assert.equal((await ws.cli(['import', 'engine.plan.json'])).code, 0);
    const killed = ws.spawnCli(['run', '--agent', 'scripted', '--retries', '0']);
    await killed.waitFor(/TASK-1-2 +progress/);
    // Writes reach the file in batches: wait until the file itself says TASK-1-2 runs.
    const reader = await OrchestratorStore.open(OrchestratorStore.defaultPath(ws.repo));
    let agentPid: number;
    try {
      assert.equal(reader.readOnly, true);
      agentPid = await waitUntil('the database file to show TASK-1-2 running and TASK-1-4 done', async () => {
        await reader.refresh();
        const pid = reader.listAttempts('TASK-1-2')[0]?.pid;
        return reader.getTask('TASK-1-2')?.status === 'running' && reader.getTask('TASK-1-4')?.status === 'completed' ? pid : undefined;
      });
    } finally {
      await reader.close();
    }
    killed.child.kill('SIGKILL');
    assert.equal((await killed.exited).code, null);
    // The agent outlives its host (it runs in its own process group); the next run must stop it
    // before requeueing the task, or two agents would work on TASK-1-2 at once.
    assert.equal(isAlive(agentPid), true, 'the orphaned agent is still running');

    const again = await ws.cli(['run', '--agent', 'scripted', '--retries', '0', '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(isAlive(agentPid), false, 'the orphaned agent was stopped');
    const result = JSON.parse(again.stdout) as { status: string; recovered: string[]; metrics: { total_sub_tasks: number } };
    assert.equal(result.status, 'completed');
    assert.deepEqual(result.recovered, ['TASK-1-2']);
    assert.equal(result.metrics.total_sub_tasks, 2);

    await withStore(ws, (store) => {
      assert.deepEqual(statuses(store), { 'TASK-1-1': 'completed', 'TASK-1-2': 'completed', 'TASK-1-3': 'completed', 'TASK-1-4': 'completed' });
      assert.deepEqual(['TASK-1-1', 'TASK-1-2', 'TASK-1-3', 'TASK-1-4'].map((id) => store.listAttempts(id).length), [1, 2, 1, 1]);
      assert.deepEqual(store.listAttempts('TASK-1-2').map((a) => a.outcome), ['interrupted', 'completed']);
      const moves = store.listEvents({ taskId: 'TASK-1-2' }).filter((e) => e.kind === 'status_changed').map((e) => `${e.fromStatus}>${e.toStatus}`);
      assert.deepEqual(moves, ['spawned>running', 'running>interrupted', 'interrupted>spawned', 'spawned>running', 'running>completed']);
      assert.deepEqual(
        store.listEvents({ taskId: 'TASK-1-2' }).filter((e) => e.kind === 'orphaned_agent_stopped').map((e) => e.detail?.pid),
        [agentPid],
      );
      const runs = store.listRuns();
      assert.deepEqual(runs.map((r) => r.status), ['completed', 'interrupted']);
    });
    assert.equal(git(ws.repo, 'show', 'orch/TASK-1-3/a1:b.txt'), 'b');

    // clean --branches: the completed work's branches go too.
    assert.equal((await ws.cli(['clean', '--branches'])).code, 0);
    assert.deepEqual(orchBranches(ws), []);
  });

  describe('bad input', () => {
    it('not a git repository, or one without a commit: exit 1 and what to do', async () => {
      const plain = workspace('plain');
      plain.writePlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
      assert.equal((await plain.cli(['import', 'engine.plan.json'])).code, 0);
      const notRepo = await plain.cli(['run', '--agent', 'scripted']);
      assert.equal(notRepo.code, 1);
      assert.match(notRepo.stderr, /^agent-orchestrator: .*\/repo is not inside a git repository — open a folder of a git repository or run "git init" there\n$/);

      const empty = workspace('empty');
      empty.writePlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
      assert.equal((await empty.cli(['import', 'engine.plan.json'])).code, 0);
      const noCommit = await empty.cli(['run', '--agent', 'scripted']);
      assert.equal(noCommit.code, 1);
      assert.match(noCommit.stderr, /has no commit yet — worktrees start from a commit, so commit something first/);
      for (const ws of [plain, empty]) assert.equal((await statusJson(ws)).run, null);
    });

    it('an invalid plan: exit 3, every problem with file:line, nothing stored', async () => {
      const ws = workspace();
      const file = ws.writePlan(
        ['# Plan', '', '## SPEC-001: Broken', '', '- [ ] TASK-1-1: Fine', '- [ ] TASK-1-2: Bad {after: TASK-1-9}', '- [ ] TASK-1-3: Worse {priority: urgent}', ''].join('\n'),
        'broken.plan.md',
      );
      const imported = await ws.cli(['import', 'broken.plan.md']);
      assert.equal(imported.code, 3);
      assert.equal(
        imported.stderr,
        `agent-orchestrator: 2 problems in the plan:\n  ${file}:6: TASK-1-2: depends on unknown task TASK-1-9\n  ${file}:7: TASK-1-3: invalid priority "urgent" (expected high, medium, low or 1–10)\n`,
      );
      assert.deepEqual((await statusJson(ws)).tasks, []);
    });

    it('a missing agent CLI fails the task with "not found", without hanging', async () => {
      const ws = workspace();
      ws.writePlan([{ id: 'TASK-1-1', prompt: 'Add a greeting', agent: 'claude' }]);
      assert.equal((await ws.cli(['import', 'engine.plan.json'])).code, 0);
      const run = await ws.cli(['run', '--retries', '0'], { ...process.env, PATH: ws.isolatedPath() });
      assert.equal(run.code, 1, run.stderr);
      const [task] = (await statusJson(ws)).tasks;
      assert.equal(task.status, 'failed');
      assert.equal(task.errorMessage, 'agent CLI `claude` not found on PATH — install it or change the "claude" profile');
    });

    it('an unknown agent profile stops the run before anything starts', async () => {
      const ws = workspace();
      ws.writePlan([{ id: 'TASK-1-1', prompt: 'Add a greeting', agent: 'nosuch' }]);
      assert.equal((await ws.cli(['import', 'engine.plan.json'])).code, 0);
      const run = await ws.cli(['run']);
      assert.equal(run.code, 1);
      assert.equal(run.stderr, 'agent-orchestrator: No agent profile for TASK-1-1 (nosuch); known profiles: claude, codex, gemini, aider, copilot, scripted\n');
      const status = await statusJson(ws);
      assert.equal(status.run, null);
      assert.equal(status.tasks[0].status, null);
    });
  });
});
