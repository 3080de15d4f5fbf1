// kill -9 of the CLI at seeded random points of a real run (plus the two named windows, so every
// CI run covers them), then the invariants (faultFixture.ts), then a run that finishes the plan.
// Replay a failure with ORCH_FAULT_SEED=<the seed in the title>.
import * as assert from 'node:assert/strict';
import { ENV_FAULT_INJECTION, type FaultPoint } from '../../../src/core/run/faultInjection';
import { sleep, statuses, useWorkspaces, type TaskSpec } from '../engine/engineFixture';
import { seededRandom } from '../../../bench/random';
import { assertSound, committedBranches, FAULT_SEED, STORE_MODES, useStoreMode, withStore } from './faultFixture';

const RUN = ['run', '--agent', 'scripted', '--retries', '0', '--max-parallel', '2'];
const PLAN: readonly TaskSpec[] = [
  { id: 'TASK-1-1', prompt: 'sleep 200ms; write a.txt: a' },
  { id: 'TASK-1-2', prompt: 'sleep 400ms; write b.txt: b' },
  { id: 'TASK-1-3', prompt: 'write c.txt: c', dependsOn: ['TASK-1-1'] },
  { id: 'TASK-1-4', prompt: 'sleep 300ms; write d.txt: d' },
];
const IDS = PLAN.map((task) => task.id);
const RANDOM_POINTS = 8;

type KillPoint = { readonly kind: 'named'; readonly point: `${FaultPoint}@${number}` } | { readonly kind: 'after'; readonly ms: number };

function killPoints(seed: number): KillPoint[] {
  const random = seededRandom(seed);
  const nth = () => 1 + Math.floor(random() * PLAN.length);
  return [
    { kind: 'named', point: `agent-spawned@${nth()}` },
    { kind: 'named', point: `work-committed@${nth()}` },
    // The CLI needs about half a second to start; a run of this plan takes one to three.
    ...Array.from({ length: RANDOM_POINTS }, () => ({ kind: 'after', ms: Math.round(300 + random() * 2700) }) as const),
  ];
}

for (const mode of STORE_MODES) {
  describe(`faults: kill -9 of the CLI at seeded points (ORCH_FAULT_SEED=${FAULT_SEED}) (${mode.name})`, function () {
    this.timeout(90_000);
    const workspace = useWorkspaces();
    useStoreMode(mode);

    for (const [index, point] of killPoints(FAULT_SEED).entries()) {
      const label = point.kind === 'named' ? `at ${point.point}` : `${point.ms} ms after the start`;
      it(`point ${index + 1}: ${label} — nothing lost, nothing done twice, no agent left`, async () => {
        const ws = workspace();
        // Imported in this process (a CLI start less per point); closed before the run opens it.
        await (await ws.withPlan(PLAN)).close();
        const env = point.kind === 'named' ? { ...process.env, [ENV_FAULT_INJECTION]: point.point } : process.env;
        const live = ws.spawnCli(RUN, env);
        if (point.kind === 'after') {
          await Promise.race([sleep(point.ms), live.exited]);
          live.child.kill('SIGKILL');
        }
        const killed = await live.exited;
        assert.ok(killed.code === null || killed.code === 0, `the run failed instead of being killed:\n${killed.stdout}\n${killed.stderr}`);

        await assertSound(ws, IDS, `after the kill ${label}`);
        const again = await ws.cli(RUN);
        assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}`);
        await assertSound(ws, IDS, 'after the next run');
        await withStore(ws, (store) => {
          assert.deepEqual(statuses(store), Object.fromEntries(IDS.map((id) => [id, 'completed'])));
          for (const id of IDS) assert.equal(store.listAttempts(id).filter((a) => a.outcome === 'completed').length, 1, id);
        });
        assert.deepEqual([...committedBranches(ws).keys()].sort(), IDS);
      });
    }
  });
}
