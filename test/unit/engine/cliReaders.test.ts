// Readers never block the writer: `status`, `summary`, `cancel`, `pause` and `resume` open the
// database read-only, so any number of them can poll while `run` works; a command that needs the
// writer while another live process holds it is refused with exit 5 (busy), naming that process.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../../src/cli/exitCodes';
import { manyTasks, useWorkspaces, type Workspace } from './engineFixture';

/** Runs `status --json` over and over until `stop()`; every exit code it saw. */
function pollStatus(ws: Workspace): { stop: () => Promise<Array<number | null>> } {
  const codes: Array<number | null> = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) codes.push((await ws.cli(['status', '--json'])).code);
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return codes;
    },
  };
}

describe('engine end to end: CLI readers and the writer', function () {
  this.timeout(120_000);
  const workspace = useWorkspaces();

  it('three `status --json` pollers never make `run` fail', async () => {
    const ws = workspace();
    const pollers = [pollStatus(ws), pollStatus(ws), pollStatus(ws)];
    const runs: Array<{ code: number | null; stderr: string }> = [];
    try {
      for (let round = 1; round <= 4; round++) {
        // Each round's plan adds two tasks to the last one's, so every run has new work (and its
        // import needs the writer too).
        ws.writePlan(manyTasks(2 * round, (i) => `write f${i}.txt: ${i}`), `round${round}.plan.json`);
        runs.push(await ws.cli(['run', '--plan', `round${round}.plan.json`, '--agent', 'scripted', '--retries', '0']));
      }
    } finally {
      const codes = (await Promise.all(pollers.map((p) => p.stop()))).flat();
      assert.ok(codes.length >= 3, 'the pollers ran');
      assert.deepEqual(codes.filter((code) => code !== 0), [], 'every status poll succeeded');
    }
    assert.deepEqual(runs.map((r) => [r.code, r.stderr]), runs.map(() => [0, '']));
  });

  it('a reader never creates the database folder of a workspace that has none', async () => {
    const ws = workspace();
    const status = await ws.cli(['status']);
    assert.deepEqual([status.code, status.stdout.trim()], [0, 'No plan imported yet: run `agent-orchestrator import <plan>`.']);
    assert.equal(existsSync(join(ws.repo, '.agent-orchestrator')), false);
    const pause = await ws.cli(['pause']);
    assert.deepEqual([pause.code, pause.stderr], [EXIT.failed, 'agent-orchestrator: No run is in progress.\n']);
  });

  it('import, run, retry and clean during a live run exit 5 (busy), name the pid and change nothing', async () => {
    const ws = workspace();
    ws.writePlan([{ id: 'TASK-1-1', prompt: 'progress 1/1 working; sleep 20s' }]);
    const run = ws.spawnCli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted', '--retries', '0']);
    await run.waitFor(/TASK-1-1 +progress/);
    const pid = run.child.pid!;
    const other = ws.writePlan([{ id: 'TASK-1-9', prompt: 'write z.txt: z' }], 'other.plan.json');
    for (const args of [['import', other], ['run', '--agent', 'scripted'], ['retry'], ['clean']]) {
      const refused = await ws.cli(args);
      assert.equal(refused.code, EXIT.busy, `${args.join(' ')}: ${refused.stdout}${refused.stderr}`);
      assert.match(refused.stderr, new RegExp(`another process \\(pid ${pid} on [^)]+\\) is running this workspace's orchestrator`));
    }
    const status = JSON.parse((await ws.cli(['status', '--json'])).stdout) as { tasks: Array<{ taskId: string; status: string }> };
    assert.deepEqual(status.tasks.map((t) => [t.taskId, t.status]), [['TASK-1-1', 'running']]);
    assert.equal((await ws.cli(['cancel', '--all'])).code, 0);
    assert.equal((await run.exited).code, EXIT.failed);
  });
});
