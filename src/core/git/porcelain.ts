// Parses `git worktree list --porcelain`: blocks separated by blank lines, each starting with
// "worktree <path>", then "HEAD <sha>", "branch refs/heads/<name>" or "detached", and optional
// "bare", "locked [reason]", "prunable [reason]".

export interface WorktreeEntry {
  readonly path: string;
  readonly head: string | undefined;
  /** Short branch name (without refs/heads/); undefined when detached. */
  readonly branch: string | undefined;
  readonly bare: boolean;
  readonly locked: boolean;
  /** Git considers it stale: its directory is gone. `git worktree prune` will drop it. */
  readonly prunable: boolean;
}

export function parseWorktreeList(output: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  for (const block of output.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l.length > 0);
    const first = lines[0];
    if (!first?.startsWith('worktree ')) continue;
    const value = (key: string): string | undefined => {
      const line = lines.find((l) => l === key || l.startsWith(`${key} `));
      return line === undefined ? undefined : line.slice(key.length + 1);
    };
    const ref = value('branch');
    entries.push({
      path: first.slice('worktree '.length),
      head: value('HEAD'),
      branch: ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref,
      bare: value('bare') !== undefined,
      locked: value('locked') !== undefined,
      prunable: value('prunable') !== undefined,
    });
  }
  return entries;
}
