// The host-crash suites' entry point, loaded by the extension host as extensionTestsPath (see
// test/runners/runHostCrash.ts). HOST_CRASH_PHASE picks the suite: phase1.test.js starts a run
// and then this host waits to be killed — run() never returns, so the workbench never reports an
// exit; phase2.test.js checks the recovery in the next host. Each phase writes its counts to
// HOST_CRASH_DIR, since phase 1 has no exit status to report them with. Like
// test/integration/index.ts otherwise (mocha, the same first and summary lines).
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { summaryLine } from '../support/summaryLine';
import { SUITE_START_PREFIX } from '../integration/suiteOutput';
import { PHASE_ENV, resultFile, sharedDir, writeJsonAtomically, type PhaseResult } from './protocol';

export async function run(): Promise<void> {
  const phase = process.env[PHASE_ENV];
  if (phase !== '1' && phase !== '2') throw new Error(`${PHASE_ENV} must be 1 or 2, not ${JSON.stringify(phase)}`);
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 30_000, forbidOnly: true });
  mocha.addFile(path.join(__dirname, `phase${phase}.test.js`));
  console.log(`${SUITE_START_PREFIX}host crash, phase ${phase} (extension host pid ${process.pid}) in ${vscode.env.appName} ${vscode.version}`);

  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats ?? { suites: 0, tests: 0, passes: 0, pending: 0, failures: 0 }));
  });
  const result: PhaseResult = { passed: stats.passes, failed: stats.failures + (stats.passes === 0 && stats.failures === 0 ? 1 : 0) };
  writeJsonAtomically(path.join(sharedDir(), resultFile(phase)), result);
  console.log(summaryLine({ passed: stats.passes, failed: stats.failures, skipped: stats.pending }));
  if (result.failed > 0) throw new Error(`phase ${phase}: ${result.failed} test(s) failed`);
  // Phase 1's agents are at work: this host now waits for the runner's SIGKILL.
  if (phase === '1') await new Promise<never>(() => undefined);
}
