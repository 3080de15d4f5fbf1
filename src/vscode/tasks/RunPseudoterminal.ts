// The terminal of a task a user starts from tasks.json or "Run Task": runs the plan (or one task
// and what it needs) in this window's orchestrator and prints one line per state change, like the
// CLI. Closing the terminal cancels the run.
import * as vscode from 'vscode';
import { progressLine } from '../../core';
import type { OrchestratorSession } from '../session/OrchestratorSession';
import { UNTRUSTED_MESSAGE } from '../trust';

export class RunPseudoterminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private subscription: vscode.Disposable | undefined;
  private finished = false;

  constructor(
    private readonly session: OrchestratorSession,
    private readonly taskId: string | undefined,
  ) {}

  open(): void {
    void this.execute();
  }

  close(): void {
    if (this.finished) return;
    this.write('Stopped from the terminal: cancelling the run…');
    void this.session.control({ command: 'cancelAll' }).catch(() => undefined);
  }

  private async execute(): Promise<void> {
    let code = 1;
    try {
      if (!vscode.workspace.isTrusted) throw new Error(UNTRUSTED_MESSAGE);
      this.subscription = this.session.onDidEmit((event) => {
        const line = progressLine(event);
        if (line) this.write(line);
      });
      this.write(this.taskId ? `Running ${this.taskId} and the unfinished tasks it needs…` : 'Running every unfinished task of the plan…');
      const result = await this.session.startRun(this.taskId ? [this.taskId] : undefined);
      this.write('');
      this.write(result.summaryMd);
      this.write(`Summary: ${result.summaryPath}`);
      code = result.status === 'completed' ? 0 : 1;
    } catch (error) {
      this.write(`\x1b[31m${error instanceof Error ? error.message : String(error)}\x1b[0m`);
    } finally {
      this.finished = true;
      this.subscription?.dispose();
      // A failed run is reported by the orchestrator (toast, summary); an exit code would add VS Code's own toast.
      if (code === 0) this.closeEmitter.fire(0);
      else this.closeEmitter.fire();
    }
  }

  private write(text: string): void {
    this.writeEmitter.fire(`${text.replace(/\r?\n/g, '\r\n')}\r\n`);
  }
}

