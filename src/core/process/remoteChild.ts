// A child process started by the spawn helper, as the host sees it: the same events and streams
// as Node's ChildProcess (spawn, error, exit, close; stdout, stderr, stdin), fed by the helper's
// messages (spawnHelperProtocol.ts). The client (spawnHelperClient.ts) routes messages here.
import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import type { SpawnedChild } from './spawnChild';
import type { FromHelper, SpawnErrorInfo, ToHelper } from './spawnHelperProtocol';

type Post = (message: ToHelper) => void;

/** An output stream whose destroy() also tells the helper to close the real pipe. */
class RemoteOutput extends PassThrough {
  constructor(private readonly onDestroy: () => void) {
    super();
  }
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.onDestroy();
    super._destroy(error, callback);
  }
}

function toError(info: SpawnErrorInfo): NodeJS.ErrnoException {
  return Object.assign(new Error(info.message), { code: info.code, errno: info.errno, syscall: info.syscall, path: info.path });
}

function untilEnded(stream: PassThrough): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    // Nobody reads it: drop the rest, as nobody would ever see it (Node's child would block instead).
    if (stream.readableFlowing !== true) stream.resume();
  });
}

export class RemoteChild extends EventEmitter implements SpawnedChild {
  pid: number | undefined;
  killed = false;
  readonly stdout: PassThrough;
  readonly stderr: PassThrough;
  readonly stdin: Writable | null;
  private closed = false;

  constructor(
    readonly id: number,
    private readonly post: Post,
    withStdin: boolean,
  ) {
    super();
    const destroy = () => post({ t: 'destroy', id });
    this.stdout = new RemoteOutput(destroy);
    this.stderr = new RemoteOutput(destroy);
    this.stdin = withStdin
      ? new Writable({
          write: (chunk: Buffer, _encoding, callback) => {
            post({ t: 'stdin', id, data: chunk });
            callback();
          },
          final: (callback) => {
            post({ t: 'stdinEnd', id });
            callback();
          },
        })
      : null;
  }

  kill(signal: NodeJS.Signals | number = 'SIGTERM'): boolean {
    if (this.closed) return false;
    this.killed = true;
    this.post({ t: 'kill', id: this.id, signal });
    return true;
  }

  /** A message from the helper about this child. */
  receive(message: FromHelper): void {
    switch (message.t) {
      case 'spawned':
        this.pid = message.pid;
        this.emit('spawn');
        return;
      case 'out': {
        const stream = message.fd === 1 ? this.stdout : this.stderr;
        // Output that arrives after the host stopped reading (destroy()) has nowhere to go.
        if (!stream.destroyed) stream.write(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength));
        return;
      }
      case 'error':
        this.emit('error', toError(message.error));
        return;
      case 'exit':
        this.emit('exit', message.code, message.signal);
        return;
      case 'close':
        this.finish(message.code, message.signal);
        return;
    }
  }

  /** The helper died: the child's pipes are gone with it, so this child is over for the host. */
  lost(error: NodeJS.ErrnoException): void {
    if (this.closed) return;
    // Unlike a spawn failure, nobody may be listening any more (a caller that saw 'error' already).
    if (this.listenerCount('error') > 0) this.emit('error', error);
    this.finish(null, null);
  }

  /** 'close' comes after both output streams have ended, as with Node's ChildProcess. */
  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of [this.stdout, this.stderr]) if (!stream.destroyed) stream.end();
    void Promise.all([untilEnded(this.stdout), untilEnded(this.stderr)]).then(() => this.emit('close', code, signal));
  }
}
