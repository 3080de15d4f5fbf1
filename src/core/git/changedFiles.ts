// What changed between two commits, file by file, for a task's review (src/core/review/): the
// kind of change with renames detected, and the lines added and removed (null for a binary file).
// Two read-only git queries, both -z so that no path is quoted or split.
import { gitOutput } from './gitOutput';
import { checkRefArgument } from './naming';
import { parseNumstatZ } from './porcelain';

export type GitChangeKind = 'added' | 'modified' | 'deleted' | 'renamed';

/** The shape of src/core/review/types.ts's ChangedFile (this layer cannot import it). */
export interface GitChangedFile {
  readonly path: string;
  readonly oldPath: string | null;
  readonly kind: GitChangeKind;
  readonly insertions: number | null;
  readonly deletions: number | null;
}

const KINDS: Readonly<Record<string, GitChangeKind>> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', T: 'modified' };

/** The files `to` changed relative to `from` (two-dot: exactly the trees' difference), in path order. */
export async function changedFiles(cwd: string, from: string, to: string): Promise<GitChangedFile[]> {
  checkRefArgument(from, 'commit');
  checkRefArgument(to, 'commit');
  const [names, counts] = await Promise.all([
    gitOutput(cwd, ['diff', '--name-status', '-z', '-M', '--no-ext-diff', from, to, '--']),
    gitOutput(cwd, ['diff', '--numstat', '-z', '-M', '--no-ext-diff', from, to, '--']),
  ]);
  const stats = parseNumstatZ(counts);
  const files: GitChangedFile[] = [];
  const fields = names.split('\0');
  for (let i = 0; i < fields.length - 1; ) {
    const status = fields[i++];
    const kind = KINDS[status.charAt(0)];
    const oldPath = status.startsWith('R') ? fields[i++] : null;
    const path = fields[i++];
    if (!kind || path === undefined) continue;
    const stat = stats.get(path);
    files.push({ path, oldPath, kind, insertions: stat ? stat.insertions : 0, deletions: stat ? stat.deletions : 0 });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
