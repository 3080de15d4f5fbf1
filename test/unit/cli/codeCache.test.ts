import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheFileOf, requireWithCodeCache } from '../../../src/cli/codeCache';

const CODE_CACHE_MODULE = join(__dirname, '../../../src/cli/codeCache.js');

/** Loads `file` in a fresh process (no compiled code in memory) and reports what happened. */
function loadInFreshProcess(file: string): { cacheAccepted: boolean; answer: number } {
  const script = `
    const { requireWithCodeCache } = require(${JSON.stringify(CODE_CACHE_MODULE)});
    const loaded = requireWithCodeCache(${JSON.stringify(file)});
    loaded.saveCache();
    process.stdout.write(JSON.stringify({ cacheAccepted: loaded.cacheAccepted, answer: loaded.exports.answer() }));`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { cacheAccepted: boolean; answer: number };
}

describe('cli: loading the bundle through V8 code cache', () => {
  let dir = '';
  let file = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'orch-codecache-'));
    file = join(dir, 'bundle.js');
    writeFileSync(file, "const { join } = require('node:path');\nmodule.exports = { answer: () => 6 * 7, here: join(__dirname, 'x'), file: __filename };\n");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the module as require would (exports, require, __dirname, __filename)', () => {
    const loaded = requireWithCodeCache(file);
    const exports = loaded.exports as { answer: () => number; here: string; file: string };
    assert.equal(exports.answer(), 42);
    assert.equal(exports.here, join(dir, 'x'));
    assert.equal(exports.file, file);
    assert.equal(loaded.cacheAccepted, false);
  });

  it('writes a cache that the next process accepts', () => {
    assert.deepEqual(loadInFreshProcess(file), { cacheAccepted: false, answer: 42 });
    assert.ok(existsSync(cacheFileOf(file)));
    assert.deepEqual(loadInFreshProcess(file), { cacheAccepted: true, answer: 42 });
  });

  it('ignores a damaged cache, runs anyway, and replaces it', () => {
    writeFileSync(cacheFileOf(file), 'not a V8 code cache');
    assert.deepEqual(loadInFreshProcess(file), { cacheAccepted: false, answer: 42 });
    assert.deepEqual(loadInFreshProcess(file), { cacheAccepted: true, answer: 42 });
  });

  it('never uses the cache of an earlier build of the same length, and drops it', () => {
    loadInFreshProcess(file);
    const old = cacheFileOf(file);
    // Same length, other code: V8 alone would accept the old cache (it checks only the length).
    writeFileSync(file, "const { join } = require('node:path');\nmodule.exports = { answer: () => 7 * 6, here: join(__dirname, 'y'), file: __filename };\n");
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.notEqual(cacheFileOf(file), old);
    assert.deepEqual(loadInFreshProcess(file), { cacheAccepted: false, answer: 42 });
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.v8cache')), [cacheFileOf(file).slice(dir.length + 1)]);
  });

  it('runs without a cache where none can be written', () => {
    mkdirSync(cacheFileOf(file)); // the cache's name is taken by a folder: the rename fails
    const loaded = requireWithCodeCache(file);
    assert.doesNotThrow(() => loaded.saveCache());
    assert.equal((loaded.exports as { answer: () => number }).answer(), 42);
  });
});
