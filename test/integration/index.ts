// The integration suite's entry point, loaded by VS Code's extension host as extensionTestsPath.
// It must not know which host runs it (code-server in a browser, or desktop VS Code through
// @vscode/test-electron): both call run() and report its outcome as the exit status.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { summaryLine } from '../support/summaryLine';
import { SUITE_START_PREFIX } from './suiteOutput';

export async function run(): Promise<void> {
  // The extension host's stdout is not a terminal; colour codes would only clutter CI logs.
  // forbidOnly: a forgotten `.only` must fail the run, not silently drop the other tests.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 30_000, forbidOnly: true });
  const files = testFiles(__dirname);
  if (files.length === 0) throw new Error(`no *.test.js files found in ${__dirname}`);
  for (const file of files) mocha.addFile(file);
  console.log(`${SUITE_START_PREFIX}${files.length} test file(s) in ${vscode.env.appName} ${vscode.version}`);

  let stats: Mocha.Stats;
  try {
    stats = await new Promise<Mocha.Stats>((resolve) => {
      const runner = mocha.run(() => resolve(runner.stats ?? emptyStats()));
    });
  } catch (error) {
    // A test file that throws while loading: say so here, where the runner shows it.
    console.error(`the integration suite could not run: ${error instanceof Error ? error.stack : String(error)}`);
    throw error;
  }
  console.log(summaryLine({ passed: stats.passes, failed: stats.failures, skipped: stats.pending }));
  if (stats.failures > 0) throw new Error(`${stats.failures} integration test(s) failed`);
  if (stats.passes === 0) throw new Error('no integration test ran');
}

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(full));
    else if (entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

function emptyStats(): Mocha.Stats {
  return { suites: 0, tests: 0, passes: 0, pending: 0, failures: 0 };
}
