// Whether pairs of branches would conflict if merged, for the conflict radar
// (src/core/review/conflictRadar.ts): every pair in one `git merge-tree --write-tree --stdin`
// process, which merges in memory and writes only objects, never a ref, an index or a worktree.
// The review room's merge precheck answers a different question (a batch merged one after the
// other into a target); this one asks about two tasks at a time.
import { gitOutput } from './gitOutput';

export interface BranchPair {
  readonly a: string;
  readonly b: string;
}

/** What merging one pair would do: the conflicted paths, or null when git could not say. */
export type PairVerdict = { readonly conflict: boolean; readonly files: readonly string[] } | null;

/**
 * One verdict per pair, in order. Without `merge-tree --stdin` (git before 2.38/2.40) or when the
 * command fails, every verdict is null: unknown, which the radar shows as such.
 */
export async function pairConflicts(repoDir: string, pairs: readonly BranchPair[]): Promise<PairVerdict[]> {
  if (pairs.length === 0) return [];
  for (const pair of pairs) for (const ref of [pair.a, pair.b]) if (/\s/.test(ref) || ref.startsWith('-')) throw new Error(`not a branch or commit: ${JSON.stringify(ref)}`);
  let out: string;
  try {
    const input = pairs.map((pair) => `${pair.a} ${pair.b}\n`).join('');
    out = await gitOutput(repoDir, ['merge-tree', '--write-tree', '--stdin', '--no-messages', '--name-only', '-z'], input);
  } catch {
    return pairs.map(() => null);
  }
  // Per merge: `<1 clean | 0 conflicted>\0<tree>\0` then the conflicted paths, each `\0`-ended,
  // then one more `\0` (git-merge-tree(1), "--stdin").
  const tokens = out.split('\0');
  const verdicts: PairVerdict[] = [];
  let i = 0;
  for (let n = 0; n < pairs.length; n++) {
    const status = tokens[i++];
    i++; // the tree
    const files: string[] = [];
    while (i < tokens.length && tokens[i] !== '') files.push(tokens[i++]);
    i++;
    verdicts.push(status === '1' ? { conflict: false, files: [] } : status === '0' ? { conflict: true, files: [...new Set(files)] } : null);
  }
  return verdicts;
}
