// Where things are in VS Code 1.100's web workbench. Selectors live here so a VS Code update
// means changing one file, not every check.
import type { Locator, Page } from 'playwright-core';

export function activityBarItem(page: Page, title: string): Locator {
  return page.locator('.part.activitybar li.action-item').filter({ has: page.locator(`a.action-label[aria-label="${title}"]`) });
}

/** A view's pane in the side bar; present whether or not its header is merged into the title. */
export function sideBarView(page: Page, viewName: string): Locator {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^${escapeRegExp(viewName)}$`) }) });
}

export function welcomeText(view: Locator, text: string): Locator {
  return view.locator('.welcome-view-content').getByText(text, { exact: true });
}

export async function runFromCommandPalette(page: Page, commandTitle: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${commandTitle}`);
  // Clicking the exact row, not pressing Enter: the first row is not necessarily the command.
  await page.locator(`.quick-input-list .monaco-list-row[aria-label="${commandTitle}"]`).click();
}

/** A notification toast showing exactly `message`, once its fade-in finished (for screenshots). */
export function notification(page: Page, message: string): Locator {
  return page.locator('.notifications-toasts .notification-toast.notification-fade-in-done .notification-list-item-message').getByText(message, { exact: true });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens a workspace file by name through Quick Open (Ctrl+P), the way a person would. */
export async function openFileByName(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  // Enter opens the first row: wait until the search has put the file there (recent files come first).
  await page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: fileName }).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab[aria-label^="${fileName}"]`).first().waitFor({ state: 'visible' });
}

/** Rows of a tree view, by their accessible label (which the extension sets per task). */
export function treeRows(view: Locator): Locator {
  return view.locator('.monaco-list-row');
}

/** A status-bar entry whose text includes `text`. */
export function statusBarItem(page: Page, text: string | RegExp): Locator {
  return page.locator('.part.statusbar .statusbar-item').filter({ hasText: text });
}

/**
 * The document inside a webview panel. VS Code web nests two iframes: the host frame
 * (`iframe.webview.ready`) and the page itself (`#active-frame`).
 */
export function webviewContent(page: Page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** The light or dark theme is applied: the workbench root carries `vs` or `vs-dark`. */
export function workbenchTheme(page: Page, kind: 'light' | 'dark'): Locator {
  return page.locator(kind === 'dark' ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs');
}

/** Runs a palette command whose row may also show a keybinding (so its aria-label is longer than the title). */
export async function runPaletteCommandWithLabel(page: Page, commandTitle: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${commandTitle}`);
  await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(commandTitle)}$`) }) }).first().click();
}

/** Switches the color theme through "Preferences: Color Theme", as a user would. */
export async function switchColorTheme(page: Page, themeLabel: string): Promise<void> {
  await runPaletteCommandWithLabel(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(themeLabel);
  await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(themeLabel)}$`) }) }).first().click();
}

/** Drags the sash between the side bar and the editor, so tree rows show their descriptions. */
export async function widenSideBar(page: Page, by: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const x = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + by / 2, y, { steps: 5 });
  await page.mouse.move(x + by, y, { steps: 5 });
  await page.mouse.up();
}
