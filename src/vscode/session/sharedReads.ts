// When the views re-read the store: one ViewReads snapshot (viewReads.ts) for the current
// orchestrator, renewed at most once per interval after the store reports changes, and then
// onDidChange tells the tree and the dashboard to redraw from it — together, so they share the
// reads. A command that needs fresh rows at once (an import, a merge) calls the tree's
// refresh(), which renews the snapshot first (renew()).
import * as vscode from 'vscode';
import type { Orchestrator } from '../../core';
import { ViewReads } from './viewReads';

/** The store changes many times a second in a run; the views follow at most this often. */
export const VIEW_REFRESH_MS = 250;

export interface ReadsSession {
  readonly orchestrator: Orchestrator | undefined;
  readonly onDidChangeData: vscode.Event<void>;
}

export class SharedReads implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** The snapshot was renewed after changes: redraw from current(). */
  readonly onDidChange = this.changed.event;
  private bound: { readonly of: Orchestrator; readonly reads: ViewReads } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly session: ReadsSession,
    private readonly intervalMs = VIEW_REFRESH_MS,
  ) {
    this.subscription = session.onDidChangeData(() => {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.renew();
        this.changed.fire();
      }, this.intervalMs);
    });
  }

  /** The snapshot of the open orchestrator; undefined while none is open. */
  current(): ViewReads | undefined {
    const orchestrator = this.session.orchestrator;
    if (!orchestrator) return (this.bound = undefined);
    if (this.bound?.of !== orchestrator) this.bound = { of: orchestrator, reads: new ViewReads(orchestrator) };
    return this.bound.reads;
  }

  /** Drops the snapshot: the next read goes to the store. */
  renew(): void {
    this.bound?.reads.invalidate();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }
}
