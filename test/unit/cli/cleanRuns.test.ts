// `agent-orchestrator clean --runs [--keep N]` through the built CLI: what it prints, its exit
// codes, what it removes and what it refuses (a bad --keep is a usage error that changes nothing).
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../../src/cli/exitCodes';
import { readStore, useWorkspaces, type Workspace } from '../engine/engineFixture';

function runsDir(ws: Workspace): string {
  return join(ws.repo, '.agent-orchestrator', 'runs');
}

/** Two CLI runs of one task each, from their own plan files; returns their run ids, oldest first. */
async function twoRuns(ws: Workspace): Promise<string[]> {
  for (const i of [1, 2]) {
    ws.writePlan(JSON.stringify({ specs: [{ id: `SPEC-00${i}`, title: `Run ${i}`, tasks: [{ id: `TASK-${i}-1`, title: `Task ${i}`, prompt: `write f${i}.txt: ${i}` }] }] }), `plan-${i}.json`);
    const ran = await ws.cli(['run', '--plan', `plan-${i}.json`, '--agent', 'scripted', '--retries', '0']);
    assert.equal(ran.code, EXIT.ok, ran.stdout + ran.stderr);
  }
  return readStore(ws, (store) => store.listRuns().map((run) => run.runId).reverse());
}

describe('cli: clean --runs', function () {
  this.timeout(120_000);
  const workspace = useWorkspaces();

  it('prunes the runs older than --keep N, prints what it pruned, exits 0; a second call has nothing to prune', async () => {
    const ws = workspace();
    const [older, newer] = await twoRuns(ws);
    const events = await readStore(ws, (store) => store.listEvents({ runId: older }).length);

    const cleaned = await ws.cli(['clean', '--runs', '--keep', '1']);
    assert.equal(cleaned.code, EXIT.ok, cleaned.stderr);
    assert.equal(cleaned.stderr, '');
    assert.match(cleaned.stdout, new RegExp(`^Pruned 1 old run \\(keeping the newest 1\\): ${events - 2} events, 1 logs, 1 summaries, \\d+\\.\\d MiB(; database \\d+\\.\\d MiB → \\d+\\.\\d MiB)?\\.\\n$`));
    assert.deepEqual(readdirSync(runsDir(ws)), [newer]);
    await readStore(ws, (store) => {
      assert.deepEqual(store.listEvents({ runId: older }).map((e) => e.kind), ['run_started', 'run_ended', 'run_pruned']);
      assert.equal(store.getRun(older)?.summaryMd, null);
      assert.equal(store.getRun(older)?.status, 'completed');
      assert.notEqual(store.getRun(newer)?.summaryMd, null);
    });

    const again = await ws.cli(['clean', '--runs', '--keep', '1', '--json']);
    assert.equal(again.code, EXIT.ok, again.stderr);
    const report = JSON.parse(again.stdout) as { runIds: string[]; events: number; folders: number; keepRuns: number };
    assert.deepEqual([report.runIds, report.events, report.folders, report.keepRuns], [[], 0, 0, 1]);

    // The pruned run's totals still answer `summary --json`.
    const summary = await ws.cli(['summary', '--run', older, '--json']);
    assert.equal(summary.code, EXIT.ok, summary.stderr);
    assert.equal((JSON.parse(summary.stdout) as { total_sub_tasks: number }).total_sub_tasks, 1);
    const text = await ws.cli(['summary', '--run', older]);
    assert.equal(text.code, EXIT.ok, text.stderr);
    assert.equal(text.stdout, `Run ${older} ended completed and has no summary: it never wrote one, or it is older than the newest keepRuns runs, which keep theirs (its totals: summary --run ${older} --json).\n`);
  });

  it('without --keep uses the keepRuns setting (default 20: nothing to prune here)', async () => {
    const ws = workspace();
    await twoRuns(ws);
    const cleaned = await ws.cli(['clean', '--runs']);
    assert.equal(cleaned.code, EXIT.ok, cleaned.stderr);
    assert.equal(cleaned.stdout, 'Nothing to prune: the newest 20 run(s) are kept whole, and no older run has anything left to prune.\n');
    assert.equal(readdirSync(runsDir(ws)).length, 2);
  });

  it('refuses a --keep that is not a whole number ≥ 1, or --keep without --runs (exit 2), and changes nothing', async () => {
    const ws = workspace();
    const [older] = await twoRuns(ws);
    for (const args of [['clean', '--runs', '--keep', '0'], ['clean', '--runs', '--keep', 'two'], ['clean', '--runs', '--keep', '1.5'], ['clean', '--keep', '1']]) {
      const refused = await ws.cli(args);
      assert.equal(refused.code, EXIT.usage, `${args.join(' ')}: ${refused.stdout}${refused.stderr}`);
      assert.match(refused.stderr, args.includes('--runs') ? /^agent-orchestrator: --keep takes a whole number ≥ 1 \(the runs to keep whole\), not "[^"]+"\n/ : /^agent-orchestrator: --keep goes with --runs\n/);
      assert.equal(refused.stdout, '');
    }
    assert.equal(existsSync(join(runsDir(ws), older)), true);
    await readStore(ws, (store) => assert.notEqual(store.getRun(older)?.summaryMd, null));
  });
});
