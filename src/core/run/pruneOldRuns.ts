// Retention of old runs, whole (docs/database.md, "Retention"): the store prunes their rows in one
// transaction (store/retention.ts), then their folders under `runs/` go, then the file is
// compacted if much of it is free (left by this pruning, or by one whose process died before
// its VACUUM: each step can be cut short by a kill, and the next call finishes the job). Called at the start of every run (the façade's
// run()) and on demand (`clean --runs`, "Prune Old Runs"). In run/ because it needs the store and
// the run folders the executor writes (agentExecutor.ts) together.
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PruneReport } from '../report/pruneReport';
import type { OrchestratorStore } from '../store';
import { faultPoint } from './faultInjection';

/**
 * VACUUM once free pages are this share of the file. The next runs' events fill free pages
 * before the file grows, so the steady state of keepRuns (each run start frees about one run in
 * keepRuns + 1, 5% at the default) is not worth rewriting the whole file for, and the space is
 * used again within a run. A quarter or more free means the history itself shrank (the first
 * pruning of an old workspace, keepRuns lowered, `clean --runs --keep 1`): space no run will
 * refill soon. No size in MiB: a fixed figure would compact a large database at every run start.
 */
export const VACUUM_FREE_SHARE = 0.25;

export interface PruneContext {
  readonly store: OrchestratorStore;
  /** `.agent-orchestrator`: the run folders are under its `runs/`. */
  readonly orchestratorDir: string;
  readonly keepRuns: number;
  /** The run that prunes at its start; its trace records what was pruned. */
  readonly runId?: string;
}

/** Bytes of the files under `path` (not following links). */
async function sizeOf(path: string): Promise<number> {
  const stat = await lstat(path);
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const name of await readdir(path)) total += await sizeOf(join(path, name));
  return total;
}

/**
 * Removes the folders of every run the store has pruned, now or before (a process that died
 * between the store's flush and this step left some), and says how many and how big.
 */
async function removePrunedFolders(store: OrchestratorStore, runsDir: string): Promise<{ folders: number; bytes: number }> {
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch {
    return { folders: 0, bytes: 0 }; // no run has made a folder yet
  }
  const pruned = store.retention().prunedRunIds();
  let folders = 0;
  let bytes = 0;
  for (const name of names.filter((n) => pruned.has(n))) {
    const folder = join(runsDir, name);
    bytes += await sizeOf(folder).catch(() => 0);
    await rm(folder, { recursive: true, force: true });
    folders++;
  }
  return { folders, bytes };
}

/** Prunes runs older than the newest `keepRuns` (see the header); throws before changing anything when keepRuns is not a whole number ≥ 1. */
export async function pruneOldRuns(context: PruneContext): Promise<PruneReport> {
  const { store, keepRuns } = context;
  // The rows first, in one transaction and on disk at once: files are removed only once the
  // database no longer needs them, so a failure here leaves both as they were.
  const { fileBytes: _inMemory, freeBytes: _freeInMemory, ...pruned } = store.retention().prune({ keepRuns, runId: context.runId });
  await store.flush();
  faultPoint('runs-pruned');
  const { folders, bytes } = await removePrunedFolders(store, join(context.orchestratorDir, 'runs'));
  faultPoint('run-folders-removed');
  // From the file as flushed, whether or not this call pruned: a process that died before its
  // VACUUM (or a worker whose copy was compacted while the host's was not) leaves the decision here.
  const { fileBytes, freeBytes } = store.retention().fileSpace();
  const compact = fileBytes > 0 && freeBytes / fileBytes >= VACUUM_FREE_SHARE;
  const vacuum = compact ? await store.retention().vacuum() : undefined;
  return { ...pruned, keepRuns, folders, folderBytes: bytes, ...(vacuum && { vacuum }) };
}
