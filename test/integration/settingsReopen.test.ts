// A settings change reopens the workspace's orchestrator (src/vscode/session/OrchestratorSession.ts):
// a command that runs at that moment must still succeed. It used to fail with "database … is
// closed" when the import held the orchestrator that the reopen closed under it (seen when a
// setting changed right before an import). Here the setting changes and the import runs at
// once, several times over, on a database of the test's own (the databasePath setting), so no
// other suite's tasks are touched.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { testingApi, waitFor, workspaceRoot, type TestingApi } from './helpers';

const ROUNDS = 6;
const TASKS = 300;

describe('a settings change while a command runs', function () {
  this.timeout(180_000);
  let api: TestingApi;
  let scratch: string;
  let databasePath: string;
  const config = () => vscode.workspace.getConfiguration('agentOrchestrator');
  const planFile = () => path.join(workspaceRoot(), 'settings-reopen.plan.md');

  before(async () => {
    api = await testingApi();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ao-reopen-'));
    databasePath = path.join(scratch, 'db', 'orchestrator.db');
    await config().update('databasePath', databasePath, vscode.ConfigurationTarget.Workspace);
    await api.session.open();
    await waitFor("the session to open the test's own database", () => api.session.orchestrator?.databasePath === databasePath, 30_000);
  });

  after(async () => {
    for (const key of ['databasePath', 'maxParallel'] as const) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(planFile(), { force: true });
  });

  it(`imports succeed while a setting changes at the same moment (${ROUNDS} rounds), and the new setting applies`, async () => {
    const errors: string[] = [];
    const record = (error: unknown): undefined => {
      errors.push(error instanceof Error ? error.message : String(error));
      return undefined;
    };
    for (let round = 1; round <= ROUNDS; round++) {
      // Big enough that the import is still writing when the settings change arrives.
      const extra = Array.from({ length: TASKS - 1 }, (_, k) => `- [ ] TASK-71-${k + 2}: Filler ${k + 2} {files: f${k + 2}.txt}\n  write f${k + 2}.txt: ${round}\n`).join('');
      fs.writeFileSync(planFile(), `# Reopen\n\n## SPEC-071: Round ${round}\n\n- [ ] TASK-71-1: Task of round ${round} {files: r.txt}\n  write r.txt: ${round}\n${extra}`);
      // The command's handler reports a failure to the user and resolves undefined (commandSupport.ts).
      // Odd rounds: both at once. Even rounds: the import right after the change is written (its
      // event has reached the extension, and the reopen is under way).
      const update = config().update('maxParallel', 1 + (round % 3), vscode.ConfigurationTarget.Workspace).then(undefined, record);
      if (round % 2 === 0) await update;
      const [, summary] = await Promise.all([update, vscode.commands.executeCommand<{ tasks: number } | undefined>('agentOrchestrator.importPlan', vscode.Uri.file(planFile())).then(undefined, record)]);
      assert.deepEqual(errors, [], `round ${round}`);
      assert.equal(summary?.tasks, TASKS, `round ${round}: the import returned ${JSON.stringify(summary)}`);
      // The imported task is in the database the session has open now, under this round's title.
      const title = await waitFor(`round ${round}'s task`, () => {
        const row = api.session.orchestrator?.planTasks().find((task) => task.id === 'TASK-71-1');
        return row?.title.endsWith(`round ${round}`) ? row.title : undefined;
      }, 30_000);
      assert.equal(title, `Task of round ${round}`);
    }
    // The last change is the one in force once the reopens have settled.
    const wanted = 1 + (ROUNDS % 3);
    await waitFor(`maxParallel ${wanted} in the open orchestrator`, () => api.session.orchestrator?.settings.maxParallel === wanted, 30_000);
    assert.equal(api.session.mode, 'writer');
  });
});
