// Agents left behind by a host that died (a `kill -9` of the CLI, a crashed extension host). They
// are detached (processRunner.ts), so nothing stops them when their host goes, and their pids may
// never have reached the database: the attempt row is written in a batched flush, and the host can
// die within milliseconds of the spawn. What every agent does carry from its first instruction is
// its environment (env.ts): ORCH_RUN_ID names the run it belongs to. A process is an orphan of a
// dead run only if its own environment says so, which also means a pid that was reused by an
// unrelated process is never touched.
import { readdirSync, readFileSync } from 'node:fs';
import { ENV_RUN_ID, ENV_TASK_ID } from './env';
import { killProcessTree, parentPid } from './processTree';

export interface RunProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly runId: string;
  /** The task the agent works on (ORCH_TASK_ID), when its environment says. */
  readonly taskId: string | undefined;
}

/** The ORCH_* variables in /proc/<pid>/environ; undefined when unreadable (gone, or not ours). */
function orchestratorVariables(pid: number): Map<string, string> | undefined {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return undefined;
  }
  const found = new Map<string, string>();
  for (const entry of environ.split('\0')) {
    if (!entry.startsWith('ORCH_')) continue;
    const equals = entry.indexOf('=');
    if (equals > 0) found.set(entry.slice(0, equals), entry.slice(equals + 1));
  }
  return found;
}

/** This process and its ancestors: a CLI started by an agent must never stop that agent. */
function selfAndAncestors(): Set<number> {
  const chain = new Set<number>();
  for (let pid = process.pid; pid > 1 && !chain.has(pid); pid = parentPid(pid)) chain.add(pid);
  return chain;
}

/**
 * Every live process (agent or one of its descendants) whose environment names one of `runIds`.
 * Linux only (/proc); elsewhere none are found and the recorded pids are all there is.
 */
export function findRunProcesses(runIds: ReadonlySet<string>): RunProcess[] {
  if (process.platform !== 'linux' || runIds.size === 0) return [];
  const spared = selfAndAncestors();
  const found: RunProcess[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (spared.has(pid)) continue;
    const variables = orchestratorVariables(pid);
    const runId = variables?.get(ENV_RUN_ID);
    if (runId !== undefined && runIds.has(runId)) found.push({ pid, ppid: parentPid(pid), runId, taskId: variables?.get(ENV_TASK_ID) });
  }
  return found;
}

/**
 * Stops every process of the given dead runs (each with its process group and descendants: SIGTERM,
 * then SIGKILL after `graceMs`). Returns the agents stopped: the found processes whose parent was
 * not itself found (an agent's own children are part of it).
 */
export async function stopRunProcesses(runIds: ReadonlySet<string>, graceMs = 2000): Promise<RunProcess[]> {
  const found = findRunProcesses(runIds);
  const pids = new Set(found.map((p) => p.pid));
  await Promise.all(found.map((p) => killProcessTree(p.pid, graceMs)));
  return found.filter((p) => !pids.has(p.ppid));
}
