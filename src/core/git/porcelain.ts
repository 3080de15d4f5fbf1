// Parsers of git's machine-readable output, one per format, so that each is read the same way
// wherever it is asked: `worktree list --porcelain`, `status --porcelain -z` and `diff --numstat -z`.

// `git worktree list --porcelain`: blocks separated by blank lines, each starting with
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

export interface StatusEntry {
  /** The index column of `XY`: ' ' unchanged, '?' untracked, anything else staged. */
  readonly index: string;
  readonly path: string;
  /** The source path of a rename or copy. */
  readonly origPath: string | undefined;
}

/** `git status --porcelain -z`: "XY PATH\0", a rename or copy followed by its source path as the next record. */
export function parseStatusZ(output: string): StatusEntry[] {
  const records = output.split('\0');
  const entries: StatusEntry[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (record.length < 4) continue;
    const index = record[0];
    const origPath = index === 'R' || index === 'C' ? records[++i] : undefined;
    entries.push({ index, path: record.slice(3), origPath });
  }
  return entries;
}

export interface LineCounts {
  /** null for a binary file. */
  readonly insertions: number | null;
  readonly deletions: number | null;
}

/** `git diff --numstat -z`: "INS\tDEL\tPATH\0", or for a rename "INS\tDEL\t\0OLD\0NEW\0"; "-" counts for binary files. Keyed by the (new) path, in git's order. */
export function parseNumstatZ(output: string): Map<string, LineCounts> {
  const stats = new Map<string, LineCounts>();
  const fields = output.split('\0');
  for (let i = 0; i < fields.length - 1; ) {
    const match = /^(-|\d+)\t(-|\d+)\t([\s\S]*)$/.exec(fields[i++].replace(/^\n/, ''));
    if (!match) continue;
    let path = match[3];
    if (path === '') {
      i++; // the old path of a rename
      path = fields[i++];
    }
    stats.set(path, { insertions: match[1] === '-' ? null : Number(match[1]), deletions: match[2] === '-' ? null : Number(match[2]) });
  }
  return stats;
}
