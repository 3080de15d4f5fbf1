// The web page where a pushed branch becomes a pull request, made from the remote's URL, for when
// the GitHub CLI cannot open one itself (pullRequest.ts). GitHub, GitLab and Bitbucket style hosts;
// https, ssh:// and scp-like `git@host:owner/repo.git` URLs. Pure, so every form is tested alone.

/** `https://host/path` of a remote URL, without credentials and `.git`; undefined for a local path or an unknown form. */
export function webBase(remoteUrl: string): { host: string; path: string } | undefined {
  const url = remoteUrl.trim();
  let host: string;
  let path: string;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(url);
  if (/^(https?|ssh|git):\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    host = parsed.hostname;
    path = parsed.pathname;
  } else if (scp) {
    host = scp[1];
    path = scp[2];
  } else {
    return undefined;
  }
  path = path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  if (!host.includes('.') || path.split('/').length < 2) return undefined;
  return { host, path };
}

/** A branch name in a URL path: each part encoded, the slashes kept (the hosts expect them). */
function branchInPath(branch: string): string {
  return branch.split('/').map(encodeURIComponent).join('/');
}

/** The page that opens a pull (merge) request of `branch` into `base`; undefined when the URL names no web host. */
export function compareLink(remoteUrl: string, branch: string, base: string): string | undefined {
  const web = webBase(remoteUrl);
  if (!web) return undefined;
  const root = `https://${web.host}/${web.path}`;
  if (/(^|\.)gitlab\./i.test(web.host)) {
    return `${root}/-/merge_requests/new?merge_request%5Bsource_branch%5D=${encodeURIComponent(branch)}&merge_request%5Btarget_branch%5D=${encodeURIComponent(base)}`;
  }
  if (/(^|\.)bitbucket\.org$/i.test(web.host)) return `${root}/pull-requests/new?source=${encodeURIComponent(branch)}&dest=${encodeURIComponent(base)}`;
  return `${root}/compare/${branchInPath(base)}...${branchInPath(branch)}?expand=1`;
}
