// Processes left behind by a host that died (a `kill -9` of the CLI, a crashed extension host).
// They are detached (processRunner.ts), so nothing stops them when their host goes, and their pids
// may never have reached the database: the attempt row is written in a batched flush, and the host
// can die within milliseconds of the spawn. What every process we start does carry from its first
// instruction is its environment: the caller names a variable that tags it (the agents' run id,
// src/core/agents/env.ts). A process is an orphan of a dead run only if its own environment says
// so, which also means a pid that was reused by an unrelated process is never touched.
import { readdirSync, readFileSync } from 'node:fs';
import { killProcessTree, parentPid } from './processTree';

/** Which environment variables tag a process, and which tag values to look for. */
export interface ProcessTag {
  /** The variable whose value must be one of `values`. */
  readonly variable: string;
  readonly values: ReadonlySet<string>;
  /** Another variable to report (e.g. the task the process works on). */
  readonly detailVariable?: string;
}

export interface TaggedProcess {
  readonly pid: number;
  readonly ppid: number;
  /** The value of the tag variable. */
  readonly tag: string;
  /** The value of `detailVariable`, when its environment has it. */
  readonly detail: string | undefined;
}

/** The `wanted` variables in /proc/<pid>/environ; undefined when unreadable (gone, or not ours). */
function environmentOf(pid: number, wanted: readonly string[]): Map<string, string> | undefined {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return undefined;
  }
  const found = new Map<string, string>();
  for (const entry of environ.split('\0')) {
    const equals = entry.indexOf('=');
    if (equals <= 0) continue;
    const name = entry.slice(0, equals);
    if (wanted.includes(name)) found.set(name, entry.slice(equals + 1));
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
 * Every live process whose environment carries the tag. Linux only (/proc); elsewhere none are
 * found and the recorded pids are all there is.
 */
export function findTaggedProcesses(tag: ProcessTag): TaggedProcess[] {
  if (process.platform !== 'linux' || tag.values.size === 0) return [];
  const wanted = tag.detailVariable ? [tag.variable, tag.detailVariable] : [tag.variable];
  const spared = selfAndAncestors();
  const found: TaggedProcess[] = [];
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
    const variables = environmentOf(pid, wanted);
    const value = variables?.get(tag.variable);
    if (value !== undefined && tag.values.has(value)) {
      found.push({ pid, ppid: parentPid(pid), tag: value, detail: tag.detailVariable ? variables?.get(tag.detailVariable) : undefined });
    }
  }
  return found;
}

/**
 * Stops every tagged process (each with its process group and descendants: SIGTERM, then SIGKILL
 * after `graceMs`). Returns the top ones stopped: the found processes whose parent was not itself
 * found (an agent's own children are part of it).
 */
export async function stopTaggedProcesses(tag: ProcessTag, graceMs = 2000): Promise<TaggedProcess[]> {
  const found = findTaggedProcesses(tag);
  const pids = new Set(found.map((p) => p.pid));
  await Promise.all(found.map((p) => killProcessTree(p.pid, graceMs)));
  return found.filter((p) => !pids.has(p.ppid));
}
