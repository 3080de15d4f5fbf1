// Shared by the integration tests (not a test file itself: index.ts loads only *.test.js).
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/vscode/extension';

export const EXTENSION_ID = 'agent-orchestrator.agent-orchestrator';

export type TestingApi = NonNullable<ExtensionApi['testing']>;

export async function extensionApi(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

export async function testingApi(): Promise<TestingApi> {
  const api = await extensionApi();
  if (!api.testing) throw new Error('the extension exposes no testing API (no workspace folder?)');
  return api.testing;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration suite needs a workspace folder');
  return folder.uri.fsPath;
}

/**
 * Polls `probe` until it returns something truthy; fails with `what` after the timeout. The
 * default is generous: on a loaded machine VS Code took 19 s to start the first task's terminal.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | null, timeoutMs = 45_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Prints a measurement where the runner forwards the suite's console (never asserted). */
export function report(name: string, value: string): void {
  console.log(`    [measure] ${name}: ${value}`);
}
