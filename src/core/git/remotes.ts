// The repository's remotes, for "Create Pull Request" (src/core/review/pullRequest.ts): which remote
// a branch goes to, what its URL is, which branch a pull request targets, and the push itself.
// Argv only; pushing is the one command here that leaves the machine.
import { gitOutput } from './gitOutput';
import { checkRefArgument } from './naming';

async function quiet(cwd: string, args: readonly string[]): Promise<string> {
  return (await gitOutput(cwd, args).catch(() => '')).trim();
}

/**
 * The remote to push to: the current branch's upstream remote, else `origin`, else the only
 * remote; undefined when there is none (or several and none is chosen by those rules).
 */
export async function pushRemote(repoDir: string): Promise<string | undefined> {
  const remotes = (await quiet(repoDir, ['remote'])).split('\n').filter(Boolean);
  if (remotes.length === 0) return undefined;
  const current = await quiet(repoDir, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  const upstream = current ? await quiet(repoDir, ['config', '--get', `branch.${current}.remote`]) : '';
  if (upstream && remotes.includes(upstream)) return upstream;
  if (remotes.includes('origin')) return 'origin';
  return remotes.length === 1 ? remotes[0] : undefined;
}

/** The remote's fetch URL (what a browser link is made from), or undefined. */
export async function remoteUrl(repoDir: string, remote: string): Promise<string | undefined> {
  return (await quiet(repoDir, ['remote', 'get-url', remote])) || undefined;
}

/**
 * The branch a pull request targets: the remote's default branch as last fetched
 * (`refs/remotes/<remote>/HEAD`), else the branch the current one tracks, else the current branch.
 */
export async function defaultBranch(repoDir: string, remote: string | undefined): Promise<string> {
  if (remote) {
    const head = await quiet(repoDir, ['symbolic-ref', '--quiet', '--short', `refs/remotes/${remote}/HEAD`]);
    if (head.startsWith(`${remote}/`)) return head.slice(remote.length + 1);
    const upstream = await quiet(repoDir, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']);
    if (upstream.startsWith(`${remote}/`)) return upstream.slice(remote.length + 1);
  }
  return (await quiet(repoDir, ['symbolic-ref', '--quiet', '--short', 'HEAD'])) || 'main';
}

/** Whether `refs/heads/<branch>` exists. */
export async function localBranchExists(repoDir: string, branch: string): Promise<boolean> {
  if (branch.startsWith('-') || /\s/.test(branch)) return false;
  return (await quiet(repoDir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`])).length > 0;
}

/** `git push -u <remote> <branch>`: the branch published under its own name, tracked from now on. */
export async function pushBranch(repoDir: string, remote: string, branch: string): Promise<void> {
  checkRefArgument(branch, 'branch');
  checkRefArgument(remote, 'remote');
  try {
    await gitOutput(repoDir, ['push', '--quiet', '-u', remote, `refs/heads/${branch}:refs/heads/${branch}`]);
  } catch (error) {
    throw new Error(`Could not push ${branch} to ${remote}: ${(error as Error).message}`);
  }
}
