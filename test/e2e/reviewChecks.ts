// The e2e checks of review in VS Code, after the demo run of runE2e.ts: the dashboard's "Open
// Review" opens a task's changes in the multi-file diff editor (docs/images/review.png), and two
// tasks that write the same file get the tree's warning and the dashboard's dashed red edge
// (docs/images/conflict.png). The screenshots land in test-results/e2e/ like the others.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { CheckList } from './checkList';
import { openFileByName, runPaletteCommandWithLabel, sideBarView, statusBarItem, treeRows, webviewContent } from './workbench';

const CONFLICT_PLAN = 'conflict.plan.md';
/** Two tasks that declare different files but both write src/greeting.txt, differently. */
const CONFLICT_PLAN_TEXT = `# Two agents, one file

## SPEC-003: Greeting styles

- [ ] TASK-3-1: Greet formally {files: src/formal.js}
  write src/formal.js: module.exports = (name) => \`Good day, \${name}.\`
  write src/greeting.txt: Good day
  sleep 2s
- [ ] TASK-3-2: Greet casually {files: src/casual.js}
  write src/casual.js: module.exports = (name) => \`Hi \${name}!\`
  write src/greeting.txt: Hi there
  sleep 2s
`;

/**
 * Puts the second plan into the workspace before the workbench starts: Quick Open's file index
 * would not list a file written after it loaded.
 */
export function prepareReviewWorkspace(workspace: string): void {
  fs.writeFileSync(path.join(workspace, CONFLICT_PLAN), CONFLICT_PLAN_TEXT);
}

export interface ReviewCheckContext {
  readonly page: Page;
  readonly checks: CheckList;
  readonly resultsDir: string;
  /** How many tasks the status bar counts before these checks add theirs. */
  readonly countedBefore: number;
}

export async function reviewChecks({ page, checks, resultsDir, countedBefore }: ReviewCheckContext): Promise<void> {
  const dashboard = webviewContent(page);
  const tasks = sideBarView(page, 'Tasks');

  // TASK-2-2 appends its API section to README.md: a modified file, both sides shown.
  await checks.check('the dashboard lists TASK-2-2’s changed file and "Open Review" opens it in the multi-file diff editor', async () => {
    await runPaletteCommandWithLabel(page, 'Agent Orchestrator: Open Dashboard');
    const node = dashboard.locator('[data-testid="graph-node"][data-task-id="TASK-2-2"]');
    await node.waitFor({ state: 'visible' });
    const details = dashboard.locator('[data-testid="dashboard-details"]');
    if ((await details.locator('h2').getByText('TASK-2-2').count()) === 0) await node.click();
    const file = details.locator('[data-testid="details-changes"] li[data-path="README.md"]');
    await file.waitFor({ state: 'visible' });
    const counts = (await file.locator('.change-counts').textContent()) ?? '';
    if (!/^\+[1-9]\d* −0$/.test(counts)) throw new Error(`README.md shows "${counts}", expected added lines and none deleted`);
    if (!((await file.getAttribute('class')) ?? '').includes('kind-modified')) throw new Error('README.md is not shown as modified');
    await details.locator('dd').getByText('not merged yet', { exact: true }).waitFor({ state: 'visible' });
    await details.locator('[data-testid="open-review"]').click();
    await page.locator('.tabs-container .tab[aria-label^="Review TASK-2-2"]').first().waitFor({ state: 'visible' });
    // The multi-file diff editor shows the file with the appended section on the right
    // (Monaco renders spaces as non-breaking ones, hence the dots).
    await page.locator('.part.editor').getByText('README.md').first().waitFor({ state: 'visible' });
    await page.locator('.part.editor .view-line').getByText(/returns.`Hello,.<name>!`/).first().waitFor({ state: 'visible' });
    // The tree shows the same file under the task.
    const row = treeRows(tasks).filter({ has: page.locator('.label-name', { hasText: 'Document the API in the README' }) });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    await treeRows(tasks).filter({ has: page.locator('.label-name', { hasText: 'README.md' }) }).first().waitFor({ state: 'visible' });
    await quiet(page);
    await page.screenshot({ path: path.join(resultsDir, 'review.png') });
  });

  const imported = await checks.check(`a second plan (${CONFLICT_PLAN}) with two tasks writing the same file imports and runs`, async () => {
    await openFileByName(page, CONFLICT_PLAN);
    await runPaletteCommandWithLabel(page, 'Agent Orchestrator: Import Plan…');
    await treeRows(tasks).filter({ has: page.locator('.label-name', { hasText: 'Greet casually' }) }).waitFor({ state: 'visible' });
    await runPaletteCommandWithLabel(page, 'Agent Orchestrator: Run All');
    const total = countedBefore + 2;
    await statusBarItem(page, `${total}/${total} done`).waitFor({ state: 'visible', timeout: 60_000 });
  }, 90_000);
  if (!imported) return;

  await checks.check('the radar’s pair shows as the tree’s warning on both tasks and a dashed red edge naming the file in the dashboard', async () => {
    for (const title of ['Greet formally', 'Greet casually']) {
      const row = treeRows(tasks).filter({ has: page.locator('.label-name', { hasText: title }) });
      await row.waitFor({ state: 'visible' });
      // The radar's FileDecoration: VS Code draws its badge on the label as `monaco-decoration-*`.
      await row.locator('.monaco-icon-label[class*="monaco-decoration"]').first().waitFor({ state: 'attached', timeout: 20_000 });
    }
    await runPaletteCommandWithLabel(page, 'Agent Orchestrator: Open Dashboard');
    await dashboard.locator('[data-testid="overlap-edge"][data-from="TASK-3-1"][data-to="TASK-3-2"]').waitFor({ state: 'attached', timeout: 20_000 });
    const pair = dashboard.locator('[data-testid="overlap-pair"][data-pair="TASK-3-1|TASK-3-2"]');
    await pair.waitFor({ state: 'visible' });
    const words = (await pair.textContent()) ?? '';
    if (!words.includes('src/greeting.txt') || !words.includes('their branches conflict')) throw new Error(`the radar's line says "${words}"`);
    await dashboard.locator('[data-testid="graph-node"][data-task-id="TASK-3-1"]').click();
    await dashboard.locator('[data-testid="dashboard-details"] [data-testid="details-changes"]').waitFor({ state: 'visible' });
    await quiet(page);
    await page.screenshot({ path: path.join(resultsDir, 'conflict.png') });
  });
}

/**
 * A review comment the way a user writes one: in TASK-2-2's review, on a line of the right side,
 * "Add Comment", then "Send Comments to Agent" on the thread. Last of the checks: the task goes
 * back in the queue.
 */
export async function commentCheck(page: Page, checks: CheckList): Promise<void> {
  await checks.check('a comment on a line of TASK-2-2’s review goes to its agent: "Add Comment", then "Send Comments to Agent" requeues the task', async () => {
    await runPaletteCommandWithLabel(page, 'Agent Orchestrator: Open Dashboard');
    const dashboard = webviewContent(page);
    await dashboard.locator('[data-testid="graph-node"][data-task-id="TASK-2-2"]').click();
    await dashboard.locator('[data-testid="open-review"]').click();
    const line = page.locator('.part.editor .view-line').getByText(/returns.`Hello,.<name>!`/).first();
    await line.waitFor({ state: 'visible' });
    await line.click();
    await clickCommentGlyph(page, line);
    const widget = page.locator('.part.editor .review-widget').first();
    await widget.waitFor({ state: 'visible' });
    await page.keyboard.type('Mention the translations by language.');
    await widget.getByRole('button', { name: 'Add Comment' }).click();
    await widget.locator('.review-comment-contents').getByText('Mention the translations by language.').waitFor({ state: 'visible' });
    await widget.locator('.action-label[aria-label="Send Comments to Agent"]').click();
    await page.locator('.notifications-toasts').getByText(/Follow-up recorded for TASK-2-2/).first().waitFor({ state: 'visible' });
    await widget.waitFor({ state: 'detached', timeout: 10_000 });
    // Back in the queue: the tree row is no longer completed.
    const row = page.locator('.part.sidebar .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: 'Document the API in the README' }) }).first();
    for (const deadline = Date.now() + 10_000; ; await page.waitForTimeout(250)) {
      const label = (await row.getAttribute('aria-label')) ?? '';
      if (label !== '' && !label.endsWith(', completed')) break;
      if (Date.now() > deadline) throw new Error(`TASK-2-2's row still says "${label}"`);
    }
  });
}

/**
 * Clicks the "+" VS Code draws beside a line that takes comments (the commenting range the
 * extension provides): the `.comment-range-glyph` in the gutter on that line's row.
 */
async function clickCommentGlyph(page: Page, line: ReturnType<Page['locator']>): Promise<void> {
  const box = await line.boundingBox();
  if (!box) throw new Error('the line is not on screen');
  const middle = box.y + box.height / 2;
  const glyphs = page.locator('.part.editor .margin-view-overlays .comment-range-glyph');
  for (const deadline = Date.now() + 10_000; ; await page.waitForTimeout(200)) {
    await page.mouse.move(box.x + 4, middle);
    for (let i = 0; i < (await glyphs.count()); i++) {
      const glyph = await glyphs.nth(i).boundingBox();
      if (glyph && Math.abs(glyph.y + glyph.height / 2 - middle) < box.height / 2) {
        await page.mouse.move(glyph.x + glyph.width / 2, middle);
        await page.mouse.click(glyph.x + glyph.width / 2, middle);
        return;
      }
    }
    if (Date.now() > deadline) throw new Error('no commenting "+" beside the line: the right side takes no comments');
  }
}

/** No toasts or hovers over the screenshot. */
async function quiet(page: Page): Promise<void> {
  await runPaletteCommandWithLabel(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden' }).catch(() => undefined);
  await page.mouse.move(0, 0);
  await page.waitForTimeout(600);
}
