import * as assert from 'node:assert/strict';
import { fork, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGit } from '../../../src/core/git/gitClient';
import { gitOutput } from '../../../src/core/git/gitOutput';
import { runProcess } from '../../../src/core/process/processRunner';
import { isAlive, parentPid, signalQuietly } from '../../../src/core/process/processTree';
import { spawnChild, useSpawner, type Spawner } from '../../../src/core/process/spawnChild';
import { SpawnHelperClient } from '../../../src/core/process/spawnHelperClient';
import { makeRepo, type Sandbox } from '../git/gitFixture';
import { eventually } from '../store/helpers';


const HOST = join(__dirname, 'spawnHelperHost.js');

describe('spawn helper: children start in a small process, not in the host', function () {
  let helper: SpawnHelperClient;
  let problems: string[];
  let repo: Sandbox | undefined;
  beforeEach(() => {
    problems = [];
    helper = new SpawnHelperClient({ onProblem: (message) => problems.push(message) });
    useSpawner(helper.spawner);
  });
  afterEach(() => {
    useSpawner(undefined);
    helper.close();
    repo?.cleanup();
    repo = undefined;
  });

  it('starts the agent as a child of the helper, not of this process', async () => {
    let started: number | undefined;
    const result = await runProcess({ argv: ['sh', '-c', 'echo $$; exit 4'], cwd: process.cwd(), onStart: (pid) => (started = pid) });
    assert.equal(result.exitCode, 4);
    assert.equal(String(result.pid), result.tail[0]);
    assert.equal(started, result.pid);
    assert.ok(helper.helperPid && helper.helperPid !== process.pid);
    const probe = await runProcess({ argv: ['sh', '-c', 'echo $PPID'], cwd: process.cwd() });
    assert.equal(Number(probe.tail[0]), helper.helperPid, 'the parent of a child is the helper');
  });

  it("routes git, simple-git's included, through the installed spawner with the right answers", async () => {
    const sandbox = makeRepo({ 'a.txt': 'a\n' });
    repo = sandbox;
    const seen: string[] = [];
    const counting: Spawner = (file, args, options) => {
      seen.push(`${file} ${args.find((arg) => !arg.startsWith('-') && !arg.includes('=')) ?? ''}`);
      return helper.spawner(file, args, options);
    };
    useSpawner(counting);
    const status = await createGit(sandbox.repo).status();
    assert.deepEqual(status.files, []);
    assert.equal((await gitOutput(sandbox.repo, ['hash-object', '--stdin'], 'abc')).trim(), 'f2ba8f84ab5c1bce84a7b441cb1959cfc7093b7f');
    assert.ok(seen.includes('git status'), `simple-git's status went through the spawner: ${JSON.stringify(seen)}`);
    assert.ok(seen.includes('git hash-object'), JSON.stringify(seen));
  });

  it('relays large output intact and in order', async () => {
    const lines: string[] = [];
    const result = await runProcess({
      argv: [process.execPath, '-e', 'for (let i = 0; i < 100000; i++) process.stdout.write(`line ${i} ${"x".repeat(40)}\\n`)'],
      cwd: process.cwd(),
      onLine: (line) => lines.push(line),
    });
    assert.equal(result.exitCode, 0);
    assert.equal(lines.length, 100000);
    assert.ok(lines.every((line, i) => line.startsWith(`line ${i} `)));
  });

  it('a helper killed mid-run: its children are stopped and reported, and the next start brings a new helper', async () => {
    let pid: number | undefined;
    const running = runProcess({ argv: ['sleep', '60'], cwd: process.cwd(), onStart: (p) => (pid = p) });
    assert.ok(await eventually(() => pid !== undefined));
    const first = helper.helperPid!;
    process.kill(first, 'SIGKILL');
    const result = await running;
    assert.equal(result.error?.code, 'spawn-failed');
    assert.match(result.error!.message, /was stopped: the spawn helper stopped \(SIGKILL\)/);
    assert.ok(await eventually(() => !isAlive(pid!), 5000), 'the orphaned agent was killed');
    assert.match(problems.join('\n'), /spawn helper stopped .*1 process/);
    const next = await runProcess({ argv: ['sh', '-c', 'echo $PPID'], cwd: process.cwd() });
    assert.equal(next.exitCode, 0);
    assert.notEqual(helper.helperPid, first);
    assert.equal(Number(next.tail[0]), helper.helperPid);
  });

  it('after repeated deaths it stops restarting the helper and spawns here, and says so', async () => {
    for (let death = 0; death < 4; death++) {
      await runProcess({ argv: ['true'], cwd: process.cwd() });
      const pid = helper.helperPid!;
      process.kill(pid, 'SIGKILL');
      assert.ok(await eventually(() => helper.helperPid === undefined));
    }
    const here = await runProcess({ argv: ['sh', '-c', 'echo $PPID'], cwd: process.cwd() });
    assert.equal(Number(here.tail[0]), process.pid);
    assert.match(problems.at(-1) ?? '', /stopped 4 times in a minute; starting processes in this process instead/);
  });

  it('a missing program is an error event with ENOENT, as from Node', async () => {
    const child = spawnChild('no-such-program-here', [], { cwd: process.cwd() });
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => child.once('error', resolve));
    assert.equal(error.code, 'ENOENT');
    assert.equal(child.pid, undefined);
  });
});

describe('spawn helper and its host process', function () {
  it('leaves when the host is killed with -9; the agent is left as it would be without a helper', async () => {
    const host = spawn(process.execPath, [HOST, 'stay'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const first = await new Promise<string>((resolve) => createInterface({ input: host.stdout! }).once('line', resolve));
    const { helper, child } = JSON.parse(first) as { helper: number; child: number };
    assert.equal(parentPid(helper), host.pid);
    assert.equal(parentPid(child), helper);
    host.kill('SIGKILL');
    try {
      assert.ok(await eventually(() => !isAlive(helper), 5000), 'the helper exits with its host');
      assert.ok(isAlive(child), 'the agent is orphaned, not killed: recovery finds it, as before');
    } finally {
      signalQuietly(-child, 'SIGKILL');
    }
  });

  it('a host that leaves while the helper answers: the helper exits quietly (no EPIPE crash in the host terminal)', async () => {
    const script = join(__dirname, '..', '..', '..', 'src', 'core', 'process', 'spawnHelper.js');
    for (let round = 0; round < 20; round++) {
      const helper = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      let stderr = '';
      helper.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => helper.on('exit', (code) => resolve(code)));
      // Answers (spawned, output, exit, close) are on their way when the channel closes.
      for (let id = 1; id <= 5; id++) helper.send({ t: 'spawn', id, file: 'echo', args: ['hello'], env: { PATH: process.env.PATH ?? '' }, detached: false, stdin: false });
      await new Promise((resolve) => setTimeout(resolve, round % 5));
      helper.disconnect();
      assert.equal(await exited, 0, `round ${round}: ${stderr}`);
      assert.equal(stderr, '', `round ${round}`);
    }
  });

  it('an idle helper does not keep its host alive', () => {
    const result = spawnSync(process.execPath, [HOST, 'exit'], { encoding: 'utf8', timeout: 15000 });
    assert.equal(result.status, 0, `the host exited on its own: ${result.stderr}`);
    const { helper } = JSON.parse(result.stdout.trim()) as { helper: number };
    assert.ok(helper > 0);
  });
});
