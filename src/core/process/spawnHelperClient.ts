// The host's side of the spawn helper (spawnHelper.ts): starts the helper once, sends it spawn
// requests and hands back RemoteChild objects that behave like Node's ChildProcess. Installed as
// the engine's spawner (spawnChild.ts) by long-lived hosts with a big heap: the extension.
// - A helper that dies is replaced at the next spawn; the children it was relaying are reported
//   as failed to their callers and their process groups are killed (nobody reads their output).
// - Idle, the helper does not keep the host process alive (a CLI exits when its work is done).
// - If the helper cannot be started at all, children are spawned here, as before, once said so.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { RemoteChild } from './remoteChild';
import { spawnHere, type ChildOptions, type SpawnedChild, type Spawner } from './spawnChild';
import { SPAWN_HELPER_FILE, type FromHelper, type ToHelper } from './spawnHelperProtocol';
import { signalQuietly } from './processTree';

export interface SpawnHelperOptions {
  /** The helper's script; default: spawnHelper.js beside this module (dist/ or out/). */
  readonly script?: string;
  /** The Node that runs it; default process.execPath (Electron runs it as Node through fork()). */
  readonly execPath?: string;
  /** Told once when the helper cannot start or dies (the host's log). */
  readonly onProblem?: (message: string) => void;
}

/** More deaths than this within DEATH_WINDOW_MS: stop restarting and spawn here instead. */
const MAX_DEATHS = 3;
const DEATH_WINDOW_MS = 60_000;

export class SpawnHelperClient {
  private helper: ChildProcess | undefined;
  private readonly live = new Map<number, { child: RemoteChild; detached: boolean }>();
  private nextId = 1;
  private deaths: number[] = [];
  private givenUp = false;
  private closing = false;

  constructor(private readonly options: SpawnHelperOptions = {}) {}

  /** The spawner to install with useSpawner(). */
  readonly spawner: Spawner = (file, args, options) => this.spawn(file, args, options);

  /** The helper's pid while it runs (tests and the bench read it). */
  get helperPid(): number | undefined {
    return this.helper?.pid;
  }

  spawn(file: string, args: readonly string[], options: ChildOptions): SpawnedChild {
    const helper = this.givenUp || this.closing ? undefined : this.ensureHelper();
    if (!helper) return spawnHere(file, args, options);
    const id = this.nextId++;
    const withStdin = (options.stdin ?? 'pipe') === 'pipe';
    const child = new RemoteChild(id, (message) => this.post(message), withStdin);
    const detached = options.detached ?? false;
    this.live.set(id, { child, detached });
    child.once('close', () => {
      this.live.delete(id);
      if (this.live.size === 0) this.idle(true);
    });
    this.idle(false);
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.env ?? process.env)) if (value !== undefined) env[key] = value;
    this.post({ t: 'spawn', id, file, args: [...args], cwd: options.cwd, env, detached, stdin: withStdin });
    return child;
  }

  /** Stops the helper; children it still relays are reported lost (the host is going away). */
  close(): void {
    this.closing = true;
    const helper = this.helper;
    this.helper = undefined;
    if (helper?.connected) helper.disconnect();
  }

  private post(message: ToHelper): void {
    const helper = this.helper;
    if (helper?.connected) helper.send(message);
  }

  private ensureHelper(): ChildProcess | undefined {
    if (this.helper) return this.helper;
    let helper: ChildProcess;
    try {
      helper = fork(this.options.script ?? join(__dirname, SPAWN_HELPER_FILE), [], {
        execPath: this.options.execPath,
        // The host's own flags (--inspect, the extension host's) are not for the helper.
        execArgv: [],
        // Electron (the desktop editor's process.execPath) runs a script as Node only with this.
        env: process.versions.electron ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env,
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        // Its own process group: Ctrl+C or a closed terminal signals the CLI's group, and the CLI
        // stops the run itself; the helper must outlive that to relay the agents' last output.
        detached: process.platform !== 'win32',
      });
    } catch (error) {
      this.giveUp(`the spawn helper could not start (${String(error)}); starting processes in this process instead`);
      return undefined;
    }
    this.helper = helper;
    helper.on('message', (message: FromHelper) => this.live.get(message.id)?.child.receive(message));
    helper.on('error', (error) => this.options.onProblem?.(`spawn helper: ${error.message}`));
    helper.once('exit', (code, signal) => this.helperGone(helper, code, signal));
    this.idle(true);
    return helper;
  }

  /** Idle, neither the helper nor its channel keeps the host's event loop alive. */
  private idle(idle: boolean): void {
    const helper = this.helper;
    if (!helper) return;
    if (idle) {
      helper.unref();
      helper.channel?.unref();
    } else {
      helper.ref();
      helper.channel?.ref();
    }
  }

  private helperGone(helper: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.helper === helper) this.helper = undefined;
    const lost = [...this.live.values()];
    this.live.clear();
    for (const { child, detached } of lost) {
      // Its output had nowhere to go any more: stop it rather than leave it running unobserved.
      if (child.pid !== undefined) signalQuietly(detached && process.platform !== 'win32' ? -child.pid : child.pid, 'SIGKILL');
      child.lost(Object.assign(new Error(`the spawn helper stopped (${signal ?? `exit ${code}`})`), { code: 'EHELPER' }));
    }
    if (this.closing) return;
    const now = Date.now();
    this.deaths = [...this.deaths.filter((at) => now - at < DEATH_WINDOW_MS), now];
    if (this.deaths.length > MAX_DEATHS) this.giveUp(`the spawn helper stopped ${this.deaths.length} times in a minute; starting processes in this process instead`);
    else this.options.onProblem?.(`the spawn helper stopped (${signal ?? `exit ${code}`}); ${lost.length} process(es) it relayed were stopped; it restarts at the next start`);
  }

  private giveUp(message: string): void {
    this.givenUp = true;
    this.options.onProblem?.(message);
  }
}
