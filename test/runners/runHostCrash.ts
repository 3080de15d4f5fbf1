// The host-crash test: a real VS Code extension host is killed mid-run and VS Code is started
// again on the same workspace, which must recover the run on activation and offer to resume it.
//   node out/test/runners/runHostCrash.js        (npm run test:host-crash builds first)
// Env: TEST_HOST_TIMEOUT_MS (default 4 min), CHROMIUM_PATH. Logs and failure screenshots: test-results/host-crash/.
//
// 1. code-server on a fresh test workspace; the workbench runs test/hostCrash/phase1.test.ts in
//    the extension host (HOST_CRASH_PHASE=1): it imports three long scripted tasks, starts Run
//    All and, once their agents are at work and the database file says so, writes a marker
//    (extension host pid, agent pids, run id) into HOST_CRASH_DIR and waits.
// 2. The crash: SIGKILL to that extension host, then to every other process of that code-server
//    (its agents excepted: they run detached, in groups of their own, and outlive their host as
//    they would after any crash). Checked from here: the host is gone, the agents still run, the
//    lock names the dead host and the database still says the run is running.
// 3. A second code-server on the SAME workspace and user data; the workbench runs
//    test/hostCrash/phase2.test.ts (HOST_CRASH_PHASE=2): recovery on activation, orphans
//    stopped, Resume Run / Run All offered, Resume Run runs the tasks again. Checked from here:
//    the workbench shows the recovery notification with its Resume Run button; the orphans are dead.
// The last line counts both suites' tests and this runner's checks: "host-crash: N passed, N failed".
// Everything started here — both servers, Chromium, the agents — is stopped on every exit path.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { OrchestratorStore } from '../../src/core/store';
import { CheckList } from '../e2e/checkList';
import { MARKER_FILE, PHASE_ENV, SHARED_DIR_ENV, isAgentOfRun, isRunning, readJson, readMarker, resultFile, type CrashMarker, type PhaseResult } from '../hostCrash/protocol';
import { repoRoot } from '../support/repoRoot';
import { launchChromium } from './browser';
import { ensureCodeServer, startCodeServer, workbenchUrl, type RunningCodeServer } from './codeServerHost';
import { descendantPids } from './processTree';
import { builtEntry, prepareTestDirs, type TestDirs } from './testWorkspace';
import { DeadlineError, Teardown, overallTimeoutMs, withDeadline } from './teardown';
import { TestConsole } from './testConsole';

const ROOT = repoRoot();
const RESULTS_DIR = path.join(ROOT, 'test-results', 'host-crash');
const SUITE_ENTRY = path.join(ROOT, 'out', 'test', 'hostCrash', 'index.js');
/** How long phase 1 may take from the page load to its marker (VS Code start, import, worktrees, agents). */
const PHASE1_TIMEOUT_MS = 150_000;

interface Totals {
  passed: number;
  failed: number;
}

async function main(): Promise<number> {
  if (builtEntry(SUITE_ENTRY) === undefined) return 1;
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const teardown = new Teardown();
  await ensureCodeServer();

  const checks = new CheckList();
  const suites: Totals = { passed: 0, failed: 0 };
  const started = Date.now();
  try {
    await withDeadline(runTest(teardown, checks, suites), overallTimeoutMs(4 * 60_000), 'the host-crash run (TEST_HOST_TIMEOUT_MS)');
  } catch (error) {
    if (!teardown.interrupted) {
      const message = (error as Error).message.split('\n').slice(0, 8).join('\n');
      checks.fail(error instanceof DeadlineError ? 'the run finished in time' : 'the run went through', message);
    }
  } finally {
    await teardown.run();
  }
  const [, checksPassed, checksFailed] = /^(\d+) passed, (\d+) failed/.exec(checks.summary()) ?? [];
  const passed = suites.passed + Number(checksPassed);
  const failed = suites.failed + Number(checksFailed);
  console.log(`host crash test took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`host-crash: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

async function runTest(teardown: Teardown, checks: CheckList, suites: Totals): Promise<void> {
  const dirs = await prepareTestDirs('host-crash');
  teardown.add('remove temporary folders', () => dirs.remove());
  const shared = path.join(dirs.root, 'shared');
  fs.mkdirSync(shared);
  // The crashed run's agents are orphans, no longer below this process: stop them by name.
  const orphans: { of?: CrashMarker } = {};
  teardown.add('stop the crashed run\'s agents', () => orphans.of && stopAgents(orphans.of));

  const browser = await launchChromium();
  teardown.add('close Chromium', () => browser.close(), 10_000);

  // ── Phase 1: a run in progress ──
  console.log('phase 1: start a run in VS Code');
  const first = await startServer(dirs, shared, '1', teardown);
  const phase1 = await openSuite(browser, first, dirs, '1', teardown);
  // Its results come right after the marker; a suite that failed exits instead of waiting.
  const resultsFile = path.join(shared, resultFile('1'));
  await Promise.race([
    waitFor('phase 1 to report its results', () => fs.existsSync(resultsFile), PHASE1_TIMEOUT_MS),
    phase1.exit.then((code) => {
      throw new Error(`phase 1's suite ended (exit ${code}) before its agents were at work`);
    }),
  ])
    .catch(async (error: unknown) => {
      await screenshot(phase1.page, 'failure-phase1.png');
      throw error;
    })
    .finally(() => addResult(suites, shared, '1'));
  if (!fs.existsSync(path.join(shared, MARKER_FILE))) throw new Error('phase 1 failed before its agents were at work: nothing to crash');
  const crashed = readMarker(shared);
  orphans.of = crashed;
  await phase1.console.settle(5_000);
  console.log(`phase 1 is at work: run ${crashed.runId}, extension host ${crashed.extensionHostPid}, agents ${crashed.agentPids.join(', ')}`);

  await checks.check('the agents run under the extension host of the first code-server', async () => {
    const underServer = descendantPids(first.pid);
    if (!underServer.includes(crashed.extensionHostPid)) throw new Error(`pid ${crashed.extensionHostPid} is not below code-server ${first.pid}`);
    const underHost = descendantPids(crashed.extensionHostPid);
    const strays = crashed.agentPids.filter((pid) => !underHost.includes(pid));
    if (strays.length > 0) throw new Error(`agents ${strays.join(', ')} are not below the extension host`);
  });

  // ── The crash ──
  const killed = crash(first, crashed);
  await phase1.page.close().catch(() => undefined);
  await checks.check('the extension host and the rest of code-server are gone', async () => {
    await waitFor('the killed processes to be gone', () => killed.every((pid) => !isRunning(pid)), 15_000).catch(() => {
      throw new Error(`still alive: ${killed.filter(isRunning).join(', ')}`);
    });
  });
  await checks.check('the agents outlive their host (the orphans to recover)', async () => {
    const dead = crashed.agentPids.filter((pid) => !isRunning(pid) || !isAgentOfRun(pid, crashed.runId));
    if (dead.length > 0) throw new Error(`agents ${dead.join(', ')} died with the host: nothing would be left to recover`);
  });
  await checks.check('the database still says the run is running, and the lock names the dead host', async () => {
    const dbPath = path.join(crashed.workspace, '.agent-orchestrator', 'orchestrator.db');
    const owner = readJson<{ pid: number }>(path.join(`${dbPath}.lock`, 'owner.json'));
    if (owner?.pid !== crashed.extensionHostPid) throw new Error(`the lock's owner is ${owner?.pid}, not the killed host ${crashed.extensionHostPid}`);
    const store = await OrchestratorStore.open(dbPath, { readOnly: true });
    try {
      const run = store.listRuns(1)[0];
      if (run?.runId !== crashed.runId || run.status !== 'running') throw new Error(`latest run: ${run?.runId} ${run?.status}`);
    } finally {
      await store.close();
    }
  });

  // ── Phase 2: VS Code again, on the same workspace ──
  console.log('phase 2: start VS Code again on the same workspace');
  const second = await startServer(dirs, shared, '2', teardown);
  const phase2 = await openSuite(browser, second, dirs, '2', teardown);
  // The notification appears on its own, at activation; toasts hide after a while, so look now.
  const toast = phase2.page.locator('.notifications-toasts .notification-toast', { hasText: `recovered run ${crashed.runId}` });
  const toastSeen = toast
    .first()
    .waitFor({ state: 'visible', timeout: 120_000 })
    .then(async () => ({ text: (await toast.first().innerText()).replace(/\s+/g, ' '), resumeButtons: await toast.first().getByRole('button', { name: 'Resume Run' }).count() }));
  toastSeen.catch(() => undefined);
  const code = await phase2.exit;
  addResult(suites, shared, '2');
  console.log(`phase 2's suite exited with ${code}`);
  if (code !== 0) await screenshot(phase2.page, 'failure-phase2.png');

  await checks.check('the workbench shows "recovered run …" with a Resume Run button', async () => {
    // It had the whole of phase 2 to appear; a few more seconds for a late one.
    const seen = await withDeadline(toastSeen, 5_000, 'the notification').catch(() => {
      throw new Error(`the workbench showed no notification "… recovered run ${crashed.runId} …"`);
    });
    console.log(`    notification: ${seen.text}`);
    if (seen.resumeButtons !== 1) throw new Error(`the notification has ${seen.resumeButtons} Resume Run buttons`);
  }, 10_000);
  await checks.check('no agent of the crashed run is left running', async () => {
    const alive = crashed.agentPids.filter(isRunning);
    if (alive.length > 0) throw new Error(`still running: ${alive.join(', ')}`);
  });
}

function startServer(dirs: TestDirs, shared: string, phase: string, teardown: Teardown): Promise<RunningCodeServer> {
  return startCodeServer({ ...dirs, logFile: path.join(RESULTS_DIR, `code-server-phase${phase}.log`), env: { [PHASE_ENV]: phase, [SHARED_DIR_ENV]: shared } }).then((server) => {
    teardown.add(`stop code-server (phase ${phase})`, () => server.stop());
    return server;
  });
}

/** Opens the workbench with the extension from source and the suite; `exit` settles when the suite reports its end. */
async function openSuite(browser: Browser, server: RunningCodeServer, dirs: TestDirs, phase: string, teardown: Teardown): Promise<{ page: Page; exit: Promise<number>; console: TestConsole }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const testConsole = new TestConsole(path.join(RESULTS_DIR, `workbench-console-phase${phase}.log`));
  teardown.add(`close the phase ${phase} console log`, () => testConsole.close());
  page.on('console', (message) => testConsole.onMessage(message));
  page.on('pageerror', (error) => testConsole.onPageError(error));
  let reportExit: (code: number) => void = () => undefined;
  const exit = new Promise<number>((resolve) => (reportExit = resolve));
  await page.exposeFunction('codeAutomationExit', (code: unknown) => reportExit(typeof code === 'number' ? code : 1));
  page.on('crash', () => reportExit(1));
  await page.goto(workbenchUrl(server, { folder: dirs.workspace, extensionDevelopmentPath: ROOT, extensionTestsPath: SUITE_ENTRY }), { timeout: 180_000 }); // a loaded machine can take over the default 30 s
  const settled = exit.then(async (code) => {
    await testConsole.settle(2_000);
    return code;
  });
  return { page, exit: settled, console: testConsole };
}

/**
 * SIGKILLs the extension host first — the crash under test — then, in the same tick so the
 * workbench cannot start a new host, every other process of that code-server (its group and its
 * descendants, which include the pty host's own sessions). The agents and their children are
 * spared, as any crash of VS Code spares them. Returns the pids it killed.
 */
function crash(server: RunningCodeServer, marker: CrashMarker): number[] {
  const agentTrees = new Set(marker.agentPids.flatMap((pid) => [pid, ...descendantPids(pid)]));
  const others = [server.pid, ...descendantPids(server.pid)].filter((pid) => pid !== marker.extensionHostPid && !agentTrees.has(pid));
  process.kill(marker.extensionHostPid, 'SIGKILL');
  for (const pid of others) signal(pid, 'SIGKILL');
  signal(-server.pid, 'SIGKILL');
  console.log(`killed extension host ${marker.extensionHostPid} and ${others.length} other code-server processes (SIGKILL)`);
  return [marker.extensionHostPid, ...others];
}

/** Only processes that still carry the crashed run's id: a reused pid is never touched. */
function stopAgents(marker: CrashMarker): void {
  for (const pid of marker.agentPids) {
    if (!isRunning(pid) || !isAgentOfRun(pid, marker.runId)) continue;
    signal(-pid, 'SIGKILL');
    signal(pid, 'SIGKILL');
  }
}

async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(RESULTS_DIR, name);
  try {
    await withDeadline(page.screenshot({ path: file }), 10_000, 'screenshot');
    console.error(`screenshot of the workbench: ${path.relative(ROOT, file)}`);
  } catch (error) {
    console.error(`no screenshot: ${(error as Error).message.split('\n')[0]}`);
  }
}

function addResult(suites: Totals, shared: string, phase: string): void {
  const result = readJson<PhaseResult>(path.join(shared, resultFile(phase)));
  if (!result) {
    console.error(`phase ${phase} reported no results`);
    suites.failed += 1;
    return;
  }
  suites.passed += result.passed;
  suites.failed += result.failed;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

async function waitFor(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
