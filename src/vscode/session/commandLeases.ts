// Which commands are using which orchestrator, so that a settings change never closes the
// orchestrator under a command that is still using it (it failed with "database … is closed").
// Every command runs in a scope (commandSupport.ts registerCommand); the first time it asks the
// session for the orchestrator, the one it gets is leased to the scope until the command ends,
// and every later ask in the same command gets that same one. The session's reopen waits until
// the old orchestrator's leases are all returned before it closes it (OrchestratorSession.ts).
//
// AsyncLocalStorage carries the scope through the command's awaits without passing it to the
// dozens of places that call session.open().
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CommandScope {
  /** What this command holds, by the lender (a session): the same one on every ask. */
  readonly held: Map<object, unknown>;
  /** Returns the leases when the command ends. */
  readonly onEnd: Array<() => void>;
}

const scopes = new AsyncLocalStorage<CommandScope>();

/** Runs a command's body in a scope of its own; a command run from inside another shares the outer one. */
export async function inCommandScope<T>(body: () => T | Promise<T>): Promise<T> {
  if (scopes.getStore()) return body();
  const scope: CommandScope = { held: new Map(), onEnd: [] };
  try {
    return await scopes.run(scope, body);
  } finally {
    for (const end of scope.onEnd.splice(0)) end();
  }
}

/** Counts the leases of each orchestrator (any object) a session lends, and tells when one has none. */
export class Leases<T extends object> {
  private readonly counts = new Map<T, number>();
  private waiters: Array<() => void> = [];
  /** Closed for good (a start afresh, a release): a command that held one asks anew. */
  private readonly retired = new WeakSet<T>();

  constructor(private readonly lender: object) {}

  /** What the running command already holds from this lender, if it runs in a scope. */
  held(): T | undefined {
    const value = scopes.getStore()?.held.get(this.lender) as T | undefined;
    return value && !this.retired.has(value) ? value : undefined;
  }

  retire(value: T): void {
    this.retired.add(value);
  }

  /** Lends `value` to the running command until it ends (outside a command: nothing to count). */
  lend(value: T): T {
    const scope = scopes.getStore();
    if (!scope) return value;
    scope.held.set(this.lender, value);
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
    scope.onEnd.push(() => this.giveBack(value));
    return value;
  }

  count(value: T): number {
    return this.counts.get(value) ?? 0;
  }

  /** Resolves once `value` has no leases. Check count() again when it does: a new command may have taken one. */
  async drained(value: T): Promise<void> {
    while (this.count(value) > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private giveBack(value: T): void {
    const left = this.count(value) - 1;
    if (left > 0) {
      this.counts.set(value, left);
      return;
    }
    this.counts.delete(value);
    for (const wake of this.waiters.splice(0)) wake();
  }
}
