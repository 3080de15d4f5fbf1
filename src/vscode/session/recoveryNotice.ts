// Tells the user that a run whose window (or CLI) died was recovered, and offers the way on:
// resuming it (its interrupted tasks run again) or looking at it on the dashboard.
import * as vscode from 'vscode';
import type { RecoveryReport } from './abandonedRun';

export const RESUME_RUN = 'Resume Run';
export const OPEN_DASHBOARD = 'Open Dashboard';

export function recoveryMessage(report: RecoveryReport): string {
  const n = report.interrupted.length;
  const completed = report.completed.length > 0 ? `, ${report.completed.length} completed from work already committed` : '';
  const stopped = report.orphansStopped.length > 0 ? `, ${report.orphansStopped.length} orphaned agent${report.orphansStopped.length === 1 ? '' : 's'} stopped` : '';
  return `Agent Orchestrator recovered run ${report.runId ?? '(unknown)'} after its window closed: ${n} task${n === 1 ? '' : 's'} interrupted${completed}${stopped}.`;
}

export function showRecoveryNotice(report: RecoveryReport): void {
  void vscode.window.showWarningMessage(recoveryMessage(report), RESUME_RUN, OPEN_DASHBOARD).then((choice) => {
    if (choice === RESUME_RUN) return vscode.commands.executeCommand('agentOrchestrator.resumeRun');
    if (choice === OPEN_DASHBOARD) return vscode.commands.executeCommand('agentOrchestrator.openDashboard');
    return undefined;
  });
}
