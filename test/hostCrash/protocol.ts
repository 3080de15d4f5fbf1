// What the host-crash runner (test/runners/runHostCrash.ts) and its two suites in this folder
// share: the environment variables code-server passes on to the extension host, and the files
// through which the suites report back. Plain Node: the runner imports it too.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Which suite the extension host runs: '1' (start a run, then wait to be killed) or '2' (recover). */
export const PHASE_ENV = 'HOST_CRASH_PHASE';
/** A folder outside the workspace for the files below. */
export const SHARED_DIR_ENV = 'HOST_CRASH_DIR';

/** Written by phase 1 once its agents are at work and the database on disk says so. */
export const MARKER_FILE = 'marker.json';

/** Each phase's mocha counts, written when its suite has run (phase 1 then waits to be killed). */
export function resultFile(phase: string): string {
  return `phase${phase}-result.json`;
}

export interface CrashMarker {
  /** process.pid of the extension host that ran the plan: the process the runner kills. */
  readonly extensionHostPid: number;
  readonly runId: string;
  readonly workspace: string;
  readonly taskIds: readonly string[];
  /** The running attempts' agents, as recorded in the database (one per task). */
  readonly agentPids: readonly number[];
}

export interface PhaseResult {
  readonly passed: number;
  readonly failed: number;
}

export function sharedDir(): string {
  const dir = process.env[SHARED_DIR_ENV];
  if (!dir) throw new Error(`${SHARED_DIR_ENV} is not set: this suite is run by test/runners/runHostCrash.ts`);
  return dir;
}

/** Writes JSON so that a reader polling for the file never sees half of it. */
export function writeJsonAtomically(file: string, value: unknown): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(value, null, 2));
  fs.renameSync(temp, file);
}

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function readMarker(dir = sharedDir()): CrashMarker {
  const marker = readJson<CrashMarker>(path.join(dir, MARKER_FILE));
  if (!marker) throw new Error(`no ${MARKER_FILE} in ${dir}: phase 1 did not get as far as running its agents`);
  return marker;
}

/** Alive and not a zombie (an orphan is reaped by whoever adopted it, maybe a moment later). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Whether `pid` is an agent of run `runId`: what recovery looks for in /proc/<pid>/environ. */
export function isAgentOfRun(pid: number, runId: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`ORCH_RUN_ID=${runId}`);
  } catch {
    return false;
  }
}
