// `run` starts its children (agents, git) from the spawn helper (src/core/process/spawnHelper.ts):
// a fork of the CLI, with the database in memory, costs several times a fork of the helper and
// blocks the CLI's thread while it happens (docs/benchmarks.md, scale.run_500). Other commands
// start few children and spawn them in-process, without the helper's start-up.
import { SpawnHelperClient, useSpawner } from '../core';

export async function withSpawnHelper<T>(enabled: boolean, body: () => Promise<T>): Promise<T> {
  if (!enabled) return body();
  const helper = new SpawnHelperClient({ onProblem: (message) => process.stderr.write(`agent-orchestrator: ${message}\n`) });
  useSpawner(helper.spawner);
  try {
    return await body();
  } finally {
    useSpawner(undefined);
    helper.close();
  }
}
