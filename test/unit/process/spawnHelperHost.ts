// A stand-in for the extension host in spawnHelper.test.ts, run as its own Node process: it
// installs the spawn helper, starts one child through it and prints
// `{"helper":<pid>,"child":<pid>}`, then either stays (to be killed with -9: `stay`) or lets its
// event loop empty (`exit`): an idle helper must not keep it alive.
import { runProcess } from '../../../src/core/process/processRunner';
import { useSpawner } from '../../../src/core/process/spawnChild';
import { SpawnHelperClient } from '../../../src/core/process/spawnHelperClient';

const mode = process.argv[2];
const helper = new SpawnHelperClient();
useSpawner(helper.spawner);
const argv = mode === 'stay' ? ['sleep', '60'] : ['true'];
void runProcess({
  argv,
  cwd: process.cwd(),
  onStart: (child) => process.stdout.write(`${JSON.stringify({ helper: helper.helperPid, child })}\n`),
});
if (mode === 'stay') setInterval(() => undefined, 1000);
