import { promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, posix, resolve } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { glob } from '../lazyGlob';
import { WorktreeError } from './errors';

// A new worktree holds only tracked files, but agents often need untracked local ones too
// (.env, local config, credentials for a test database). `.worktreeinclude` at the repository
// root lists them, one repository-relative path or glob a line ("#" comments, blank lines and
// "!pattern" exclusions allowed; a directory name means everything under it). Matching files are
// copied from the main working tree into each new worktree. A file the worktree already has
// (because it is tracked) is never overwritten. The files copied are listed in the worktree's
// private git folder, so that committing the agent's work (branchWork.ts commitAll) leaves them out.

export const DEFAULT_INCLUDE_FILE = '.worktreeinclude';
/** In each worktree's private git dir: the files copied by .worktreeinclude, NUL-separated. */
export const INCLUDED_LIST = 'orchestrator-included';

/** The patterns of an include file; none when it does not exist. */
export async function readIncludePatterns(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

function checkPattern(pattern: string): void {
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  const normalized = posix.normalize(body.replace(/\\/g, '/'));
  if (isAbsolute(body) || /^[a-zA-Z]:/.test(body) || normalized === '..' || normalized.startsWith('../')) {
    throw new WorktreeError('include-invalid', `.worktreeinclude: "${pattern}" points outside the repository — use repository-relative paths`);
  }
}

/**
 * Copies the files matching `patterns` from `sourceRoot` into `targetRoot`, keeping their relative
 * paths. Returns the relative paths actually copied (forward slashes).
 */
export async function copyIncludedFiles(sourceRoot: string, targetRoot: string, patterns: readonly string[]): Promise<string[]> {
  if (patterns.length === 0) return [];
  patterns.forEach(checkPattern);
  const positive = patterns.filter((p) => !p.startsWith('!'));
  const negative = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  if (positive.length === 0) return [];
  const matches = await glob(positive, {
    cwd: sourceRoot,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    ignore: ['.git', '.git/**', '**/.git', '**/.git/**', ...negative],
  });
  const copied: string[] = [];
  for (const rel of [...new Set(matches)].sort()) {
    const target = join(targetRoot, rel);
    try {
      await fs.access(target);
      continue; // tracked, or otherwise already there: the worktree's version wins
    } catch {
      // not there yet: copy it
    }
    await fs.mkdir(dirname(target), { recursive: true });
    await fs.copyFile(join(sourceRoot, rel), target);
    copied.push(rel);
  }
  return copied;
}

/** Where the list of copied-in files lives: the worktree's own git folder, named by its `.git` file. */
export async function includedListPath(git: SimpleGit, worktreePath: string): Promise<string> {
  const pointer = await fs.readFile(join(worktreePath, '.git'), 'utf8').catch(() => '');
  const named = /^gitdir: (.+)$/m.exec(pointer)?.[1].trim();
  const gitDir = named ? resolve(worktreePath, named) : (await git.raw(['rev-parse', '--absolute-git-dir'])).trim();
  return join(gitDir, INCLUDED_LIST);
}

/** Writes the list includedListPath() names: the files copyIncludedFiles() copied into the worktree. */
export async function recordIncludedFiles(git: SimpleGit, worktreePath: string, files: readonly string[]): Promise<void> {
  await fs.writeFile(await includedListPath(git, worktreePath), `${files.join('\0')}\0`);
}
