// One file as a commit holds it, for a side of a review diff (src/core/review/): from git objects,
// so it works after `clean` removed the worktree. The size is asked first (`cat-file -s`), so a
// huge file is reported as too large without ever being read into memory, and a file with a NUL
// byte in its first 8000 bytes is binary (git's own test).
import { gitBytes } from './gitOutput';
import { checkRefArgument } from './naming';

export type BlobAt =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly size: number }
  | { readonly kind: 'tooLarge'; readonly size: number; readonly limit: number }
  | { readonly kind: 'absent' };

export const DEFAULT_BLOB_LIMIT = 5 * 1024 * 1024;

/** `path` (repository-relative) at `commit`; absent when the commit has no file there. */
export async function readBlobAt(cwd: string, commit: string, path: string, limit: number = DEFAULT_BLOB_LIMIT): Promise<BlobAt> {
  checkRefArgument(commit, 'commit');
  const spec = `${commit}:${path.replace(/^\.?\//, '')}`;
  // Exit 128 with "does not exist" / "Not a valid object name": no such file at that commit.
  const sized = await gitBytes(cwd, ['cat-file', '-s', spec], [0, 128]);
  if (sized.code !== 0) {
    // Only on this path, so a normal read costs nothing more: a commit that does not exist is a
    // caller's mistake to name, not an absent file.
    const known = await gitBytes(cwd, ['rev-parse', '--verify', '--quiet', `${commit}^{commit}`], [0, 1]);
    if (known.code !== 0) throw new Error(`${commit} is not a commit of the repository at ${cwd}`);
    return { kind: 'absent' };
  }
  const size = Number(sized.stdout.toString('utf8').trim());
  if (size > limit) return { kind: 'tooLarge', size, limit };
  // `-t` would cost another process: a tree at that path (a folder) fails here as "not a blob".
  const read = await gitBytes(cwd, ['cat-file', 'blob', spec], [0, 128]);
  if (read.code !== 0) return { kind: 'absent' };
  const bytes = read.stdout;
  if (bytes.subarray(0, 8000).includes(0)) return { kind: 'binary', size };
  return { kind: 'text', text: bytes.toString('utf8') };
}
