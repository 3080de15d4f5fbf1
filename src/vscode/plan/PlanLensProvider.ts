// The CodeLens of a plan file: status and actions above each task, progress and Run Spec above
// each spec, "plan changed — re-import" at the top (what they say: planLensModel.ts). Rows come
// from the tree's in-memory model; the lenses are asked for again, debounced, when it reloads or
// re-renders (running tasks' durations tick there).
import * as vscode from 'vscode';
import type { OrchestratorSession } from '../session/OrchestratorSession';
import type { TaskTreeModel } from '../tree/TaskTreeModel';
import { planLenses } from './planLensModel';
import type { PlanOutlines } from './planDocuments';
import type { PlanSync } from './planSync';

export class PlanLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly session: OrchestratorSession,
    private readonly model: TaskTreeModel,
    private readonly outlines: PlanOutlines,
    private readonly sync: PlanSync,
    debounceMs = 250,
  ) {
    const later = () => {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.changed.fire();
      }, debounceMs);
    };
    this.subscriptions = [model.onDidLoad(later), model.onDidChange(later), session.onDidChangeState(later)];
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const outline = await this.outlines.get(document);
    const file = document.uri.fsPath;
    const imported = this.sync.imported(file);
    const stale = imported && (await this.sync.isStale(document));
    const models = planLenses({
      outline,
      imported,
      stale,
      file: document.uri,
      row: (taskId) => this.model.task(taskId),
      review: (taskId) => ({ state: this.model.review(taskId)?.state }),
      running: this.session.isRunning,
      now: Date.now(),
    });
    return models.map(
      (lens) => new vscode.CodeLens(new vscode.Range(lens.line, 0, lens.line, 0), { title: lens.title, command: lens.command, arguments: [...lens.args], tooltip: lens.tooltip }),
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
