// Simulating a batch of merges before anything moves (src/core/review/ plans a merge with it):
// each branch merged, in order, on top of the previous clean ones' simulated result, so a task's
// conflicts are those it would really meet after the tasks before it. With git ≥ 2.38 this is
// `git merge-tree --write-tree` (no worktree, no index, nothing checked out) and `commit-tree` to
// chain the results; an older git, or a caller that asks for it (a test), gets the fallback: a
// temporary detached worktree where each merge is made with `merge --no-commit`, its unmerged
// paths read, and aborted or committed. Both give the same answer; only merge-tree is fast.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gitBytes, gitOutput } from './gitOutput';
import { ORCHESTRATOR_IDENTITY, type GitIdentity } from './gitClient';
import { GIT_NEEDS, gitAtLeast, parseGitVersion } from './gitVersion';
import { checkRefArgument } from './naming';

export interface SimulatedMerge {
  readonly branch: string;
  /** Empty when the merge is clean. */
  readonly conflictFiles: readonly string[];
}

export interface MergeSimulation {
  readonly merges: readonly SimulatedMerge[];
  readonly usedFallback: boolean;
}

export interface SimulateOptions {
  /** Use the temporary-worktree fallback even where merge-tree works. */
  readonly forceFallback?: boolean;
  readonly identity?: GitIdentity;
}

let mergeTreeSupport: Promise<boolean> | undefined;

/** Whether this machine's git has `merge-tree --write-tree` (2.38 and later); asked once per process. */
export function hasMergeTreeWriteTree(cwd: string): Promise<boolean> {
  mergeTreeSupport ??= gitOutput(cwd, ['version']).then(
    (text) => {
      const version = parseGitVersion(text);
      return !!version && gitAtLeast(version, GIT_NEEDS.mergeTreeWriteTree);
    },
    () => false,
  );
  return mergeTreeSupport;
}

function identityArgs(identity: GitIdentity): string[] {
  return ['-c', `user.name=${identity.name}`, '-c', `user.email=${identity.email}`];
}

/** Merges `branches` one after the other onto `onto` (a commit), in simulation only. */
export async function simulateMerges(repoDir: string, onto: string, branches: readonly string[], options: SimulateOptions = {}): Promise<MergeSimulation> {
  checkRefArgument(onto, 'commit');
  for (const branch of branches) checkRefArgument(branch, 'branch');
  const identity = options.identity ?? ORCHESTRATOR_IDENTITY;
  if (branches.length === 0) return { merges: [], usedFallback: false };
  if (!options.forceFallback && (await hasMergeTreeWriteTree(repoDir))) {
    return { merges: await withMergeTree(repoDir, onto, branches, identity), usedFallback: false };
  }
  return { merges: await inTemporaryWorktree(repoDir, onto, branches, identity), usedFallback: true };
}

async function withMergeTree(repoDir: string, onto: string, branches: readonly string[], identity: GitIdentity): Promise<SimulatedMerge[]> {
  const merges: SimulatedMerge[] = [];
  let current = onto;
  for (const branch of branches) {
    // Exit 0: clean, 1: conflicts; anything else is an error (a missing branch, say).
    const result = await gitBytes(repoDir, ['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', current, branch], [0, 1]);
    const [tree, ...files] = result.stdout.toString('utf8').split('\0').filter(Boolean);
    // merge-tree also exits 1, with nothing on stdout, for a branch it cannot merge at all.
    if (!tree || !/^[0-9a-f]{40,64}$/.test(tree)) throw new Error(`git merge-tree failed in ${repoDir} for ${branch}: ${result.stderr.trim().split('\n')[0] || 'no result'}`);
    if (result.code === 1) {
      merges.push({ branch, conflictFiles: [...new Set(files)].sort() });
      continue;
    }
    // The next merge starts from this one's result, as a commit with both parents (so merge bases
    // come out as they will in the real merge).
    current = (await gitOutput(repoDir, [...identityArgs(identity), 'commit-tree', tree, '-p', current, '-p', branch, '-m', `simulated merge of ${branch}`])).trim();
    merges.push({ branch, conflictFiles: [] });
  }
  return merges;
}

async function inTemporaryWorktree(repoDir: string, onto: string, branches: readonly string[], identity: GitIdentity): Promise<SimulatedMerge[]> {
  const folder = join(mkdtempSync(join(tmpdir(), 'orch-precheck-')), 'worktree');
  await gitOutput(repoDir, ['worktree', 'add', '--detach', '--quiet', folder, onto]);
  try {
    const merges: SimulatedMerge[] = [];
    for (const branch of branches) {
      // `merge` exits 1 for a conflict and for a name it cannot merge alike: tell them apart first.
      await gitOutput(folder, ['rev-parse', '--verify', '--quiet', `${branch}^{commit}`]).catch(() => {
        throw new Error(`git merge failed in ${folder}: ${branch} - not something we can merge`);
      });
      await gitBytes(folder, [...identityArgs(identity), 'merge', '--no-commit', '--no-ff', '--no-verify', '--quiet', branch], [0, 1]);
      const unmerged = (await gitOutput(folder, ['diff', '--name-only', '--diff-filter=U', '-z'])).split('\0').filter(Boolean);
      const merging = (await gitBytes(folder, ['rev-parse', '--verify', '--quiet', 'MERGE_HEAD'], [0, 1])).code === 0;
      if (unmerged.length > 0) {
        await gitOutput(folder, ['merge', '--abort']);
        merges.push({ branch, conflictFiles: [...new Set(unmerged)].sort() });
        continue;
      }
      if (merging) await gitOutput(folder, [...identityArgs(identity), 'commit', '--quiet', '--no-verify', '-m', `simulated merge of ${branch}`]);
      merges.push({ branch, conflictFiles: [] });
    }
    return merges;
  } finally {
    await gitOutput(repoDir, ['worktree', 'remove', '--force', folder]).catch(() => undefined);
    await gitOutput(repoDir, ['worktree', 'prune']).catch(() => undefined);
    rmSync(dirname(folder), { recursive: true, force: true });
  }
}
