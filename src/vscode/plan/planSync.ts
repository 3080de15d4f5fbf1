// Whether a plan file is imported, and whether its text still says what the database holds.
// The database keeps each spec's and task's plan file and every field of the plan
// (src/core/store/planImport.ts), so "changed" is judged on meaning rather than bytes: the open
// text is parsed as the import would parse it and compared with the stored plan. A new line of
// prose is no change; a new task, an edited prompt or a moved task is. The stored plan is read
// again only after the store reports a change, never per keystroke or per lens.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parsePlan, type PlanSpec, type PlanTask } from '../../core';
import type { OrchestratorSession } from '../session/OrchestratorSession';

interface StoredPlan {
  readonly specs: readonly PlanSpec[];
  readonly tasks: readonly PlanTask[];
}

export class PlanSync implements vscode.Disposable {
  private stored: Map<string, StoredPlan> | undefined;
  /** Bumped whenever the store changes: cached verdicts older than it are judged again. */
  private generation = 0;
  private readonly verdicts = new Map<string, { readonly key: string; readonly stale: Promise<boolean> }>();
  private readonly subscription: vscode.Disposable;

  /** `dispatched`: whether the orchestrator has the task (from the rows the tree keeps in memory). */
  constructor(
    private readonly session: OrchestratorSession,
    private readonly dispatched: (taskId: string) => boolean,
  ) {
    this.subscription = session.onDidChangeData(() => {
      this.stored = undefined;
      this.generation += 1;
    });
  }

  /** Whether the database holds a plan imported from this file. */
  imported(file: string): boolean {
    return this.plans().has(normalize(file));
  }

  /** Whether importing the document's text again would change the stored plan. */
  isStale(document: vscode.TextDocument): Promise<boolean> {
    const file = document.uri.fsPath;
    const key = `${document.version}/${this.generation}`;
    const cached = this.verdicts.get(file);
    if (cached?.key === key) return cached.stale;
    const stale = this.judge(document.getText(), file);
    this.verdicts.set(file, { key, stale });
    return stale;
  }

  private async judge(text: string, file: string): Promise<boolean> {
    const stored = this.plans().get(normalize(file));
    if (stored === undefined) return false;
    let parsed;
    try {
      parsed = await parsePlan(text, file, { baseDir: this.session.workspaceRoot });
    } catch {
      // A plan with problems is not what was imported; importing it shows the problems.
      return true;
    }
    const storedTasks = new Map(stored.tasks.map((task) => [task.id, task]));
    const parsedIds = new Set(parsed.tasks.map((task) => task.id));
    if (parsed.tasks.some((task) => storedTasks.get(task.id) === undefined || taskKey(task) !== taskKey(storedTasks.get(task.id)!))) return true;
    // A task gone from the text changes the store only while it never ran (the import keeps the others).
    if (stored.tasks.some((task) => !parsedIds.has(task.id) && !this.dispatched(task.id))) return true;
    const storedSpecs = new Map(stored.specs.map((spec) => [spec.id, spec]));
    return parsed.specs.some((spec) => storedSpecs.get(spec.id) === undefined || specKey(spec) !== specKey(storedSpecs.get(spec.id)!));
  }

  /** The stored plans by file, read once per store change. */
  private plans(): Map<string, StoredPlan> {
    if (this.stored) return this.stored;
    const plans = new Map<string, { specs: PlanSpec[]; tasks: PlanTask[] }>();
    const orchestrator = this.session.orchestrator;
    const root = this.session.workspaceRoot;
    const planOf = (file: string) => {
      const key = normalize(path.resolve(root, file));
      let plan = plans.get(key);
      if (!plan) plans.set(key, (plan = { specs: [], tasks: [] }));
      return plan;
    };
    try {
      for (const spec of orchestrator?.specs() ?? []) if (spec.location.file) planOf(spec.location.file).specs.push(spec);
      for (const task of orchestrator?.planTasks() ?? []) if (task.location.file) planOf(task.location.file).tasks.push(task);
    } catch {
      // The database is closing or reopening; its change event follows and clears this.
      return plans;
    }
    this.stored = plans;
    return plans;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

function normalize(file: string): string {
  const resolved = path.resolve(file);
  return process.platform === 'win32' || process.platform === 'darwin' ? resolved.toLowerCase() : resolved;
}

/** Every field the import stores, in a fixed order. */
function taskKey(task: PlanTask): string {
  return JSON.stringify([
    task.specId,
    task.title,
    task.prompt,
    task.priority,
    task.estimatedHours,
    [...task.dependsOn].sort(),
    task.agent ?? null,
    task.files,
    task.verify ?? null,
    task.parentId ?? null,
    task.strategy ?? null,
    task.threshold ?? null,
    task.fanOut ?? null,
    task.done === true,
    task.location.line,
  ]);
}

function specKey(spec: PlanSpec): string {
  return JSON.stringify([spec.title, spec.description, spec.location.line]);
}
