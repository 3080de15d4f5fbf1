// The folder that holds the database, its lock and the run reports: made on the writer's first
// open with a `.gitignore` of `*` in it (so nothing in it shows up as untracked work or is
// committed by "Commit All"), and removed again if the process that made it never wrote a database
// (a failed import in a fresh workspace leaves no trace). File-system failures here become one
// StoreFolderError naming the folder and what failed, instead of a raw EACCES.
import { mkdirSync, readdirSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DEFAULT_SETTINGS } from '../settings';
import { StoreFolderError } from './errors';

const GITIGNORE = '.gitignore';
/** The default database folder (OrchestratorStore.defaultPath): the orchestrator's own by name. */
const DEFAULT_FOLDER_NAME = basename(dirname(DEFAULT_SETTINGS.databasePath));
/** Everything in the folder is the orchestrator's own state: none of it belongs in the repository. */
const GITIGNORE_CONTENT = '# Agent Orchestrator: the database, its lock, logs and run reports. Not for commits.\n*\n';

const CAUSES: Readonly<Record<string, string>> = {
  ENOTDIR: 'a part of that path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted (a read-only or immutable folder?)',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
};

/** Wraps a file-system error in a StoreFolderError; anything else passes through unchanged. */
export function folderError(folder: string, action: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return error;
  const cause = CAUSES[code] ?? (error as Error).message;
  return new StoreFolderError(folder, action, code, `${cause} (${code})`);
}

/**
 * Makes the folder that holds `dbPath` if it is missing. Returns the first folder this call
 * created (undefined if it existed), after writing the `.gitignore` into a folder it made: an
 * existing folder is the user's to configure (its `.gitignore` is never overwritten).
 */
export function ensureDatabaseFolder(dbPath: string): string | undefined {
  const folder = dirname(dbPath);
  let created: string | undefined;
  try {
    created = mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw folderError(folder, 'create the database folder', error);
  }
  if (created === undefined) return undefined;
  try {
    writeFileSync(join(folder, GITIGNORE), GITIGNORE_CONTENT, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw folderError(folder, 'write .gitignore in', error);
  }
  return created;
}

/**
 * A workspace from before the folder was git-ignored: the default folder is ours by its name, so
 * it gets the file too, once a database was written there (a refused file changes nothing). A
 * folder the user chose may hold their own files and is left alone. Best effort.
 */
export function ignoreDefaultFolder(dbPath: string): void {
  const folder = dirname(dbPath);
  if (basename(folder) !== DEFAULT_FOLDER_NAME) return;
  try {
    writeFileSync(join(folder, GITIGNORE), GITIGNORE_CONTENT, { flag: 'wx' });
  } catch {
    // There is one already, or the folder is read-only: either way nothing to do here.
  }
}

/**
 * Undoes ensureDatabaseFolder when nothing was stored: removes the `.gitignore` it wrote and every
 * folder it made from the database's up to `created`, each only while it holds nothing else (a
 * report or a log someone else wrote there keeps it, with its `.gitignore`).
 */
export function removeUnusedDatabaseFolder(dbPath: string, created: string): void {
  const folder = dirname(dbPath);
  try {
    const entries = readdirSync(folder);
    // Nothing but our .gitignore (or not even that, when writing it failed).
    if (entries.some((name) => name !== GITIGNORE)) return;
    if (entries.length) unlinkSync(join(folder, GITIGNORE));
    try {
      rmdirSync(folder);
    } catch {
      // Something arrived in between (another process's lock): the folder stays, ignored again.
      writeFileSync(join(folder, GITIGNORE), GITIGNORE_CONTENT, { flag: 'wx' });
      return;
    }
    for (let current = folder; current !== created && current.length > created.length; ) {
      current = dirname(current);
      rmdirSync(current);
    }
  } catch {
    // Best effort: an empty folder left behind is untidy, not wrong.
  }
}
