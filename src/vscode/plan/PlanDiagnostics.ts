// Plan problems in the Problems panel, at their file and line, until the plan imports cleanly.
import * as vscode from 'vscode';
import type { PlanIssue } from '../../core';

export class PlanDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('agentOrchestrator.plan');

  show(issues: readonly PlanIssue[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const issue of issues) {
      const line = Math.max(0, issue.line - 1);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), issue.taskId ? `${issue.taskId}: ${issue.message}` : issue.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'Agent Orchestrator';
      const list = byFile.get(issue.file) ?? [];
      list.push(diagnostic);
      byFile.set(issue.file, list);
    }
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
  }

  clear(file: string): void {
    this.collection.delete(vscode.Uri.file(file));
  }

  dispose(): void {
    this.collection.dispose();
  }
}
