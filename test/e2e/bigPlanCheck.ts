// The e2e check of the dashboard with a big plan, last in runE2e.ts: the 200-task fixture
// (test/fixtures/plans/big-200.plan.json: eight specs and a 24-way fan-out) is imported beside
// the demo's tasks, and the dashboard must show it first at a zoom its words can be read at, and
// fitted whole in the panel on "0" (its graph wholly inside the panel's box), the fan-out folded
// into one node that counts its parts, unfolded by a click and folded back by another, the
// critical path highlighted, and keyboard zoom and fit working. Its screenshot is docs/images/dashboard-200.png
// (test-results/e2e/dashboard-200.png, copied by hand like the others).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { loadPlan } from '../../src/core/plan/loadPlan';
import { repoRoot } from '../support/repoRoot';
import type { CheckList } from './checkList';
import { notification, runPaletteCommandWithLabel, statusBarItem, webviewContent } from './workbench';

const BIG_PLAN = 'big-200.plan.json';
const BIG_PLAN_TASKS = 200;
const FAN_OUT_PARENT = 'TASK-101-22';

export interface BigPlanCheckContext {
  readonly page: Page;
  readonly checks: CheckList;
  readonly resultsDir: string;
  readonly workspace: string;
}

export async function bigPlanCheck({ page, checks, resultsDir, workspace }: BigPlanCheckContext): Promise<void> {
  const dashboard = webviewContent(page);
  const imported = await checks.check(`a ${BIG_PLAN_TASKS}-task plan (${BIG_PLAN}) imports beside the demo's tasks`, async () => {
    fs.copyFileSync(path.join(repoRoot(), 'test', 'fixtures', 'plans', BIG_PLAN), path.join(workspace, BIG_PLAN));
    // A follow-up of the previous check may still run: importing waits for it.
    await statusBarItem(page, /running/).first().waitFor({ state: 'hidden', timeout: 60_000 });
    // Through the file dialog (code-server's own): Quick Open's index would not list a file
    // written after the workbench loaded.
    await runPaletteCommandWithLabel(page, 'File: Open File...');
    const dialog = page.locator('.quick-input-widget');
    // The dialog fills its input with the folder once it has listed it: type the path after that.
    await dialog.locator('.quick-input-list .monaco-list-row').filter({ hasText: BIG_PLAN }).first().waitFor({ state: 'visible' });
    const input = dialog.locator('input');
    const file = path.join(workspace, BIG_PLAN);
    await input.fill(file);
    for (const deadline = Date.now() + 5_000; (await input.inputValue()) !== file; await page.waitForTimeout(200)) {
      if (Date.now() > deadline) throw new Error(`the file dialog's input says "${await input.inputValue()}"`);
    }
    await page.keyboard.press('Enter');
    await page.locator(`.tabs-container .tab[aria-label^="${BIG_PLAN}"]`).first().waitFor({ state: 'visible' });
    // The JSON language service reads the new 200-task file first; on a busy machine the
    // palette can miss its first command meanwhile, so it is tried twice.
    await runPaletteCommandWithLabel(page, 'Agent Orchestrator: Import Plan…').catch(async () => {
      await page.keyboard.press('Escape');
      await runPaletteCommandWithLabel(page, 'Agent Orchestrator: Import Plan…');
    });
    await notification(page, `Imported ${BIG_PLAN_TASKS} tasks in 8 specifications from ${BIG_PLAN}.`).waitFor({ state: 'visible' });
  }, 90_000);
  if (!imported) return;

  await checks.check('the dashboard fits the 200-task graph in its panel, folds the 24-way fan-out and highlights the critical path', async () => {
    await runPaletteCommandWithLabel(page, 'Agent Orchestrator: Open Dashboard');
    // Laid out in the worker: the last spec's last task appears once the layout is drawn.
    await dashboard.locator('[data-testid="graph-node"][data-task-id="TASK-108-22"]').waitFor({ state: 'attached', timeout: 60_000 });
    const folded = dashboard.locator(`[data-testid="graph-node"][data-task-id="${FAN_OUT_PARENT}"]`);
    const label = (await folded.getAttribute('aria-label')) ?? '';
    if (!label.startsWith(`${FAN_OUT_PARENT} (24 parts`)) throw new Error(`the fan-out's node says "${label}"`);
    // The parts have ids of their own: the engine's own plan loader says which they are.
    const plan = await loadPlan(path.join(repoRoot(), 'test', 'fixtures', 'plans', BIG_PLAN));
    const parts = plan.tasks.filter((task) => task.parentId === FAN_OUT_PARENT).map((task) => task.id);
    if (parts.length !== 24) throw new Error(`the plan has ${parts.length} parts under ${FAN_OUT_PARENT}, not 24`);
    const drawnParts = await dashboard.locator('[data-testid="graph-node"]').evaluateAll((nodes, ids) => nodes.filter((node) => ids.includes(node.getAttribute('data-task-id') ?? '')).length, parts);
    if (drawnParts !== 0) throw new Error(`${drawnParts} of the fan-out's parts are drawn while it is folded`);
    const critical = await dashboard.locator('[data-testid="graph-node"].critical').count();
    if (critical < 8) throw new Error(`only ${critical} nodes on the critical path (the plan's chains cross eight specs)`);
    await dashboard.locator('[data-testid="legend-critical-path"]').waitFor({ state: 'visible' });
    // Close a task's details if one is open, so the graph has the panel's width; then fit.
    const panel = dashboard.locator('[data-testid="graph-panel"]');
    await panel.focus();
    await page.keyboard.press('Escape');
    await dashboard.locator('[data-testid="dashboard-details"]').waitFor({ state: 'detached' });
    await panel.focus();
    const zoom = dashboard.locator('[data-testid="graph-zoom"]');
    // Shown first where its words can be read (viewport.ts READABLE_SCALE), from its start.
    const first = await zoom.textContent();
    if (Number.parseInt(first ?? '', 10) < 60) throw new Error(`the graph is first shown at ${first}, too small to read`);
    await page.keyboard.press('0');
    const fitted = await zoom.textContent();
    if (fitted === first) throw new Error(`"0" left the 200-task graph at ${fitted}: it does not fit there`);
    await page.keyboard.press('+');
    if ((await zoom.textContent()) === fitted) throw new Error(`"+" left the zoom at ${fitted}`);
    await page.keyboard.press('0');
    if ((await zoom.textContent()) !== fitted) throw new Error(`"0" did not fit again: ${await zoom.textContent()}, fitted ${fitted}`);
    const panelBox = await panel.boundingBox();
    const graphBox = await dashboard.locator('.graph-layer').boundingBox();
    if (!panelBox || !graphBox) throw new Error('the graph is not on screen');
    const inside = graphBox.x >= panelBox.x - 1 && graphBox.y >= panelBox.y - 1 && graphBox.x + graphBox.width <= panelBox.x + panelBox.width + 1 && graphBox.y + graphBox.height <= panelBox.y + panelBox.height + 1;
    if (!inside) throw new Error(`the graph (${JSON.stringify(graphBox)}) is not inside its panel (${JSON.stringify(panelBox)})`);
    await runPaletteCommandWithLabel(page, 'Notifications: Clear All Notifications');
    await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden' }).catch(() => undefined);
    await page.mouse.move(0, 0);
    await page.waitForTimeout(600);
    await page.locator('.part.editor').screenshot({ path: path.join(resultsDir, 'dashboard-200.png') });
  }, 120_000);

  await checks.check('a click on the folded fan-out shows its 24 parts, and a click on their parent folds them back', async () => {
    const parent = dashboard.locator(`[data-testid="graph-node"][data-task-id="${FAN_OUT_PARENT}"]`);
    // The parts have task ids of their own (src/core/plan/buildPlan.ts): counted as the graph's nodes.
    const nodes = dashboard.locator('[data-testid="graph-node"]');
    const waitForNodes = async (count: number, what: string) => {
      for (const deadline = Date.now() + 60_000; (await nodes.count()) !== count; await page.waitForTimeout(250)) {
        if (Date.now() > deadline) throw new Error(`${what}: ${await nodes.count()} nodes drawn, expected ${count}`);
      }
    };
    const whenFolded = await nodes.count();
    // Through the keyboard (Enter activates a node as a click does): at the fitted zoom a
    // click could land on a neighbour.
    await parent.focus();
    await page.keyboard.press('Enter');
    await waitForNodes(whenFolded + 24, 'unfolded');
    const unfolded = (await parent.getAttribute('aria-label')) ?? '';
    if (!unfolded.includes('Press Enter to fold its parts')) throw new Error(`the unfolded parent says "${unfolded}"`);
    await parent.focus();
    await page.keyboard.press('Enter');
    await waitForNodes(whenFolded, 'folded back');
    const folded = (await parent.getAttribute('aria-label')) ?? '';
    if (!folded.startsWith(`${FAN_OUT_PARENT} (24 parts`)) throw new Error(`folded back, the node says "${folded}"`);
    await page.keyboard.press('Escape');
  }, 120_000);
}
