// A second process while a run is in progress: `clean` and `import` need the writer, so they are
// refused as busy (exit 5) and change nothing; `status` reads, works, and leaves the run alone.
// And readers polling `status --json` all through a run.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { useWorkspaces } from '../engine/engineFixture';
import { assertSound, STORE_MODES, useStoreMode, withStore } from './faultFixture';

const RUN = ['run', '--agent', 'scripted', '--retries', '0'];

for (const mode of STORE_MODES) {
  describe(`faults: a second process during a run (${mode.name})`, function () {
    this.timeout(90_000);
    const workspace = useWorkspaces();
    useStoreMode(mode);

    it('clean and import exit 5 (busy) and change nothing; status works; the run completes', async () => {
      const ws = workspace();
      ws.writePlan([
        { id: 'TASK-1-1', prompt: 'progress 1/1 working; sleep 4s; write a.txt: a' },
        { id: 'TASK-1-2', prompt: 'write b.txt: b' },
      ]);
      ws.writePlan([{ id: 'TASK-9-9', prompt: 'write z.txt: z' }], 'other.plan.json');
      assert.equal((await ws.cli(['import', 'engine.plan.json'])).code, 0);
      const live = ws.spawnCli(RUN);
      await live.waitFor(/TASK-1-1 +progress/);
      const worktree = `${ws.dir}/.repo-worktrees/TASK-1-1-a1`;
      assert.ok(existsSync(worktree));

      const clean = await ws.cli(['clean']);
      assert.equal(clean.code, 5, `clean: ${clean.stdout}\n${clean.stderr}`);
      assert.ok(existsSync(worktree), 'clean removed the running agent\'s worktree');
      const imported = await ws.cli(['import', 'other.plan.json']);
      assert.equal(imported.code, 5, `import: ${imported.stdout}\n${imported.stderr}`);
      const status = await ws.cli(['status', '--json']);
      assert.equal(status.code, 0, status.stderr);
      assert.deepEqual(((JSON.parse(status.stdout) as { tasks: Array<{ taskId: string }> }).tasks).map((t) => t.taskId), ['TASK-1-1', 'TASK-1-2']);

      const ended = await live.exited;
      assert.equal(ended.code, 0, `${ended.stdout}\n${ended.stderr}`);
      await withStore(ws, (store) => assert.deepEqual(store.listTasks().map((t) => [t.taskId, t.status]), [['TASK-1-1', 'completed'], ['TASK-1-2', 'completed']]));
      await assertSound(ws, ['TASK-1-1', 'TASK-1-2']);
    });

    it('readers polling status --json all through a run: every poll answers, the run completes', async () => {
      const ws = workspace();
      ws.writePlan([
        { id: 'TASK-1-1', prompt: 'sleep 1s; write a.txt: a' },
        { id: 'TASK-1-2', prompt: 'sleep 500ms; write b.txt: b', dependsOn: ['TASK-1-1'] },
        { id: 'TASK-1-3', prompt: 'sleep 800ms; write c.txt: c' },
      ]);
      assert.equal((await ws.cli(['import', 'engine.plan.json'])).code, 0);
      const live = ws.spawnCli(RUN);
      let running = true;
      void live.exited.then(() => (running = false));
      let polls = 0;
      const poller = async () => {
        while (running) {
          const status = await ws.cli(['status', '--json']);
          assert.equal(status.code, 0, status.stderr);
          const parsed = JSON.parse(status.stdout) as { tasks: unknown[] };
          assert.equal(parsed.tasks.length, 3);
          polls++;
        }
      };
      await Promise.all([poller(), poller()]);
      const ended = await live.exited;
      assert.equal(ended.code, 0, `${ended.stdout}\n${ended.stderr}`);
      assert.ok(polls >= 2, `only ${polls} polls`);
      await withStore(ws, (store) => assert.deepEqual(store.listTasks().map((t) => t.status), ['completed', 'completed', 'completed']));
      await assertSound(ws, ['TASK-1-1', 'TASK-1-2', 'TASK-1-3']);
    });
  });
}
