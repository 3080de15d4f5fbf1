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
