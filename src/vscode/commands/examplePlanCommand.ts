// "Create Example Plan": the walkthrough's first step (package.json contributes.walkthroughs)
// writes examplePlanText.ts's plan as `example.plan.md` at the workspace root and opens it. A file
// of that name is never replaced: it is opened instead, whoever wrote it.
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommand, type CommandDeps } from './commandSupport';
import { EXAMPLE_PLAN, EXAMPLE_PLAN_FILE } from './examplePlanText';

/** What the command did (for tests and other extensions). */
export interface ExamplePlanResult {
  readonly file: string;
  /** False when the file was there already and was only opened. */
  readonly created: boolean;
}

export function registerExamplePlanCommand(deps: CommandDeps): vscode.Disposable {
  return registerCommand('agentOrchestrator.createExamplePlan', deps.log, () => createExamplePlan(deps));
}

async function createExamplePlan(deps: CommandDeps): Promise<ExamplePlanResult> {
  const file = path.join(deps.session.workspaceRoot, EXAMPLE_PLAN_FILE);
  let created = true;
  try {
    // 'wx': the check and the write are one step, so a file made meanwhile is not replaced either.
    await writeFile(file, EXAMPLE_PLAN, { encoding: 'utf8', flag: 'wx' });
    deps.log.info(`wrote ${file}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`could not write ${file}: ${error instanceof Error ? error.message : String(error)}`);
    created = false;
    deps.log.info(`${file} exists: opened, not replaced`);
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  if (!created) void vscode.window.showInformationMessage(`Agent Orchestrator: ${EXAMPLE_PLAN_FILE} exists already; it was opened, not replaced.`);
  return { file, created };
}
