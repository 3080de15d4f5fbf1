// SIGTERM and SIGHUP of the CLI mid-run (a CI job cancelled, a terminal closed): the run is
// cancelled and ended, its agents stopped, and the exit code says which signal (128 + N).
import * as assert from 'node:assert/strict';
import { OrchestratorStore } from '../../../src/core/store';
import { useWorkspaces } from '../engine/engineFixture';
import { agentsOf, assertSound, STORE_MODES, useStoreMode } from './faultFixture';

for (const mode of STORE_MODES) {
  describe(`faults: SIGTERM and SIGHUP of the CLI mid-run (${mode.name})`, function () {
    this.timeout(60_000);
    const workspace = useWorkspaces();
    useStoreMode(mode);

    for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      it(`${signal}: exit ${code}, the run ended, no agent alive`, async () => {
        const ws = workspace();
        ws.writePlan([
          { id: 'TASK-1-1', prompt: 'progress 1/1 working; sleep 20s' },
          { id: 'TASK-1-2', prompt: 'progress 1/1 working; sleep 20s' },
        ]);
        assert.equal((await ws.cli(['import', 'engine.plan.json'])).code, 0);
        const live = ws.spawnCli(['run', '--agent', 'scripted', '--retries', '0']);
        await live.waitFor(/TASK-1-2 +progress/);
        live.child.kill(signal);
        const ended = await live.exited;
        assert.equal(ended.code, code, `${ended.stdout}\n${ended.stderr}`);
        assert.deepEqual(agentsOf(ws), [], 'an agent outlived the CLI');
        // Read-only, so that no recovery tidies up after the CLI: it must have ended the run itself.
        const reader = await OrchestratorStore.open(OrchestratorStore.defaultPath(ws.repo), { readOnly: true });
        try {
          assert.notEqual(reader.listRuns()[0]?.status, 'running');
          for (const id of ['TASK-1-1', 'TASK-1-2']) assert.notEqual(reader.getTask(id)?.status, 'running', id);
        } finally {
          await reader.close();
        }
        await assertSound(ws, ['TASK-1-1', 'TASK-1-2']);
      });
    }
  });
}
