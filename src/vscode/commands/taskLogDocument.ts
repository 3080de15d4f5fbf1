// What Show Task Log opens when an attempt failed or ran a verify command: one read-only document
// that says why the task failed first, then the verify command's output (its own `.verify.log`,
// which the agent's log does not contain), then the setup and agent logs. A task that simply
// succeeded without a verify command opens its agent log file itself.
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TaskView } from '../../core';

export const TASK_LOG_SCHEME = 'agent-orchestrator-log';

/** The attempt's log files that exist, agent log last: `<task>-a<n>.verify.log`, `.setup.log` beside `<task>-a<n>.log`. */
export function attemptLogs(agentLog: string): Array<{ readonly label: string; readonly path: string }> {
  const base = agentLog.replace(/\.log$/, '');
  return [
    { label: 'verify command', path: `${base}.verify.log` },
    { label: 'worktree setup', path: `${base}.setup.log` },
    { label: 'agent', path: agentLog },
  ].filter((log) => existsSync(log.path));
}

/** The combined document's URI, or undefined when the agent log alone tells the whole story. */
export function combinedLogUri(row: TaskView): vscode.Uri | undefined {
  const agentLog = row.latestAttempt?.logPath;
  if (!agentLog) return undefined;
  const logs = attemptLogs(agentLog);
  if (!row.errorMessage && logs.length <= 1) return undefined;
  const query = new URLSearchParams({ log: agentLog, error: row.errorMessage ?? '', status: row.displayStatus });
  return vscode.Uri.from({ scheme: TASK_LOG_SCHEME, path: `/${row.taskId}-attempt-${row.latestAttempt?.attemptNumber ?? 0}.log`, query: query.toString() });
}

export class TaskLogDocuments implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const query = new URLSearchParams(uri.query);
    const agentLog = query.get('log') ?? '';
    const error = query.get('error') ?? '';
    const parts: string[] = [];
    if (error) parts.push(`Why it ${query.get('status') === 'failed' ? 'failed' : `is ${query.get('status') ?? 'not completed'}`}: ${error}`, '');
    for (const log of attemptLogs(agentLog)) {
      let text: string;
      try {
        text = readFileSync(log.path, 'utf8');
      } catch (readError) {
        text = `(could not read it: ${readError instanceof Error ? readError.message : String(readError)})`;
      }
      parts.push(`──── ${log.label} output: ${log.path} ────`, text.trimEnd(), '');
    }
    return parts.join('\n');
  }
}
