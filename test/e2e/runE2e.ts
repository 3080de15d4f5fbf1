// End-to-end check of the PACKAGED extension: the .vsix from `npm run package` is installed into
// a fresh code-server, and a real browser uses the UI the way a person would.
//   node out/test/e2e/runE2e.js        (npm run test:e2e packages and builds first)
// Env: TEST_HOST_TIMEOUT_MS (default 10 min), CHROMIUM_PATH. Screenshots: test-results/e2e/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { extensionManifest, repoRoot } from '../support/repoRoot';
import { launchChromium } from '../runners/browser';
import { ensureCodeServer, installVsix, startCodeServer, workbenchUrl } from '../runners/codeServerHost';
import { prepareTestDirs } from '../runners/testWorkspace';
import { Teardown, overallTimeoutMs, withDeadline } from '../runners/teardown';
import { bigPlanCheck } from './bigPlanCheck';
import { CheckList } from './checkList';
import { planLensCheck } from './planLensCheck';
import { commentCheck, prepareReviewWorkspace, reviewChecks } from './reviewChecks';
import { activityBarItem, notification, openFileByName, runFromCommandPalette, runPaletteCommandWithLabel, sideBarView, statusBarItem, switchColorTheme, treeRows, webviewContent, welcomeText, widenSideBar, workbenchTheme } from './workbench';

const ROOT = repoRoot();
const RESULTS_DIR = path.join(ROOT, 'test-results', 'e2e');
const VSIX = path.join(ROOT, 'dist-vsix', 'agent-orchestrator.vsix');
const CONTAINER_TITLE = 'Agent Orchestrator';
const WELCOME = 'No plan has been imported into this workspace yet.';
const DEMO_DIR = path.join(ROOT, 'test', 'fixtures', 'demo-workspace');
const DEMO_PLAN = 'demo.plan.md';
/** The demo plan's tasks, fan-out children included. */
const DEMO_TASKS = 9;
/**
 * What the status bar, the dashboard and the run's toast count: every task but the fan-out
 * parent, whose children do its work (src/shared/taskCounts.ts).
 */
const DEMO_COUNTED = DEMO_TASKS - 1;
/** Each theme's id (the setting's value) and the label the theme picker shows. */
const THEMES = { dark: { id: 'Default Dark Modern', label: 'Dark Modern' }, light: { id: 'Default Light Modern', label: 'Light Modern' } } as const;

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

  // The demo: its plan and its settings (the scripted agent), in the fixture workspace copy.
  fs.copyFileSync(path.join(DEMO_DIR, DEMO_PLAN), path.join(dirs.workspace, DEMO_PLAN));
  fs.mkdirSync(path.join(dirs.workspace, '.vscode'), { recursive: true });
  fs.copyFileSync(path.join(DEMO_DIR, '.vscode', 'settings.json'), path.join(dirs.workspace, '.vscode', 'settings.json'));
  setUserSetting(dirs.userDataDir, 'workbench.colorTheme', THEMES.dark.id);
  prepareReviewWorkspace(dirs.workspace);

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

  // A loaded machine can take well over the default 30 s to serve the workbench.
  await page.goto(workbenchUrl(server, { folder: dirs.workspace }), { timeout: 180_000 });

  // The first check also waits for the workbench to load and to scan the installed extension.
  await checks.check(`the activity bar shows "${CONTAINER_TITLE}"`, () => activityBarItem(page, CONTAINER_TITLE).waitFor({ state: 'visible', timeout: 60_000 }), 75_000);

  await checks.check('clicking it shows the Tasks view with its welcome text', async () => {
    await activityBarItem(page, CONTAINER_TITLE).click();
    const tasks = sideBarView(page, 'Tasks');
  // Wider than the default, so the screenshots show each task's id, agent and duration.
  await widenSideBar(page, 70).catch(() => undefined);
    await tasks.waitFor({ state: 'visible' });
    await welcomeText(tasks, WELCOME).waitFor({ state: 'visible' });
  });

  await checks.check(`"Agent Orchestrator: Show Version" from the command palette shows "Agent Orchestrator ${version}"`, async () => {
    await runFromCommandPalette(page, 'Agent Orchestrator: Show Version');
    await notification(page, `Agent Orchestrator ${version}`).waitFor({ state: 'visible' });
  });

  const tasks = sideBarView(page, 'Tasks');
  // Wider than the default, so the screenshots show each task's id, agent and duration.
  await widenSideBar(page, 70).catch(() => undefined);
  const imported = await checks.check(`"Import Plan…" from the palette imports ${DEMO_PLAN} from the editor into the tree`, async () => {
    await openFileByName(page, DEMO_PLAN);
    await runFromCommandPalette(page, 'Agent Orchestrator: Import Plan…');
    await notification(page, `Imported ${DEMO_TASKS} tasks in 2 specifications from ${DEMO_PLAN}.`).waitFor({ state: 'visible' });
    await treeRows(tasks).filter({ has: page.locator('.label-name', { hasText: 'Create the package skeleton' }) }).waitFor({ state: 'visible' });
    await statusBarItem(page, `${DEMO_COUNTED} tasks`).waitFor({ state: 'visible' });
  });
  if (!imported) return;

  const ran = await checks.check('"Run All" from the palette runs the demo plan; the tree shows every task completed', async () => {
    await runFromCommandPalette(page, 'Agent Orchestrator: Run All');
    await statusBarItem(page, /running/).waitFor({ state: 'visible', timeout: 20_000 });
    await tasks.locator('.monaco-list-row[aria-label$=", running"]').first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.locator('.part.sidebar').screenshot({ path: path.join(RESULTS_DIR, 'tree-running-dark.png') });
    await statusBarShot(page, statusBarItem(page, /running/).first(), path.join(RESULTS_DIR, 'statusbar-running-dark.png'), false);
    // The dashboard while agents work: running nodes with their progress bars, the timeline growing.
    await runPaletteCommandWithLabel(page, 'Agent Orchestrator: Open Dashboard');
    await webviewContent(page).locator('[data-testid="graph-node"][data-status="running"]').first().waitFor({ state: 'visible', timeout: 20_000 });
    await runPaletteCommandWithLabel(page, 'Notifications: Clear All Notifications');
    await page.mouse.move(0, 0);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'workbench-running-dark.png') });
    await statusBarItem(page, `${DEMO_COUNTED}/${DEMO_COUNTED} done`).waitFor({ state: 'visible', timeout: 90_000 });
    await page.locator('.notifications-toasts').getByText(/^Run finished: \d+ of \d+ completed\./).first().waitFor({ state: 'visible' });
    // The view shows what fits; every visible task row must become completed (the view renders
    // a moment after the status bar, which counts from the same data).
    const rows = treeRows(tasks);
    let tally = '';
    for (const deadline = Date.now() + 15_000; ; await page.waitForTimeout(250)) {
      const labels = await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label') ?? '').filter((label) => /^TASK-/.test(label)));
      const completed = labels.filter((label) => label.endsWith(', completed')).length;
      tally = `${completed} of ${labels.length} visible task rows are completed`;
      if (completed > 0 && completed === labels.length) break;
      if (Date.now() > deadline) throw new Error(tally);
    }
  }, 120_000);
  if (!ran) return;

  const dashboard = webviewContent(page);
  await checks.check('the dashboard webview renders the task graph and the run summary', async () => {
    await runPaletteCommandWithLabel(page, 'Agent Orchestrator: Open Dashboard');
    await dashboard.locator('[data-testid="graph-node"]').first().waitFor({ state: 'visible' });
    const nodes = await dashboard.locator('[data-testid="graph-node"]').count();
    const done = await dashboard.locator('[data-testid="graph-node"][data-status="completed"]').count();
    if (nodes !== DEMO_TASKS || done !== DEMO_TASKS) throw new Error(`the graph shows ${nodes} nodes, ${done} completed (expected ${DEMO_TASKS})`);
    const edges = await dashboard.locator('[data-testid="dashboard-graph"] path.edge').count();
    if (edges < DEMO_TASKS - 1) throw new Error(`the graph has only ${edges} edges`);
    await dashboard.locator('[data-testid="metric-completed"] .card-value').getByText(String(DEMO_COUNTED), { exact: true }).waitFor({ state: 'visible' });
    await dashboard.locator('[data-testid="dashboard-summary"] .badge').getByText('completed', { exact: true }).waitFor({ state: 'visible' });
    await dashboard.locator('[data-testid="dashboard-timeline"] .bar').first().waitFor({ state: 'visible' });
    // Keyboard: focus a task node and open its details with Enter.
    await dashboard.locator('[data-testid="graph-node"][data-task-id="TASK-1-2"]').focus();
    await page.keyboard.press('Enter');
    await dashboard.locator('[data-testid="dashboard-details"] h2').getByText('TASK-1-2').waitFor({ state: 'visible' });
    await dashboard.locator('[data-testid="dashboard-details"] pre.output').getByText(/"event"/).first().waitFor({ state: 'visible' });
  });

  for (const theme of ['dark', 'light'] as const) {
    await checks.check(`screenshots of the tree, the status bar and the dashboard in the ${theme} theme`, async () => {
      if ((await workbenchTheme(page, theme).count()) === 0) await switchColorTheme(page, THEMES[theme].label);
      await workbenchTheme(page, theme).waitFor({ state: 'attached', timeout: 20_000 });
      await runPaletteCommandWithLabel(page, 'Notifications: Clear All Notifications');
      await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden' }).catch(() => undefined);
      await page.mouse.move(0, 0);
      await page.waitForTimeout(800); // the webview picks up the new theme's variables
      await page.locator('.part.sidebar').screenshot({ path: path.join(RESULTS_DIR, `tree-${theme}.png`) });
      await page.locator('.part.editor').screenshot({ path: path.join(RESULTS_DIR, `dashboard-${theme}.png`) });
      await page.screenshot({ path: path.join(RESULTS_DIR, `workbench-${theme}.png`) });
      // Last: its tooltip stays up for a moment after the mouse leaves.
      await statusBarShot(page, statusBarItem(page, /done/).first(), path.join(RESULTS_DIR, `statusbar-${theme}.png`), true);
    });
  }

  // Review and the conflict radar, in the dark theme like the README's first screenshot.
  await checks.check('back to the dark theme for the review screenshots', async () => {
    if ((await workbenchTheme(page, 'dark').count()) === 0) await switchColorTheme(page, THEMES.dark.label);
    await workbenchTheme(page, 'dark').waitFor({ state: 'attached', timeout: 20_000 });
  });
  await reviewChecks({ page, checks, resultsDir: RESULTS_DIR, countedBefore: DEMO_COUNTED });
  await commentCheck(page, checks);
  await planLensCheck(page, checks, RESULTS_DIR);
  await bigPlanCheck({ page, checks, resultsDir: RESULTS_DIR, workspace: dirs.workspace });
}

/** The status-bar item and its neighbours; with `hover`, its tooltip (the run's numbers) too. */
async function statusBarShot(page: Page, item: Locator, file: string, hover: boolean): Promise<void> {
  const box = await item.boundingBox();
  const bar = await page.locator('.part.statusbar').boundingBox();
  if (!box || !bar) throw new Error('the status bar item is not on screen');
  let top = bar.y - 4;
  let right = box.x + box.width + 160;
  if (hover) {
    await item.hover();
    const tooltip = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Agent Orchestrator' }).first();
    await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForTimeout(300);
    const tip = await tooltip.boundingBox();
    if (tip) {
      top = Math.min(top, tip.y - 8);
      right = Math.max(right, tip.x + tip.width + 8);
    }
  }
  const x = Math.max(0, box.x - 120);
  await page.screenshot({ path: file, clip: { x, y: top, width: Math.min(640, right - x), height: bar.y + bar.height + 4 - top } });
  await page.mouse.move(0, 0);
}

/** Sets one user setting before the workbench starts (code-server does not apply later edits of the file live). */
function setUserSetting(userDataDir: string, key: string, value: unknown): void {
  const file = path.join(userDataDir, 'User', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  settings[key] = value;
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
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
