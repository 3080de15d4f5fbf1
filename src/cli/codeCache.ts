// Loads a CommonJS bundle with V8's code cache, so that a CLI started many times does not compile
// its megabyte of JavaScript every time (measured: the bundle's compile ~20 ms of a ~150 ms
// start, and the functions compiled later in a run ~40 ms of CPU). Node 22 has this built in
// (module.enableCompileCache); Node 20, which this project supports, does not.
//
// The cache sits beside the bundle, named after the bundle's size and modification time: V8
// itself only checks the source's length (and its own version and flags), so a rebuilt bundle of
// the same length must not meet the old cache. Anyone who can write there can change the bundle
// itself, so the cache opens no new door. A missing, rejected or unwritable cache only costs the
// compile; it never stops the CLI.
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

export interface CachedModule {
  readonly exports: unknown;
  /** Whether V8 accepted the cache read from disk (false: none, or a stale or damaged one). */
  readonly cacheAccepted: boolean;
  /**
   * Writes the cache (everything V8 compiled so far, lazily compiled functions included) when
   * the one on disk was missing or rejected; call it late, e.g. at exit. Never throws.
   */
  saveCache(): void;
}

const SUFFIX = '.v8cache';

export function cacheFileOf(file: string): string {
  const { size, mtimeMs } = statSync(file);
  return `${file}.${size}-${Math.trunc(mtimeMs)}${SUFFIX}`;
}

function readQuietly(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Requires `file` (a CommonJS module) through V8's code cache. */
export function requireWithCodeCache(file: string): CachedModule {
  const cacheFile = cacheFileOf(file);
  const cached = readQuietly(cacheFile);
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData: cached });
  const cacheAccepted = cached !== undefined && script.cachedDataRejected === false;
  const module = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return {
    exports: module.exports,
    cacheAccepted,
    saveCache: () => {
      if (cacheAccepted) return;
      try {
        const temp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cacheFile);
        removeOtherCaches(file, cacheFile);
      } catch {
        // A folder we may not write to (a system-wide install): run without a cache.
      }
    },
  };
}

/** Caches of earlier builds of the same bundle are dead weight. */
function removeOtherCaches(file: string, keep: string): void {
  const prefix = `${basename(file)}.`;
  for (const name of readdirSync(dirname(file))) {
    if (name.startsWith(prefix) && name.endsWith(SUFFIX) && name !== basename(keep)) rmSync(join(dirname(file), name), { force: true });
  }
}
