// "Create Pull Request" for a task's branch or an integration branch (docs/review.md, "Pull
// requests"): push the branch to the remote, then open the pull request with the GitHub CLI when
// it is installed and logged in, else hand back the remote's compare link, or say plainly that
// there is no remote. Argv only: titles and bodies reach `gh` as arguments and a file, never a shell.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultBranch, localBranchExists, pushBranch, pushRemote, remoteUrl } from '../git';
import { runProcess } from '../process';
import { compareLink } from './compareLink';
import { pullRequestSubject, type PullRequestSubject, type PullRequestTarget, type SubjectStore } from './pullRequestSubject';
import type { PullRequestResult } from './types';

export interface PullRequestOptions {
  readonly repoDir: string;
  /** How long `gh` may take (it talks to GitHub); default 2 minutes. */
  readonly ghTimeoutMs?: number;
}

/** `gh pr create`'s answer: the URL it printed, or why it could not. */
async function ghCreate(repoDir: string, subject: PullRequestSubject, base: string, timeoutMs: number): Promise<{ url?: string; problem?: string }> {
  const auth = await runProcess({ argv: ['gh', 'auth', 'status'], cwd: repoDir, timeoutMs, commandLabel: 'GitHub CLI' });
  if (auth.error) return { problem: 'the GitHub CLI (gh) is not installed' };
  if (auth.exitCode !== 0) return { problem: 'the GitHub CLI (gh) is not logged in (`gh auth login`)' };
  const folder = await mkdtemp(join(tmpdir(), 'agent-orchestrator-pr-'));
  try {
    const bodyFile = join(folder, 'body.md');
    await writeFile(bodyFile, subject.body, 'utf8');
    const created = await runProcess({
      argv: ['gh', 'pr', 'create', '--head', subject.branch, '--base', base, '--title', subject.title, '--body-file', bodyFile],
      cwd: repoDir,
      timeoutMs,
      commandLabel: 'GitHub CLI',
    });
    if (created.exitCode !== 0) return { problem: `gh pr create failed: ${created.error?.message ?? (created.tail.slice(-3).join(' ').trim() || `exit ${created.exitCode}`)}` };
    const url = [...created.tail].reverse().find((line) => /^https?:\/\//.test(line.trim()))?.trim();
    return url ? { url } : { problem: 'gh pr create printed no URL' };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Pushes `subject.branch` and opens its pull request, or says where to open it, or that there is nowhere. */
export async function createPullRequest(subject: PullRequestSubject, options: PullRequestOptions): Promise<PullRequestResult> {
  const { repoDir } = options;
  const { branch } = subject;
  if (!(await localBranchExists(repoDir, branch))) throw new Error(`There is no branch ${branch} to open a pull request for`);
  const remote = await pushRemote(repoDir);
  if (!remote) {
    return { branch, pushedTo: null, url: null, how: 'no-remote', message: `${branch} was not pushed: this repository has no remote (or several, none of them origin). Add one with \`git remote add origin URL\` and try again.` };
  }
  await pushBranch(repoDir, remote, branch);
  const base = await defaultBranch(repoDir, remote);

  const gh = await ghCreate(repoDir, subject, base, options.ghTimeoutMs ?? 120_000);
  if (gh.url) return { branch, pushedTo: remote, url: gh.url, how: 'gh', message: `Pushed ${branch} to ${remote} and opened ${gh.url}` };

  const fetchUrl = await remoteUrl(repoDir, remote);
  const link = fetchUrl ? compareLink(fetchUrl, branch, base) : undefined;
  const why = gh.problem ? ` (${gh.problem})` : '';
  if (link) return { branch, pushedTo: remote, url: link, how: 'compare-link', message: `Pushed ${branch} to ${remote}. Open the pull request into ${base} at ${link}${why}` };
  return { branch, pushedTo: remote, url: null, how: 'compare-link', message: `Pushed ${branch} to ${remote}, whose URL (${fetchUrl ?? 'unknown'}) has no web page to open a pull request on${why}` };
}

/** The façade's entry: the subject read from the store (pullRequestSubject.ts), then createPullRequest. */
export function pullRequestFor(store: SubjectStore, what: PullRequestTarget, options: PullRequestOptions & { readonly branchPrefix: string }): Promise<PullRequestResult> {
  return createPullRequest(pullRequestSubject(store, what, options.branchPrefix), options);
}
