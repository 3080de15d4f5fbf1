// Getting a plan in: import one (from the active editor, the explorer or a file picker), add a
// task to it, and open the plan-format docs.
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatTaskId, parseSpecNumber, parseTaskId, PlanValidationError } from '../../core';
import type { PlanDiagnostics } from '../plan/PlanDiagnostics';
import { insertTask } from '../plan/markdownPlanEdit';
import { registerCommand, writableOrchestrator, type CommandDeps } from './commandSupport';

export const PLAN_FILE = /\.plan\.(md|markdown|ya?ml|json)$/i;

export interface ImportSummary {
  readonly file: string;
  readonly specs: number;
  readonly tasks: number;
  readonly inserted: readonly string[];
  readonly updated: readonly string[];
  readonly removed: readonly string[];
}

/** Arguments for scripting New Task… (tests, other extensions); the palette asks instead. */
export interface NewTaskArgs {
  readonly specId: string;
  readonly specTitle?: string;
  readonly title: string;
  readonly dependsOn?: readonly string[];
  readonly prompt?: string;
}

export function registerPlanCommands(deps: CommandDeps, diagnostics: PlanDiagnostics): vscode.Disposable[] {
  const { log } = deps;
  return [
    registerCommand('agentOrchestrator.importPlan', log, (uri) => importPlan(deps, diagnostics, uri instanceof vscode.Uri ? uri : undefined)),
    registerCommand('agentOrchestrator.newTask', log, (args) => newTask(deps, diagnostics, isNewTaskArgs(args) ? args : undefined)),
    registerCommand('agentOrchestrator.openDocs', log, () =>
      vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(deps.extensionUri, 'docs', 'plan-format.md')),
    ),
  ];
}

async function importPlan(deps: CommandDeps, diagnostics: PlanDiagnostics, uri: vscode.Uri | undefined): Promise<ImportSummary | undefined> {
  const file = uri?.fsPath ?? (await planFromEditorOrPicker(deps));
  if (!file) return undefined;
  const open = vscode.workspace.textDocuments.find((doc) => doc.uri.fsPath === file);
  if (open?.isDirty) await open.save();
  const orchestrator = await writableOrchestrator(deps);
  if (!orchestrator) return undefined;
  let result;
  try {
    result = await orchestrator.importPlan(file);
  } catch (error) {
    if (error instanceof PlanValidationError) {
      diagnostics.show(error.issues);
      const problems = 'Show Problems';
      const count = error.issues.length;
      void vscode.window
        .showErrorMessage(`Agent Orchestrator: ${path.basename(file)} has ${count} problem${count === 1 ? '' : 's'}; nothing was imported. ${error.issues[0].message}`, problems)
        .then((choice) => (choice === problems ? vscode.commands.executeCommand('workbench.actions.view.problems') : undefined));
      deps.log.warn(error.message);
      return undefined;
    }
    throw error;
  }
  diagnostics.clear(file);
  deps.model.refresh();
  const { plan, saved } = result;
  const summary: ImportSummary = {
    file,
    specs: plan.specs.length,
    tasks: plan.tasks.length,
    inserted: saved.tasks.inserted,
    updated: saved.tasks.updated,
    removed: saved.tasks.removed,
  };
  deps.log.info(`imported ${file}: ${JSON.stringify(saved.tasks)}`);
  const runAll = 'Run All';
  void vscode.window
    .showInformationMessage(
      `Imported ${plan.tasks.length} task${plan.tasks.length === 1 ? '' : 's'} in ${plan.specs.length} specification${plan.specs.length === 1 ? '' : 's'} from ${path.basename(file)}.`,
      ...(vscode.workspace.isTrusted ? [runAll] : []),
    )
    .then((choice) => (choice === runAll ? vscode.commands.executeCommand('agentOrchestrator.runAll') : undefined));
  void vscode.commands.executeCommand('agentOrchestrator.tasks.focus');
  return summary;
}

async function planFromEditorOrPicker(deps: CommandDeps): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.uri.scheme === 'file' && PLAN_FILE.test(active.uri.fsPath)) return active.uri.fsPath;
  const picked = await vscode.window.showOpenDialog({
    title: 'Import a plan',
    openLabel: 'Import Plan',
    canSelectMany: false,
    defaultUri: deps.session.folder.uri,
    filters: { Plans: ['md', 'markdown', 'yaml', 'yml', 'json'] },
  });
  return picked?.[0]?.fsPath;
}

async function newTask(deps: CommandDeps, diagnostics: PlanDiagnostics, args: NewTaskArgs | undefined): Promise<string | undefined> {
  const orchestrator = await writableOrchestrator(deps);
  if (!orchestrator) return undefined;
  const planTasks = orchestrator.planTasks();
  const specs = orchestrator.specs();
  let planFile = planTasks[0]?.location.file ?? specs[0]?.location.file;
  if (planFile && !/\.(md|markdown)$/i.test(planFile)) {
    const openPlan = 'Open Plan';
    const choice = await vscode.window.showInformationMessage(`New Task… adds tasks to Markdown plans. Add the task to ${path.basename(planFile)} and import it again.`, openPlan);
    if (choice === openPlan) await vscode.window.showTextDocument(vscode.Uri.file(planFile));
    return undefined;
  }
  planFile ??= path.join(deps.session.workspaceRoot, 'tasks.plan.md');

  const input = args ?? (await askForTask(specs.map((s) => ({ id: s.id, title: s.title })), planTasks.map((t) => ({ id: t.id, title: t.title }))));
  if (!input) return undefined;
  const specNumber = parseSpecNumber(input.specId);
  if (specNumber === undefined) throw new Error(`${input.specId} is not a spec id like SPEC-001`);
  const taken = planTasks.map((t) => parseTaskId(t.id)).filter((id) => id?.spec === specNumber).map((id) => id!.task);
  const taskId = formatTaskId(specNumber, Math.max(0, ...taken) + 1);

  let text = '';
  try {
    text = await readFile(planFile, 'utf8');
  } catch {
    text = '# Plan\n';
  }
  const specTitle = input.specTitle ?? specs.find((s) => s.id === input.specId)?.title ?? 'New specification';
  await writeFile(planFile, insertTask(text, input.specId, specTitle, { taskId, title: input.title, dependsOn: input.dependsOn ?? [], prompt: input.prompt }), 'utf8');
  try {
    await orchestrator.importPlan(planFile);
  } catch (error) {
    if (error instanceof PlanValidationError) diagnostics.show(error.issues);
    throw error;
  }
  diagnostics.clear(planFile);
  deps.model.refresh();
  void vscode.window.showInformationMessage(`Added ${taskId} to ${path.basename(planFile)}.`);
  return taskId;
}

async function askForTask(specs: ReadonlyArray<{ id: string; title: string }>, tasks: ReadonlyArray<{ id: string; title: string }>): Promise<NewTaskArgs | undefined> {
  const NEW = '$(add) New specification…';
  const specPick = await vscode.window.showQuickPick([...specs.map((s) => ({ label: s.id, description: s.title })), { label: NEW, description: '' }], {
    title: 'New Task (1/3): specification',
    placeHolder: 'Which specification does the task belong to?',
  });
  if (!specPick) return undefined;
  let specId = specPick.label;
  let specTitle: string | undefined;
  if (specPick.label === NEW) {
    const next = Math.max(0, ...specs.map((s) => parseSpecNumber(s.id) ?? 0)) + 1;
    specId = `SPEC-${String(next).padStart(3, '0')}`;
    specTitle = await vscode.window.showInputBox({ title: `New Task: title of ${specId}`, prompt: 'What the specification is about', validateInput: (v) => (v.trim() ? undefined : 'A title is needed') });
    if (!specTitle) return undefined;
  }
  const title = await vscode.window.showInputBox({
    title: 'New Task (2/3): what should the agent do?',
    prompt: 'A one-line title; it is also the prompt unless you edit the plan to add more lines under it',
    validateInput: (v) => (v.trim() ? undefined : 'A title is needed'),
  });
  if (!title) return undefined;
  const picked =
    tasks.length === 0
      ? []
      : await vscode.window.showQuickPick(
          tasks.map((t) => ({ label: t.id, description: t.title })),
          { title: 'New Task (3/3): depends on (optional)', placeHolder: 'Tasks that must complete first; press Enter for none', canPickMany: true },
        );
  if (picked === undefined) return undefined;
  return { specId, specTitle, title: title.trim(), dependsOn: picked.map((p) => p.label) };
}

function isNewTaskArgs(value: unknown): value is NewTaskArgs {
  return typeof value === 'object' && value !== null && typeof (value as NewTaskArgs).specId === 'string' && typeof (value as NewTaskArgs).title === 'string';
}
