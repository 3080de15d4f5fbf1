// Runs the integration suite (out/test/integration) inside a real VS Code: code-server's
// extension host, driven by its web workbench in headless Chromium. Exits with the suite's code.
//   node out/test/runners/runCodeServer.js        (npm run test:integration builds first)
// Env: TEST_HOST_TIMEOUT_MS (default 10 min), CHROMIUM_PATH.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../support/repoRoot';
import { launchChromium } from './browser';
import { ensureCodeServer, startCodeServer, workbenchUrl } from './codeServerHost';
import { integrationSuiteEntry, prepareTestDirs } from './testWorkspace';
import { DeadlineError, Teardown, overallTimeoutMs, withDeadline } from './teardown';
import { TestConsole } from './testConsole';

const RESULTS_DIR = path.join(repoRoot(), 'test-results', 'integration');
const FAILURE_SCREENSHOT = 'failure.png';

async function main(): Promise<number> {
  const root = repoRoot();
  const testsEntry = integrationSuiteEntry(root);
  if (testsEntry === undefined) return 1;
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.rmSync(path.join(RESULTS_DIR, FAILURE_SCREENSHOT), { force: true });
  // Created first, so Ctrl-C during a first-run install also stops npm and the compilers.
  const teardown = new Teardown();
  await ensureCodeServer();

  const session: { page?: Page } = {};
  let exitCode: number;
  try {
    const timeoutMs = overallTimeoutMs(10 * 60_000);
    exitCode = await withDeadline(runSuite(root, testsEntry, teardown, session), timeoutMs, 'the integration run (TEST_HOST_TIMEOUT_MS)');
  } catch (error) {
    exitCode = 1;
    if (!teardown.interrupted) {
      const timedOut = error instanceof DeadlineError;
      // Playwright appends its whole call log; the first lines say what went wrong.
      console.error(`\nintegration run ${timedOut ? 'timed out' : 'failed'}: ${(error as Error).message.split('\n').slice(0, 8).join('\n')}`);
    }
  }
  try {
    if (exitCode !== 0 && session.page && !teardown.interrupted) await saveScreenshot(session.page);
  } finally {
    await teardown.run();
  }
  return exitCode;
}

async function runSuite(root: string, testsEntry: string, teardown: Teardown, session: { page?: Page }): Promise<number> {
  const started = Date.now();
  const dirs = await prepareTestDirs('integration');
  teardown.add('remove temporary folders', () => dirs.remove());

  const server = await startCodeServer({ ...dirs, logFile: path.join(RESULTS_DIR, 'code-server.log') });
  teardown.add('stop code-server', () => server.stop());
  console.log(`code-server ready at ${server.url} (log: ${path.relative(root, server.logFile)})`);

  const browser = await launchChromium();
  teardown.add('close Chromium', () => browser.close(), 10_000);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  session.page = page;

  const consoleLog = path.join(RESULTS_DIR, 'workbench-console.log');
  const testConsole = new TestConsole(consoleLog);
  teardown.add('close console log', () => testConsole.close());
  page.on('console', (message) => testConsole.onMessage(message));
  page.on('pageerror', (error) => testConsole.onPageError(error));

  // The workbench calls window.codeAutomationExit(code) once the suite's run() settles.
  let reportExit: (code: number) => void = () => undefined;
  const suiteExit = new Promise<number>((resolve) => (reportExit = resolve));
  await page.exposeFunction('codeAutomationExit', (code: unknown) => reportExit(typeof code === 'number' ? code : 1));
  page.on('crash', () => {
    console.error('the workbench page crashed');
    reportExit(1);
  });
  await page.goto(workbenchUrl(server, { folder: dirs.workspace, extensionDevelopmentPath: root, extensionTestsPath: testsEntry }), { timeout: 180_000 }); // a loaded machine can take over the default 30 s
  const code = await suiteExit;
  await withDeadline(testConsole.settle(2_000), 5_000, 'reading the last console lines');
  if (!testConsole.sawStart) {
    console.error(`the integration suite's first line never appeared (all console output: ${path.relative(root, consoleLog)})`);
    for (const line of testConsole.errorsBeforeSuite().slice(-20)) console.error(`  ${line}`);
  }
  console.log(`integration suite exited with ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

async function saveScreenshot(page: Page): Promise<void> {
  const file = path.join(RESULTS_DIR, FAILURE_SCREENSHOT);
  try {
    await withDeadline(page.screenshot({ path: file }), 10_000, 'screenshot');
    console.error(`screenshot of the workbench: ${path.relative(repoRoot(), file)}`);
  } catch (error) {
    console.error(`no screenshot: ${(error as Error).message}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
