import type { GlobOptions } from 'tinyglobby';

/**
 * tinyglobby's glob, loaded when a glob is first needed (a file fan-out, a `.worktreeinclude`):
 * its file walker looks for picomatch in node_modules as it loads, ~4.5 ms of every CLI start in
 * a checkout (measured), for a feature of it we do not use.
 */
export async function glob(patterns: string | readonly string[], options: GlobOptions): Promise<string[]> {
  const tinyglobby = await import('tinyglobby');
  return tinyglobby.glob(patterns as string | string[], options);
}
