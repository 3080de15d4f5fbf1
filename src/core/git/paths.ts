import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

// Path comparisons for worktree folders. git reports real paths, while callers may pass a path
// through a symlink (macOS's /var is /private/var, a workspace opened through a link), so folders
// are compared by their real paths.

/** The real path of `path`, or its absolute form when it does not exist (any more). */
export function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Whether `child` lies strictly inside `parent` (both already absolute and comparable). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
