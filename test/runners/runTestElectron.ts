// Runs the same integration suite in desktop VS Code through @vscode/test-electron, for machines
// that have (or can download) a desktop build. These CI machines cannot: use runCodeServer there.
//   node out/test/runners/runTestElectron.js   (npm run test:integration:electron builds first)
// Env: VSCODE_EXECUTABLE_PATH (a desktop VS Code binary; without it test-electron downloads
// the latest stable into .vscode-test/), TEST_HOST_TIMEOUT_MS (default 10 min). On Linux
// without a display, run it under `xvfb-run -a`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { repoRoot } from '../support/repoRoot';
import { integrationSuiteEntry, prepareTestDirs } from './testWorkspace';
import { DeadlineError, Teardown, overallTimeoutMs, withDeadline } from './teardown';

async function main(): Promise<number> {
  const root = repoRoot();
  const testsEntry = integrationSuiteEntry(root);
  if (testsEntry === undefined) return 1;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.warn('no DISPLAY: desktop VS Code needs one; if it fails to start, run this under `xvfb-run -a`');
  }
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH || undefined;
  if (vscodeExecutablePath && !fs.existsSync(vscodeExecutablePath)) {
    console.error(`VSCODE_EXECUTABLE_PATH=${vscodeExecutablePath} does not exist`);
    return 1;
  }

  const teardown = new Teardown();
  try {
    const dirs = await prepareTestDirs('electron');
    teardown.add('remove temporary folders', () => dirs.remove());
    const run = runTests({
      vscodeExecutablePath,
      cachePath: path.join(root, '.vscode-test'),
      extensionDevelopmentPath: root,
      extensionTestsPath: testsEntry,
      launchArgs: [dirs.workspace, `--user-data-dir=${dirs.userDataDir}`, `--extensions-dir=${dirs.extensionsDir}`],
    });
    await withDeadline(run, overallTimeoutMs(10 * 60_000), 'the integration run (TEST_HOST_TIMEOUT_MS)');
    return 0;
  } catch (error) {
    if (teardown.interrupted) return 1;
    if (error instanceof TestRunFailedError) return typeof error.code === 'number' && error.code !== 0 ? error.code : 1;
    const hint = error instanceof DeadlineError || vscodeExecutablePath ? '' : '\n(no VS Code could be downloaded? set VSCODE_EXECUTABLE_PATH to a desktop VS Code binary)';
    console.error(`integration run failed: ${(error as Error).message}${hint}`);
    return 1;
  } finally {
    await teardown.run();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
