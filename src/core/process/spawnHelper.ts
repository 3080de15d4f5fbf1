// The spawn helper: a small Node process whose only job is to start the engine's child processes
// (agents and git) and relay their output, so that the extension host never calls spawn() itself.
// Why: on Linux spawn() forks the calling process and blocks its thread until the child has
// exec'd; the cost grows with the caller's memory (the extension host holds the database, the
// editor's state and other extensions: ~50 ms per spawn under load, measured in docs/benchmarks.md).
// Forking this process, tens of MiB, is cheap, and whatever it costs is not the host's event loop.
// It exits when the host goes away (IPC disconnect): its children are then orphaned exactly as
// they would be had the host started them, and recovery deals with them as it always has.
import { spawn, type ChildProcess } from 'node:child_process';
import type { FromHelper, SpawnErrorInfo, ToHelper } from './spawnHelperProtocol';

const children = new Map<number, ChildProcess>();

function send(message: FromHelper): void {
  // The channel closes when the host leaves ('disconnect' below ends this process then); a
  // message already on its way then fails with EPIPE, which must not print a crash in the
  // host's terminal (the helper's stderr is the host's).
  if (process.connected) process.send!(message, undefined, undefined, () => undefined);
}

function errorInfo(error: NodeJS.ErrnoException & { path?: string }): SpawnErrorInfo {
  return { message: error.message, code: error.code, errno: error.errno, syscall: error.syscall, path: error.path };
}

function start(request: Extract<ToHelper, { t: 'spawn' }>): void {
  const { id } = request;
  let child: ChildProcess;
  try {
    child = spawn(request.file, [...request.args], {
      cwd: request.cwd,
      env: request.env,
      detached: request.detached,
      shell: false,
      stdio: [request.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (error) {
    // spawn() throws synchronously for a few argument problems (E2BIG on some platforms).
    send({ t: 'error', id, error: errorInfo(error as NodeJS.ErrnoException) });
    send({ t: 'close', id, code: null, signal: null });
    return;
  }
  children.set(id, child);
  // Sent before any output: the host learns the pid first, as spawn()'s caller would.
  if (child.pid !== undefined) send({ t: 'spawned', id, pid: child.pid });
  child.stdin?.on('error', () => undefined);
  child.stdout!.on('data', (data: Buffer) => send({ t: 'out', id, fd: 1, data }));
  child.stderr!.on('data', (data: Buffer) => send({ t: 'out', id, fd: 2, data }));
  child.on('error', (error) => send({ t: 'error', id, error: errorInfo(error) }));
  child.on('exit', (code, signal) => send({ t: 'exit', id, code, signal }));
  child.on('close', (code, signal) => {
    children.delete(id);
    send({ t: 'close', id, code, signal });
  });
}

function handle(message: ToHelper): void {
  if (message.t === 'spawn') return start(message);
  const child = children.get(message.id);
  if (!child) return;
  switch (message.t) {
    case 'stdin':
      child.stdin?.write(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength));
      return;
    case 'stdinEnd':
      child.stdin?.end();
      return;
    case 'kill':
      child.kill(message.signal);
      return;
    case 'destroy':
      child.stdout?.destroy();
      child.stderr?.destroy();
      return;
  }
}

process.on('message', (message: ToHelper) => handle(message));
process.on('disconnect', () => process.exit(0));
process.on('error', () => process.exit(0));
