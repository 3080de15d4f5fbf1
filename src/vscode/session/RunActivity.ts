// What the engine says while agents work but the database does not keep: each task's latest
// progress step and its last lines of output. The tree shows the progress, the dashboard both.
import * as vscode from 'vscode';
import { describeApiRetry, type OrchestratorEvent } from '../../core';

export interface TaskProgress {
  readonly step: number;
  readonly total: number;
  readonly message: string;
  /** The agent's CLI is retrying its API ("rate limited (429), retry 2/10"); cleared by progress. */
  readonly apiRetry?: string;
}

const TAIL_LINES = 200;

export class RunActivity implements vscode.Disposable {
  private readonly progressByTask = new Map<string, TaskProgress>();
  private readonly tails = new Map<string, string[]>();
  private readonly progressChanged = new vscode.EventEmitter<string>();
  private readonly outputAdded = new vscode.EventEmitter<{ readonly taskId: string; readonly line: string }>();
  private readonly subscription: vscode.Disposable;
  /** A task's progress step changed (or was cleared). */
  readonly onDidChangeProgress = this.progressChanged.event;
  readonly onDidAddOutput = this.outputAdded.event;

  constructor(events: vscode.Event<OrchestratorEvent>) {
    this.subscription = events((event) => this.take(event));
  }

  progress(taskId: string): TaskProgress | undefined {
    return this.progressByTask.get(taskId);
  }

  /** The last lines this window saw the task's agent print (empty after a reload: read its log then). */
  tail(taskId: string, lines = TAIL_LINES): readonly string[] {
    return (this.tails.get(taskId) ?? []).slice(-lines);
  }

  private take(event: OrchestratorEvent): void {
    switch (event.type) {
      case 'agent':
        if (event.event.kind === 'progress') {
          const { step, total, message } = event.event;
          this.progressByTask.set(event.taskId, { step, total, message: message ?? '' });
          this.progressChanged.fire(event.taskId);
        } else if (event.event.kind === 'apiRetry') {
          const before = this.progressByTask.get(event.taskId) ?? { step: 0, total: 0, message: '' };
          this.progressByTask.set(event.taskId, { ...before, apiRetry: describeApiRetry(event.event) });
          this.progressChanged.fire(event.taskId);
        }
        return;
      case 'output': {
        let tail = this.tails.get(event.taskId);
        if (!tail) this.tails.set(event.taskId, (tail = []));
        tail.push(event.line);
        if (tail.length > TAIL_LINES * 2) tail.splice(0, tail.length - TAIL_LINES);
        this.outputAdded.fire({ taskId: event.taskId, line: event.line });
        return;
      }
      case 'transition':
        // A new attempt starts from zero; a finished one keeps no progress step.
        if (this.progressByTask.delete(event.notice.taskId)) this.progressChanged.fire(event.notice.taskId);
        if (event.notice.to === 'running') this.tails.set(event.notice.taskId, []);
        return;
      default:
        return;
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.progressChanged.dispose();
    this.outputAdded.dispose();
  }
}
