import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { orchestratorEnv } from '../../../src/core/agents/env';
import { NodeProcessLauncher, runProcess } from '../../../src/core/process/processRunner';
import { isAlive } from '../../../src/core/process/processTree';
import { succeeded, type OutputStream } from '../../../src/core/process/ports';
import { FIXTURES, SCRIPTED_AGENT } from '../agents/testPaths';
import { useSpawner } from '../../../src/core/process/spawnChild';
import { SpawnHelperClient } from '../../../src/core/process/spawnHelperClient';
import { lateOutput } from './lateOutputSpawner';

const node = process.execPath;

/** Waits until `check` holds, for processes the kernel is still tearing down. */
async function eventually(check: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

function pidFrom(lines: readonly string[], word: string): number {
  const line = lines.find((l) => l.startsWith(`${word} `));
  assert.ok(line, `no "${word} <pid>" line in ${JSON.stringify(lines)}`);
  return Number(line.split(' ')[1]);
}

// Every case runs twice: children spawned by this process, and by the spawn helper as in the
// extension host (src/core/process/spawnHelperClient.ts).
for (const where of ['here', 'through the spawn helper'] as const) describe(`processRunner (${where})`, function () {
  let helper: SpawnHelperClient | undefined;
  before(() => {
    if (where === 'here') return;
    helper = new SpawnHelperClient();
    useSpawner(helper.spawner);
  });
  after(() => {
    useSpawner(undefined);
    helper?.close();
  });
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'orch-proc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports exit codes and separates stdout from stderr', async () => {
    const lines: Array<[string, OutputStream]> = [];
    const result = await new NodeProcessLauncher().launch({
      argv: [node, '-e', 'console.log("out 1"); console.error("err 1"); console.log("out 2"); process.exit(3)'],
      cwd: dir,
      onLine: (line, stream) => lines.push([line, stream]),
    });
    assert.equal(result.exitCode, 3);
    assert.equal(result.signal, null);
    assert.equal(succeeded(result), false);
    assert.deepEqual(lines.filter(([, s]) => s === 'stdout').map(([l]) => l), ['out 1', 'out 2']);
    assert.deepEqual(lines.filter(([, s]) => s === 'stderr').map(([l]) => l), ['err 1']);
    assert.deepEqual([...result.tail].sort(), ['err 1', 'out 1', 'out 2']);
    assert.ok(result.pid && result.pid > 0);

    const ok = await runProcess({ argv: [node, '-e', 'process.stdout.write("no newline at end")'], cwd: dir });
    assert.equal(ok.exitCode, 0);
    assert.ok(succeeded(ok));
    assert.deepEqual(ok.tail, ['no newline at end']);
  });

  it('passes shell metacharacters through verbatim (no shell)', async () => {
    const nasty = `$(rm -rf x); echo "quoted" 'single' \`tick\` | & > < * ~ \\ \n second line`;
    const out: string[] = [];
    const result = await runProcess({
      argv: [node, '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', nasty, '', '-x', '--y=z'],
      cwd: dir,
      onLine: (line) => out.push(line),
    });
    assert.equal(result.exitCode, 0);
    assert.deepEqual(JSON.parse(out.join('\n')), [nasty, '', '-x', '--y=z']);
  });

  it('gives the agent ORCH_* variables on top of the parent environment', async () => {
    process.env.ORCH_TEST_PARENT_VAR = 'from-parent';
    process.env.ORCH_TEST_REMOVED = 'should-go';
    try {
      const out: string[] = [];
      const env = {
        ...orchestratorEnv({ taskId: 'TASK-1-2', runId: 'run-7', worktree: dir, statusFile: join(dir, 'status.json') }),
        ORCH_TEST_REMOVED: undefined,
      };
      await runProcess({
        argv: [node, '-e', 'const e = process.env; console.log(JSON.stringify([e.ORCH_TASK_ID, e.ORCH_RUN_ID, e.ORCH_WORKTREE, e.ORCH_STATUS_FILE, e.ORCH_TEST_PARENT_VAR, e.ORCH_TEST_REMOVED ?? null, !!e.PATH]))'],
        cwd: dir,
        env,
        onLine: (line) => out.push(line),
      });
      assert.deepEqual(JSON.parse(out[0]), ['TASK-1-2', 'run-7', dir, join(dir, 'status.json'), 'from-parent', null, true]);
    } finally {
      delete process.env.ORCH_TEST_PARENT_VAR;
      delete process.env.ORCH_TEST_REMOVED;
    }
  });

  it('turns a missing executable into a clear error instead of hanging', async () => {
    const started = Date.now();
    const result = await runProcess({ argv: ['claude-not-installed-here', '-p', 'hi'], cwd: dir });
    assert.equal(result.error?.code, 'not-found');
    assert.equal(result.error?.message, 'agent CLI `claude-not-installed-here` not found on PATH — install it or change the profile');
    assert.equal(result.exitCode, null);
    assert.equal(succeeded(result), false);
    assert.ok(Date.now() - started < 2000);

    const byPath = await runProcess({ argv: [join(dir, 'nope.sh')], cwd: dir, commandLabel: 'setup command', notFoundHint: 'check the path' });
    assert.equal(byPath.error?.message, `setup command \`${join(dir, 'nope.sh')}\` not found — check the path`);
  });

  it('reports a missing working directory and an empty command', async () => {
    const missing = await runProcess({ argv: [node, '-v'], cwd: join(dir, 'gone') });
    assert.equal(missing.error?.code, 'cwd-missing');
    assert.match(missing.error?.message ?? '', /does not exist/);
    const empty = await runProcess({ argv: [], cwd: dir });
    assert.equal(empty.error?.code, 'bad-argv');
  });

  it('kills the whole tree on time-out, grandchildren included', async function () {
    const lines: string[] = [];
    const started = Date.now();
    const result = await runProcess({
      argv: ['sh', join(FIXTURES, 'spawn-grandchild.sh')],
      cwd: dir,
      timeoutMs: 700,
      killGraceMs: 2000,
      onLine: (line) => lines.push(line),
    });
    const grandchild = pidFrom(lines, 'grandchild');
    assert.equal(result.timedOut, true);
    assert.equal(result.cancelled, false);
    assert.equal(result.exitCode, null);
    assert.equal(result.signal, 'SIGTERM');
    assert.equal(isAlive(grandchild), false, `grandchild ${grandchild} survived`);
    assert.ok(Date.now() - started < 5000);
  });

  it('kills a grandchild that left the process group (setsid) using the tree snapshot', async () => {
    const lines: string[] = [];
    const result = await runProcess({
      argv: [node, SCRIPTED_AGENT, '--prompt', 'spawn-child-and-hang detached'],
      cwd: dir,
      timeoutMs: 1000,
      killGraceMs: 1000,
      onLine: (line) => lines.push(line),
    });
    const child = lines.map((l) => JSON.parse(l) as { event: string; pid?: number; detached?: boolean }).find((e) => e.event === 'child');
    assert.ok(child?.pid && child.detached);
    assert.equal(result.timedOut, true);
    assert.ok(await eventually(() => !isAlive(child.pid as number)), `detached child ${child.pid} survived`);
  });

  it('cancels through an AbortSignal, killing the tree', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const pending = runProcess({
      argv: ['sh', join(FIXTURES, 'spawn-grandchild.sh')],
      cwd: dir,
      signal: controller.signal,
      onLine: (line) => {
        lines.push(line);
        if (line.startsWith('grandchild ')) controller.abort();
      },
    });
    const result = await pending;
    assert.equal(result.cancelled, true);
    assert.equal(result.timedOut, false);
    assert.equal(isAlive(pidFrom(lines, 'grandchild')), false);

    const pre = new AbortController();
    pre.abort();
    const never = await runProcess({ argv: [node, '-e', 'console.log(1)'], cwd: dir, signal: pre.signal });
    assert.equal(never.cancelled, true);
    assert.equal(never.pid, undefined);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const started = Date.now();
    let pid = 0;
    const result = await runProcess({
      argv: [node, '-e', 'process.on("SIGTERM", () => console.log("ignoring")); console.log("ready"); setInterval(() => {}, 1000)'],
      cwd: dir,
      timeoutMs: 500,
      killGraceMs: 400,
      onStart: (p) => (pid = p),
    });
    assert.equal(result.timedOut, true);
    assert.equal(result.signal, 'SIGKILL');
    assert.ok(pid > 0 && !isAlive(pid));
    assert.ok(Date.now() - started >= 850, 'SIGKILL came before the grace period ended');
  });

  it('does not wait for a background process the agent left behind, and kills it', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const result = await runProcess({ argv: ['sh', join(FIXTURES, 'leave-background.sh')], cwd: dir, killGraceMs: 1000, onLine: (l) => lines.push(l) });
    assert.equal(result.exitCode, 0);
    assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
    assert.equal(isAlive(pidFrom(lines, 'background')), false);
  });

  it('writes a log capped to head and tail with a note of the cut', async () => {
    const logFile = join(dir, 'logs', 'agent.log');
    // 20,000 numbered lines of ~100 bytes = ~2 MB; keep 16 KiB at each end.
    const script = 'for (let i = 0; i < 20000; i++) console.log(String(i).padStart(6, "0") + " " + "x".repeat(93))';
    const result = await runProcess({ argv: [node, '-e', script], cwd: dir, logFile, logHeadBytes: 16 * 1024, logTailBytes: 16 * 1024, tailLines: 3 });
    assert.equal(result.exitCode, 0);
    assert.equal(result.logTruncated, true);
    assert.deepEqual(result.tail.map((l) => l.slice(0, 6)), ['019997', '019998', '019999']);
    const size = statSync(logFile).size;
    assert.ok(size <= 32 * 1024 + 200, `log is ${size} bytes`);
    const text = readFileSync(logFile, 'utf8');
    assert.ok(text.startsWith('000000 '));
    assert.ok(text.trimEnd().endsWith('x'.repeat(93)));
    assert.match(text, /\[agent-orchestrator\] log cut: \d+ bytes \(\d+ lines\) omitted/);
    assert.ok(text.includes('\n019999 '));

    const small = join(dir, 'small.log');
    const whole = await runProcess({ argv: [node, '-e', 'console.log("a"); console.error("b")'], cwd: dir, logFile: small });
    assert.equal(whole.logTruncated, false);
    assert.deepEqual(readFileSync(small, 'utf8').split('\n').filter(Boolean).sort(), ['a', 'b']);
  });

  it('writes the log as the output comes, so it can be followed while the agent runs', async () => {
    const logFile = join(dir, 'live.log');
    let seenWhileRunning = '';
    const result = await runProcess({
      argv: [node, '-e', 'console.log("first"); setTimeout(() => console.log("second"), 400)'],
      cwd: dir,
      logFile,
      onLine: (line) => {
        if (line === 'first') setTimeout(() => (seenWhileRunning = readFileSync(logFile, 'utf8')), 150);
      },
    });
    assert.equal(result.exitCode, 0);
    assert.equal(seenWhileRunning, 'first\n');
    assert.equal(readFileSync(logFile, 'utf8'), 'first\nsecond\n');
  });

  it('runs the agent even when its log cannot be written', async () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file where the log folder should be');
    const out: string[] = [];
    const result = await runProcess({ argv: [node, '-e', 'console.log("still here")'], cwd: dir, logFile: join(blocker, 'agent.log'), onLine: (l) => out.push(l) });
    assert.equal(result.exitCode, 0);
    assert.equal(result.error, undefined);
    assert.deepEqual(out, ['still here']);
  });

  it('keeps multi-byte characters split across chunks intact', async () => {
    const out: string[] = [];
    await runProcess({
      argv: [node, '-e', 'const b = Buffer.from("héllo wörld ✓\\n"); process.stdout.write(b.subarray(0, 2)); setTimeout(() => process.stdout.write(b.subarray(2)), 50)'],
      cwd: dir,
      onLine: (l) => out.push(l),
    });
    assert.deepEqual(out, ['héllo wörld ✓']);
  });
});

describe('processRunner: output that arrives after the exit', () => {
  afterEach(() => useSpawner(undefined));

  it('keeps an agent\'s last lines when its exit is reported 1.5 s before its output', async () => {
    // An agent's last lines are its verdict (status, cost): a loaded relay must not lose them.
    useSpawner(lateOutput(1500));
    const lines: string[] = [];
    const result = await runProcess({ argv: [node, '-e', 'console.log("working"); console.log("{\\"status\\":\\"completed\\"}")'], cwd: tmpdir(), onLine: (line) => lines.push(line) });
    assert.equal(result.exitCode, 0);
    assert.deepEqual(lines, ['working', '{"status":"completed"}']);
  });
});
