// Task ids in a plan file as code: a hover with the task's state (the tree's tooltip,
// src/vscode/tree/taskPresentation.ts), Go to Definition to the task's line, Find References to
// every `after:` / `dependsOn` naming it, and the outline of specs and their tasks.
import * as vscode from 'vscode';
import type { OutlineTask, PlanOutline } from '../../core';
import { taskTooltip } from '../tree/taskPresentation';
import type { TaskTreeModel } from '../tree/TaskTreeModel';
import { taskIdAt, toRange, type PlanOutlines } from './planDocuments';

export class PlanNavigation implements vscode.HoverProvider, vscode.DefinitionProvider, vscode.ReferenceProvider, vscode.DocumentSymbolProvider {
  constructor(
    private readonly model: TaskTreeModel,
    private readonly outlines: PlanOutlines,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const at = taskIdAt(document, position);
    if (!at) return undefined;
    const row = this.model.task(at.id);
    if (row) return new vscode.Hover(taskTooltip(row, this.model.progress(at.id)), at.range);
    const task = (await this.outlines.get(document)).tasks.find((candidate) => candidate.id === at.id);
    const text = task ? `**${at.id}** — ${task.title}\n\nNot imported yet.` : `**${at.id}**: no such task in this plan.`;
    return new vscode.Hover(new vscode.MarkdownString(text), at.range);
  }

  async provideDefinition(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Location | undefined> {
    const at = taskIdAt(document, position);
    const task = at && (await this.outlines.get(document)).tasks.find((candidate) => candidate.id === at.id);
    return task ? new vscode.Location(document.uri, toRange(task.idSpan)) : undefined;
  }

  async provideReferences(document: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): Promise<vscode.Location[]> {
    const at = taskIdAt(document, position);
    if (!at) return [];
    const outline = await this.outlines.get(document);
    const locations: vscode.Location[] = [];
    if (context.includeDeclaration) {
      for (const task of outline.tasks) if (task.id === at.id) locations.push(new vscode.Location(document.uri, toRange(task.idSpan)));
    }
    for (const task of outline.tasks) {
      for (const ref of task.after) if (ref.id === at.id) locations.push(new vscode.Location(document.uri, toRange(ref.span)));
    }
    return locations;
  }

  async provideDocumentSymbols(document: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
    return symbolsOf(await this.outlines.get(document));
  }
}

function symbolsOf(outline: PlanOutline): vscode.DocumentSymbol[] {
  return outline.specs.map((spec) => {
    // From the heading to the end of its last task: the outline nests the tasks inside.
    const range = spec.tasks.reduce((union, task) => union.union(toRange(task.span)), toRange(spec.span));
    const symbol = new vscode.DocumentSymbol(spec.id, spec.title, vscode.SymbolKind.Namespace, range, toRange(spec.idSpan).intersection(range) ?? range);
    symbol.children = spec.tasks.map(taskSymbol);
    return symbol;
  });
}

function taskSymbol(task: OutlineTask): vscode.DocumentSymbol {
  const range = toRange(task.span);
  return new vscode.DocumentSymbol(task.id, task.title, vscode.SymbolKind.Function, range, toRange(task.idSpan).intersection(range) ?? range);
}
