// Where a program would be found, without running it: the same lookup spawn() makes (PATH, and
// PATHEXT on Windows), so "Check Agents" (src/core/run/checkAgents.ts) can say where a command is,
// or that it is missing, before anything is started. In the process layer because both the agent
// profiles (agents/) and git (git/) are programs the engine starts, and both are checked.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

export type Lookup =
  | { readonly state: 'found'; readonly path: string }
  /** A file of that name exists but may not be executed (no x bit, or a folder). */
  | { readonly state: 'not-executable'; readonly path: string }
  | { readonly state: 'missing' };

export interface LookupOptions {
  /** The PATH to search; default the host's. */
  readonly path?: string;
  /** Where a relative command with a slash (`./bin/agent`) is resolved. */
  readonly cwd?: string;
  readonly platform?: NodeJS.Platform;
  /** Windows: the extensions a bare name may have; default the host's PATHEXT. */
  readonly pathExt?: string;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isExecutable(path: string, platform: NodeJS.Platform): boolean {
  if (platform === 'win32') return true;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The candidates for `command` in one folder: itself, and on Windows with each PATHEXT. */
function candidates(base: string, platform: NodeJS.Platform, pathExt: string): string[] {
  if (platform !== 'win32') return [base];
  const extensions = pathExt.split(';').filter(Boolean);
  return [base, ...extensions.map((ext) => `${base}${ext.toLowerCase()}`), ...extensions.map((ext) => `${base}${ext}`)];
}

/** Where `command` is: a path (absolute, or with a slash) as it stands, a bare name on PATH. */
export function findOnPath(command: string, options: LookupOptions = {}): Lookup {
  const platform = options.platform ?? process.platform;
  const pathExt = options.pathExt ?? process.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD';
  const hasSlash = command.includes('/') || (platform === 'win32' && command.includes('\\'));
  const folders = hasSlash || isAbsolute(command) ? [''] : (options.path ?? process.env.PATH ?? '').split(platform === 'win32' ? ';' : delimiter);
  let notExecutable: string | undefined;
  for (const folder of folders) {
    if (!hasSlash && folder === '') continue;
    const base = hasSlash ? resolve(options.cwd ?? process.cwd(), command) : join(folder, command);
    for (const candidate of candidates(base, platform, pathExt)) {
      if (!isFile(candidate)) continue;
      if (isExecutable(candidate, platform)) return { state: 'found', path: candidate };
      notExecutable ??= candidate;
    }
  }
  return notExecutable ? { state: 'not-executable', path: notExecutable } : { state: 'missing' };
}
