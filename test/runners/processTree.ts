// Stopping a code-server or a browser must leave nothing behind: code-server forks an extension
// host, a pty host and file watchers, and terminals run in their own sessions (setsid), so
// signalling the direct child or even its process group is not enough. On Linux we walk /proc
// to find every descendant first; elsewhere we fall back to the process group.
import * as fs from 'node:fs';

/** Pids of all live descendants of `rootPid` (children first discovered, deepest last). */
export function descendantPids(rootPid: number): number[] {
  const parents = parentTable();
  const found: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const [pid, ppid] of parents) {
      if (ppid === parent && !found.includes(pid)) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

/**
 * Terminates `rootPid` and everything below it: SIGTERM to the whole tree (and its process
 * group), then SIGKILL to whatever is still alive after `graceMs`, including processes that
 * appeared meanwhile (an extension host forked during shutdown survives SIGTERM otherwise).
 * Resolves once all are gone or after a final short wait, so a teardown never hangs here.
 */
export async function killTree(rootPid: number, graceMs = 5000): Promise<void> {
  const targets = treeAndGroup(rootPid, [rootPid]);
  signalAll(rootPid, targets, 'SIGTERM');
  await waitUntilGone(new Set(targets), graceMs);
  const survivors = treeAndGroup(rootPid, [...targets].filter(isAlive));
  signalAll(rootPid, survivors, 'SIGKILL');
  await waitUntilGone(survivors, 2000);
}

/** The given pids, their descendants, and the members of `rootPid`'s process group. */
function treeAndGroup(rootPid: number, roots: number[]): Set<number> {
  const found = new Set(roots);
  for (const pid of roots) for (const child of descendantPids(pid)) found.add(child);
  for (const [pid, stat] of statTable()) if (stat.pgrp === rootPid) found.add(pid);
  return found;
}

/** True while `pid` exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return processState(pid) !== 'Z';
}

function signalAll(rootPid: number, pids: Set<number>, signal: NodeJS.Signals): void {
  // The group signal reaches members we could not see (no /proc); the per-pid signals reach
  // descendants that left the group.
  trySignal(-rootPid, signal);
  for (const pid of pids) trySignal(pid, signal);
}

function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone, or not a group leader: nothing to do.
  }
}

async function waitUntilGone(pids: Set<number>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const pid of pids) if (!isAlive(pid)) pids.delete(pid);
    if (pids.size === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function parentTable(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const [pid, stat] of statTable()) parents.set(pid, stat.ppid);
  return parents;
}

function statTable(): Map<number, ProcessStat> {
  const table = new Map<number, ProcessStat>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return table;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) table.set(Number(entry), stat);
  }
  return table;
}

function processState(pid: number): string | undefined {
  return readStat(pid)?.state;
}

interface ProcessStat {
  state: string;
  ppid: number;
  pgrp: number;
}

function readStat(pid: number): ProcessStat | undefined {
  try {
    // Format: "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}
