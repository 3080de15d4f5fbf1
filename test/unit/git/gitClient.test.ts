// simple-git as the engine configures it (src/core/git/gitClient.ts): a command's result is its
// whole output, even when the child's exit is reported long before its output has arrived. That
// happens on a loaded machine, and more often through the spawn helper's relay: the helper may
// see the child exit before it has read the pipe, and both messages then cross the host's busy
// event loop. simple-git's default takes a command as done 50 ms after its exit, with whatever
// output had arrived: the host bench once saw `rev-parse` of an existing branch come back empty
// and a task fail with "dependency branch … does not exist".
import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { createGit } from '../../../src/core/git/gitClient';
import { spawnHere, useSpawner, type SpawnedChild, type Spawner } from '../../../src/core/process/spawnChild';
import { git, makeRepo, type Sandbox } from './gitFixture';

/**
 * A stand-in for a loaded relay (the real child runs; only the delivery is late): 'exit' is
 * passed on at once, the output and 'close' `delayMs` after the real child closed.
 */
function lateOutput(delayMs: number): Spawner {
  return (file, args, options) => {
    const real = spawnHere(file, args, options);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const child = Object.assign(new EventEmitter(), {
      stdin: real.stdin,
      stdout,
      stderr,
      get pid() {
        return real.pid;
      },
      get killed() {
        return real.killed;
      },
      kill: (signal?: NodeJS.Signals | number) => real.kill(signal),
    }) as SpawnedChild;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    real.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    real.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    real.on('spawn', () => child.emit('spawn'));
    real.on('error', (error) => child.emit('error', error));
    real.on('exit', (code, signal) => child.emit('exit', code, signal));
    real.on('close', (code, signal) => {
      setTimeout(() => {
        let open = 2;
        const ended = () => --open === 0 && child.emit('close', code, signal);
        stdout.on('end', ended);
        stderr.on('end', ended);
        stdout.end(Buffer.concat(out));
        stderr.end(Buffer.concat(err));
      }, delayMs);
    });
    return child;
  };
}

describe('git client: a result is the whole output', () => {
  let box: Sandbox;
  beforeEach(() => (box = makeRepo({ 'README.md': '# demo\n' })));
  afterEach(() => {
    useSpawner(undefined);
    box.cleanup();
  });

  it('waits for the output of a command whose exit was reported 300 ms before it', async () => {
    const head = git(box.repo, 'rev-parse', 'HEAD').trim();
    git(box.repo, 'branch', 'orch/TASK-1-1/a1');
    useSpawner(lateOutput(300));
    const client = createGit(box.repo);
    assert.equal((await client.raw(['rev-parse', '--verify', '--quiet', 'orch/TASK-1-1/a1^{commit}'])).trim(), head);
    assert.match(await client.raw(['status', '--porcelain=v1', '--branch']), /^## main/);
  });

  it('still reports a failing command as a failure', async () => {
    useSpawner(lateOutput(300));
    await assert.rejects(createGit(box.repo).raw(['rev-parse', '--verify', 'no-such-branch']), /no-such-branch|Needed a single revision/);
  });
});
