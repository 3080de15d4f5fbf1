// End-to-end check of the PACKAGED extension: the .vsix from `npm run package` is installed into
// a fresh code-server, and a real browser uses the UI the way a person would.
//   node out/test/e2e/runE2e.js        (npm run test:e2e packages and builds first)
// Env: TEST_HOST_TIMEOUT_MS (default 10 min), CHROMIUM_PATH. Screenshots: test-results/e2e/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { extensionManifest, repoRoot } from '../support/repoRoot';
import { launchChromium } from '../runners/browser';
import { ensureCodeServer, installVsix, startCodeServer, workbenchUrl } from '../runners/codeServerHost';
import { prepareTestDirs } from '../runners/testWorkspace';
import { Teardown, overallTimeoutMs, withDeadline } from '../runners/teardown';
import { CheckList } from './checkList';
import { activityBarItem, notification, runFromCommandPalette, sideBarView, welcomeText } from './workbench';

const ROOT = repoRoot();
const RESULTS_DIR = path.join(ROOT, 'test-results', 'e2e');
const VSIX = path.join(ROOT, 'dist-vsix', 'agent-orchestrator.vsix');
const CONTAINER_TITLE = 'Agent Orchestrator';
const WELCOME = 'No plan has been imported into this workspace yet.';

async function main(): Promise<number> {
  if (!fs.existsSync(VSIX)) {
    console.error(`${path.relative(ROOT, VSIX)} is missing: run \`npm run package\` first (it builds and packages the extension)`);
    return 1;
  }
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  // Created first, so Ctrl-C during a first-run install also stops npm and the compilers.
  const teardown = new Teardown();
  await ensureCodeServer();

  const checks = new CheckList();
  try {
    await withDeadline(runChecks(checks, teardown), overallTimeoutMs(10 * 60_000), 'the e2e run (TEST_HOST_TIMEOUT_MS)');
  } catch (error) {
    if (!teardown.interrupted) checks.fail('the e2e run completes', (error as Error).message.split('\n').slice(0, 6).join('\n'));
  } finally {
    await teardown.run();
  }
  console.log(`screenshots: ${path.relative(ROOT, RESULTS_DIR)}/`);
  console.log(checks.summary());
  return checks.failures === 0 ? 0 : 1;
}

async function runChecks(checks: CheckList, teardown: Teardown): Promise<void> {
  const { version } = extensionManifest(ROOT);
  const dirs = await prepareTestDirs('e2e');
  teardown.add('remove temporary folders', () => dirs.remove());

  console.log(`e2e: ${path.relative(ROOT, VSIX)} (version ${version}) in code-server`);
  const installed = await checks.check('the packaged .vsix installs into a fresh extensions folder', () => installVsix(VSIX, dirs.extensionsDir), 120_000);
  if (!installed) return;

  const server = await startCodeServer({ ...dirs, logFile: path.join(RESULTS_DIR, 'code-server.log') });
  teardown.add('stop code-server', () => server.stop());
  const browser = await launchChromium();
  teardown.add('close Chromium', () => browser.close(), 10_000);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(20_000);
  logConsoleTo(page, path.join(RESULTS_DIR, 'workbench-console.log'));
  checks.screenshot = async (name) => void (await page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), timeout: 10_000 }));

  await page.goto(workbenchUrl(server, { folder: dirs.workspace }));

  // The first check also waits for the workbench to load and to scan the installed extension.
  await checks.check(`the activity bar shows "${CONTAINER_TITLE}"`, () => activityBarItem(page, CONTAINER_TITLE).waitFor({ state: 'visible', timeout: 60_000 }), 75_000);

  await checks.check('clicking it shows the Tasks view with its welcome text', async () => {
    await activityBarItem(page, CONTAINER_TITLE).click();
    const tasks = sideBarView(page, 'Tasks');
    await tasks.waitFor({ state: 'visible' });
    await welcomeText(tasks, WELCOME).waitFor({ state: 'visible' });
  });

  await checks.check(`"Agent Orchestrator: Show Version" from the command palette shows "Agent Orchestrator ${version}"`, async () => {
    await runFromCommandPalette(page, 'Agent Orchestrator: Show Version');
    await notification(page, `Agent Orchestrator ${version}`).waitFor({ state: 'visible' });
  });
}

/** The workbench's console goes to a file, for diagnosis; the terminal shows only the checks. */
function logConsoleTo(page: Page, file: string): void {
  const log = fs.openSync(file, 'w');
  const write = (line: string) => {
    try {
      fs.writeSync(log, `${line}\n`);
    } catch {
      // Closed already: messages after teardown are not needed.
    }
  };
  page.on('console', (message) => write(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => write(`[pageerror] ${error.stack ?? error.message}`));
  page.on('close', () => fs.closeSync(log));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
