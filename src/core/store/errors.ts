// Typed errors, so the extension and the CLI can tell "you may not write" from "this move is
// illegal" from "your plan conflicts with work already done" without parsing messages.
import type { TaskStatus } from '../model';
import { LEGAL_TRANSITIONS } from '../model';
import type { LockOwner } from './lockOwner';

export class StoreError extends Error {
  override readonly name: string = 'StoreError';
}

export class ReadOnlyStoreError extends StoreError {
  override readonly name = 'ReadOnlyStoreError';
  constructor(
    readonly path: string,
    readonly owner: LockOwner | undefined,
  ) {
    const holder = owner
      ? `process ${owner.pid} on ${owner.hostname} (since ${owner.startedAt})`
      : 'another process';
    super(`The orchestrator database ${path} is open read-only: ${holder} holds the writer lock. Close that window or run, then try again.`);
  }
}

/**
 * An operation that changes the workspace (import, run, retry, clean) while another live process
 * holds the writer lock: refused, nothing changed. The CLI exits 5 (busy) on it.
 */
export class WorkspaceBusyError extends StoreError {
  override readonly name = 'WorkspaceBusyError';
  constructor(
    readonly action: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(`Cannot ${action}: another process${owner ? ` (pid ${owner.pid} on ${owner.hostname})` : ''} is running this workspace's orchestrator.`);
  }
}

export class IllegalTransitionError extends StoreError {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly taskId: string,
    readonly from: TaskStatus,
    readonly to: TaskStatus,
  ) {
    const allowed = LEGAL_TRANSITIONS[from];
    super(`Illegal transition for ${taskId}: ${from} → ${to} (allowed from ${from}: ${allowed.length ? allowed.join(', ') : 'none'})`);
  }
}

export class UnknownTaskError extends StoreError {
  override readonly name = 'UnknownTaskError';
  constructor(readonly taskId: string) {
    super(`Unknown orchestrator task: ${taskId}`);
  }
}

export interface PlanProblem {
  readonly taskId: string | undefined;
  readonly message: string;
}

/** The whole import was refused; nothing was written. */
export class PlanImportError extends StoreError {
  override readonly name = 'PlanImportError';
  constructor(
    readonly source: string,
    readonly problems: readonly PlanProblem[],
  ) {
    super(`Plan ${source} was not imported:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`);
  }
}

/** Another process took the writer lock from us; in-memory changes since the last flush are not on disk. */
export class LockLostError extends StoreError {
  override readonly name = 'LockLostError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`Lost the writer lock on ${path}: ${reason}. The store is now read-only.`);
  }
}

export class StoreClosedError extends StoreError {
  override readonly name = 'StoreClosedError';
  constructor(readonly path: string) {
    super(`The orchestrator database ${path} is closed`);
  }
}

export type FileProblem = 'not_sqlite' | 'damaged' | 'foreign' | 'future_version';

function fileErrorMessage(path: string, problem: FileProblem, detail: string, movedTo: string | undefined): string {
  const what = `The orchestrator database ${path} ${detail}.`;
  if (movedTo) return `${what} It was kept as ${movedTo}; a new, empty database was started.`;
  // A newer version's file is healthy: replacing it would lose work that a newer install can read.
  if (problem === 'future_version') {
    return `${what} Nothing was changed. --recover does not replace it: upgrade Agent Orchestrator to use it, or move the file away yourself to start over.`;
  }
  return `${what} Nothing was changed. To start over with a new, empty database (keeping this file as ${path}.corrupt-<time>), run the command again with --recover (in VS Code: Start Fresh).`;
}

/**
 * The file on disk is not a database this version can use: damaged, truncated, another
 * application's, or from a newer version. Opening refuses it and leaves it untouched, unless the
 * user asked to start over (`StoreOptions.recover`): then a damaged or foreign file is moved to
 * `movedTo`, a new database starts, and this error is the store's `notice`. A newer version's file
 * is never moved.
 */
export class StoreFileError extends StoreError {
  override readonly name = 'StoreFileError';
  constructor(
    readonly path: string,
    readonly problem: FileProblem,
    readonly detail: string,
    readonly movedTo: string | undefined,
  ) {
    super(fileErrorMessage(path, problem, detail, movedTo));
  }
}

function remedyFor(code: string | undefined): string {
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'Move that file out of the way';
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'Free some space';
  return 'Make that folder writable';
}

/**
 * The database folder (or a file in it) could not be made or written: a path through a regular
 * file, a read-only or immutable folder, a full disk. `action` says what was being done.
 */
export class StoreFolderError extends StoreError {
  override readonly name = 'StoreFolderError';
  constructor(
    readonly folder: string,
    readonly action: string,
    readonly code: string | undefined,
    cause: string,
  ) {
    super(`Agent Orchestrator cannot ${action} ${folder}: ${cause}. ${remedyFor(code)}, or set agentOrchestrator.databasePath to another place.`);
  }
}
