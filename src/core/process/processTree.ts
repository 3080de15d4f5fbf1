import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import treeKill from 'tree-kill';

// Killing "the agent" means killing everything it started. Two mechanisms, because each misses
// something the other catches:
// - the process group: the runner spawns the agent detached, so it leads its own group and
//   `kill(-pgid)` reaches every descendant that stayed in it, even after the leader exited;
// - a snapshot of the descendant tree (parent links), taken while the leader is still alive,
//   catches descendants that moved to another group or session (setsid, daemons) — once the
//   leader dies they are re-parented to init and can no longer be found from it.
// On Windows there are no process groups; tree-kill uses `taskkill /T`.

const isWindows = process.platform === 'win32';

/** Sends a signal to a pid or (negative) group, ignoring "no such process". */
export function signalQuietly(target: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch {
    return false;
  }
}

const onLinux = process.platform === 'linux';

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces and parentheses): [0] is field 3, the state. */
export function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The parent of a process (Linux /proc); 0 when it is gone or unknown. */
export function parentPid(pid: number): number {
  return Number(procStat(pid)?.[1] ?? 0);
}

/** Zombies count as dead: they run nothing, and where pid 1 does not reap they linger forever. */
function isZombieState(state: string | undefined): boolean {
  return state === 'Z' || state === 'X';
}

/**
 * True while a process runs — or, with a negative id, while any member of that process group
 * runs. Zombies do not count.
 */
export function isAlive(target: number): boolean {
  if (onLinux) {
    if (target > 0) {
      const fields = procStat(target);
      return fields !== undefined && !isZombieState(fields[0]);
    }
    // Usually the group is simply gone: one syscall says so. Only a group that still has members
    // needs the process table, to tell running members from zombies.
    try {
      process.kill(target, 0);
    } catch {
      return false;
    }
    return readProcTable().some((p) => p.pgrp === -target && !p.zombie);
  }
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface ProcEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  readonly zombie: boolean;
}

function readProcTable(): ProcEntry[] {
  const entries: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = procStat(Number(name));
    // undefined: the process exited while we were reading.
    if (fields) entries.push({ pid: Number(name), ppid: Number(fields[1]), pgrp: Number(fields[2]), zombie: isZombieState(fields[0]) });
  }
  return entries;
}

function procTableFromPs(): Promise<ProcEntry[]> {
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat='], { timeout: 5000 }, (error, stdout) => {
      if (error) return resolve([]);
      const entries: ProcEntry[] = [];
      for (const line of stdout.split('\n')) {
        const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s*(\S*)/.exec(line);
        if (match) entries.push({ pid: Number(match[1]), ppid: Number(match[2]), pgrp: Number(match[3]), zombie: match[4].startsWith('Z') });
      }
      resolve(entries);
    });
  });
}

/** A descendant and the process group it is in. */
export interface Descendant {
  readonly pid: number;
  readonly pgrp: number;
}

/** Every descendant of `rootPid` right now (not including the root). */
export async function listDescendants(rootPid: number): Promise<Descendant[]> {
  let table: ProcEntry[];
  try {
    table = onLinux ? readProcTable() : await procTableFromPs();
  } catch {
    table = await procTableFromPs();
  }
  const children = new Map<number, ProcEntry[]>();
  for (const entry of table) {
    const list = children.get(entry.ppid);
    if (list) list.push(entry);
    else children.set(entry.ppid, [entry]);
  }
  const found = new Map<number, Descendant>();
  const queue = [rootPid];
  while (queue.length > 0) {
    for (const entry of children.get(queue.shift() as number) ?? []) {
      if (entry.pid === rootPid || found.has(entry.pid)) continue;
      found.set(entry.pid, { pid: entry.pid, pgrp: entry.pgrp });
      queue.push(entry.pid);
    }
  }
  return [...found.values()];
}

/**
 * Stops a process tree: SIGTERM to the group and to every descendant outside it, then SIGKILL to
 * whatever is still alive after `graceMs`. Each process gets SIGTERM exactly once — many CLIs
 * treat a second one as "force quit now" and would skip their clean-up (writing a final status).
 * Resolves when everything is gone or SIGKILL was sent.
 */
export async function killProcessTree(pid: number, graceMs: number, snapshot?: readonly Descendant[]): Promise<void> {
  if (isWindows) {
    await new Promise<void>((resolve) => treeKill(pid, 'SIGKILL', () => resolve()));
    return;
  }
  const descendants = snapshot ?? (await listDescendants(pid));
  const outsiders = descendants.filter((d) => d.pgrp !== pid).map((d) => d.pid);
  if (!signalQuietly(-pid, 'SIGTERM')) signalQuietly(pid, 'SIGTERM');
  for (const child of outsiders) signalQuietly(child, 'SIGTERM');

  const anyAlive = (): boolean => isAlive(-pid) || isAlive(pid) || outsiders.some(isAlive);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && anyAlive()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(1, deadline - Date.now()))));
  }
  if (!anyAlive()) return;
  signalQuietly(-pid, 'SIGKILL');
  signalQuietly(pid, 'SIGKILL');
  for (const child of outsiders) signalQuietly(child, 'SIGKILL');
}
