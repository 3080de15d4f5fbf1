// The e2e check of the plan as a live document (docs/plan-format.md#the-plan-as-a-live-document),
// after runE2e.ts's demo run: the demo plan open in the editor shows each task's state in a
// CodeLens; a task typed at its end brings up "plan changed — re-import"; clicking that lens
// imports it and the new task's "Run" lens runs it. The screenshot of the plan with its lenses
// while the task runs is test-results/e2e/plan-codelens.png (docs/images/plan-codelens.png).
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { CheckList } from './checkList';
import { openFileByName, runPaletteCommandWithLabel } from './workbench';

const DEMO_PLAN = 'demo.plan.md';
const NEW_TASK = `
- [ ] TASK-2-3: Proofread the README {after: TASK-2-2; files: docs/proofread.md}
  progress 1/2 reading the README
  sleep 12s
  progress 2/2 writing notes
  write docs/proofread.md: The README reads well.
`;

export async function planLensCheck(page: Page, checks: CheckList, resultsDir: string): Promise<void> {
  await checks.check(`${DEMO_PLAN} shows its tasks' state in CodeLens, offers a re-import after an edit and runs a task from its lens`, async () => {
    await runPaletteCommandWithLabel(page, 'View: Close All Editors');
    // Quick Open pressed while the palette is still closing types into the closing widget.
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 });
    await openFileByName(page, DEMO_PLAN);
    const editor = page.locator('.part.editor');
    const lens = (text: string | RegExp) => editor.locator('.codelens-decoration a').filter({ hasText: text });
    await lens(/completed · attempt 1/).first().waitFor({ state: 'visible', timeout: 20_000 });

    await editor.locator('.view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText(NEW_TASK);
    await page.keyboard.press('Control+S');
    // The re-import lens sits above the first line, scrolled out of view by the typing.
    await page.keyboard.press('Control+Home');
    await lens('plan changed — re-import').click({ timeout: 20_000 });
    // The import reveals the new task in the tree (taking the focus) and may rewrite the file
    // (the editor then reloads it): until the new task's lens shows, go back into the text and
    // find the task's line (lenses are drawn for visible lines only). Its end alone was not
    // enough: scrolled past the last line, the task's line and its lens sat just above the view
    // (screenshot of a failed run).
    const runLens = lens(/^\s*Run$/).first();
    for (const deadline = Date.now() + 30_000; !(await runLens.isVisible()); await page.waitForTimeout(500)) {
      if (Date.now() > deadline) throw new Error('no Run lens above the new task 30 s after the re-import');
      await editor.locator('.view-lines').first().click();
      await page.keyboard.press('Control+End');
      // Find reveals its match in the middle of the editor when it is out of view.
      await page.keyboard.press('Control+F');
      await page.keyboard.insertText('TASK-2-3: Proofread');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape');
    }
    await runLens.click({ timeout: 20_000 });
    await lens(/running/).first().waitFor({ state: 'visible', timeout: 30_000 });
    await runPaletteCommandWithLabel(page, 'Notifications: Clear All Notifications');
    // The agent's terminal opens in the panel: hide it, so the plan fills the editor.
    await runPaletteCommandWithLabel(page, 'View: Hide Panel').catch(() => page.keyboard.press('Escape'));
    await page.mouse.move(0, 0);
    await lens(/running/).first().waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(resultsDir, 'plan-codelens.png') });
    // The run ends before the next checks; the lens says so.
    await lens(/running/).first().waitFor({ state: 'hidden', timeout: 60_000 });
  }, 120_000);
}
