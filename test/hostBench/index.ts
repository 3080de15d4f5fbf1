// The host bench's entry point, loaded by VS Code's extension host as extensionTestsPath (see
// test/runners/runHostBench.ts): in a workspace whose database the runner pre-filled, import a
// plan of HOST_BENCH.tasks short scripted tasks, open the task tree and the dashboard as a user
// would, and run it all at maxParallel HOST_BENCH.maxParallel through the real Run All command,
// measuring this process's event loop (hostRun.ts). The figures go to HOST_BENCH_DIR; run()
// rejects, so the workbench reports a failure, if the run did not complete every task.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SUITE_START_PREFIX } from '../integration/suiteOutput';
import { testingApi, workspaceRoot } from '../integration/helpers';
import { hostBenchPlan } from './benchPlan';
import { measureRun } from './hostRun';
import { HOST_BENCH, HOST_BENCH_PROFILE_ENV, PROFILE_FILE, RESULT_FILE, sharedDir } from './protocol';

const PLAN_FILE = 'host-bench.plan.md';

export async function run(): Promise<void> {
  const shared = sharedDir();
  console.log(`${SUITE_START_PREFIX}host bench (extension host pid ${process.pid}) in ${vscode.env.appName} ${vscode.version}`);
  // The runner wrote the settings (benchSettings) before VS Code started: changing them here
  // would reopen the orchestrator the pre-filled database already opened at activation.
  const api = await testingApi();

  const planPath = path.join(workspaceRoot(), PLAN_FILE);
  fs.writeFileSync(planPath, hostBenchPlan(HOST_BENCH.tasks, HOST_BENCH.agentSleepMs));
  const summary = await vscode.commands.executeCommand<{ tasks: number }>('agentOrchestrator.importPlan', vscode.Uri.file(planPath));
  if (summary?.tasks !== HOST_BENCH.tasks) throw new Error(`the import made ${summary?.tasks} tasks, not ${HOST_BENCH.tasks}`);
  // What a user watching the run has on screen: the tree (so VS Code asks for its rows) and the dashboard.
  await vscode.commands.executeCommand('agentOrchestrator.tasks.focus');
  await vscode.commands.executeCommand('agentOrchestrator.openDashboard');

  const profile = process.env[HOST_BENCH_PROFILE_ENV] === '1' ? path.join(shared, PROFILE_FILE) : undefined;
  const result = await measureRun(api, profile);
  const file = path.join(shared, RESULT_FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(result, null, 2));
  fs.renameSync(`${file}.tmp`, file);
  console.log(
    `host bench: ${result.completed}/${result.tasks} completed in ${(result.run_ms / 1000).toFixed(1)} s; event loop delay p99 ${result.event_loop_delay_p99_ms} ms, max ${result.event_loop_delay_max_ms} ms`,
  );
  if (result.completed !== HOST_BENCH.tasks) throw new Error(`only ${result.completed} of ${HOST_BENCH.tasks} tasks completed (run ${result.run_status})`);
}
