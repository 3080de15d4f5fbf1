// Shared checks of the fault suite: after any crash, signal or interference, the workspace must
// still be sound — the database opens, every task is accounted for, nothing is completed twice,
// no agent outlives its run, and no completed work's branch is gone.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { ENV_TEST_STORE_WORKER } from '../../../src/core/store/diskWriter';
import { git, withStore, type Workspace } from '../engine/engineFixture';

export { withStore };

/**
 * Where the store's flushes run (src/core/store/diskWriter.ts): on the process's own thread (a
 * small database), or in the store worker that owns the file (a big one); each forced here
 * whatever the size. Every fault suite runs once per mode: a kill, a signal or a second process must leave
 * the workspace sound either way.
 */
export const STORE_MODES = [
  { name: 'flushes on the main thread', worker: false },
  { name: 'flushes in the store worker', worker: true },
] as const;
export type StoreMode = (typeof STORE_MODES)[number];

/**
 * Sets the mode for the enclosing describe(): through the environment, so the CLIs the tests
 * spawn inherit it and the stores opened in this process (ws.open, withStore) follow it too.
 */
export function useStoreMode(mode: StoreMode): void {
  let before: string | undefined;
  beforeEach(() => {
    before = process.env[ENV_TEST_STORE_WORKER];
    process.env[ENV_TEST_STORE_WORKER] = mode.worker ? '1' : '0';
  });
  afterEach(() => {
    if (before === undefined) delete process.env[ENV_TEST_STORE_WORKER];
    else process.env[ENV_TEST_STORE_WORKER] = before;
  });
}

/** The seed of this CI run's random kill points: ORCH_FAULT_SEED, else a fixed default. */
export const FAULT_SEED = Number(process.env.ORCH_FAULT_SEED ?? 20261205);

/**
 * Processes started for this workspace by any run: whose environment names a worktree in the
 * workspace's folder (every agent gets ORCH_WORKTREE), or whose working folder is one of its
 * worktrees. Linux /proc.
 */
export function agentsOf(ws: Workspace): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      const worktree = environ.find((entry) => entry.startsWith('ORCH_WORKTREE='))?.slice('ORCH_WORKTREE='.length);
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      const state = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.[0];
      if (state === 'Z') continue;
      if (worktree?.startsWith(`${ws.dir}/`) || cwd.startsWith(`${ws.dir}/.repo-worktrees`)) found.push(Number(name));
    } catch {
      // Gone, or not ours to look at.
    }
  }
  return found;
}

/** Branches of the orchestrator's attempts whose tip is an executor's commit (work done), by task. */
export function committedBranches(ws: Workspace): Map<string, string[]> {
  const byTask = new Map<string, string[]>();
  const lines = git(ws.repo, 'for-each-ref', '--format=%(refname:short) %(subject)', 'refs/heads/orch/').split('\n').filter(Boolean);
  for (const line of lines) {
    const [branch, subject] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
    const taskId = branch.split('/')[1];
    // Only the executor's own commit counts: a fresh branch's tip is the base (or a merge of the
    // dependencies' branches) until the task's work is committed.
    if (!subject.startsWith(`${taskId}: `)) continue;
    byTask.set(taskId, [...(byTask.get(taskId) ?? []), branch]);
  }
  return byTask;
}

/**
 * The invariants every fault must leave intact, once the workspace has been opened again (as the
 * writer: opening is what recovers a dead run). `planned`: the plan's task ids.
 */
export async function assertSound(ws: Workspace, planned: readonly string[], context = ''): Promise<void> {
  const where = context ? ` (${context})` : '';
  const orchestrator = await ws.open();
  assert.equal(orchestrator.store.readOnly, false, `no process may still hold the workspace${where}`);
  const store = orchestrator.store;
  try {
    assert.deepEqual(agentsOf(ws), [], `no agent may outlive its run${where}`);
    assert.deepEqual(store.listRuns().filter((run) => run.status === 'running').map((run) => run.runId), [], `a run is still marked running${where}`);
    const committed = committedBranches(ws);
    for (const [taskId, branches] of committed) assert.equal(branches.length, 1, `${taskId}'s work is committed on ${branches.join(' and ')}${where}`);
    const tasks = new Map(store.listTasks().map((task) => [task.taskId, task]));
    for (const id of planned) assert.ok(tasks.has(id), `${id} is missing from the database${where}`);
    for (const id of planned) {
      const attempts = store.listAttempts(id);
      const completed = attempts.filter((a) => a.outcome === 'completed');
      assert.ok(completed.length <= 1, `${id} has ${completed.length} completed attempts${where}`);
      const status = tasks.get(id)!.status;
      if (status === 'completed' && completed[0]?.branch) {
        assert.ok(branchExists(ws, completed[0].branch), `${id}'s completed branch ${completed[0].branch} is gone${where}`);
      }
    }
  } finally {
    await orchestrator.close();
  }
}

export function branchExists(ws: Workspace, branch: string): boolean {
  try {
    git(ws.repo, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`);
    return true;
  } catch {
    return false;
  }
}
