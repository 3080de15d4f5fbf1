import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultWasmPath, loadSqlJs } from '../../../src/core/store/sqlJsLoader';

/**
 * Runs loadSqlJs in a fresh process, where no engine is loaded yet: first the given paths in
 * turn (each failure printed), then the default path.
 */
function loadInFreshProcess(...paths: string[]): { failures: string[]; thenDefault: string } {
  const script = `
    const { loadSqlJs } = require(${JSON.stringify(join(__dirname, '../../../src/core/store/sqlJsLoader.js'))});
    (async () => {
      const failures = [];
      for (const path of ${JSON.stringify(paths)}) await loadSqlJs(path).then(() => failures.push('loaded'), (e) => failures.push(e.message));
      const SQL = await loadSqlJs();
      const db = new SQL.Database();
      process.stdout.write(JSON.stringify({ failures, thenDefault: String(db.exec('SELECT 6 * 7')[0].values[0][0]) }));
    })();`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { failures: string[]; thenDefault: string };
}

describe('store: loading sql.js', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'orch-wasm-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the wasm without being told (node_modules when not bundled)', () => {
    const path = defaultWasmPath();
    assert.ok(path.endsWith('sql-wasm.wasm'), path);
    assert.ok(existsSync(path));
  });

  it('initialises once per process and hands out the same engine', async () => {
    const first = loadSqlJs();
    assert.equal(loadSqlJs(), first);
    const SQL = await first;
    const db = new SQL.Database();
    assert.deepEqual(db.exec('SELECT 1 + 1')[0].values, [[2]]);
    db.close();
  });

  it('names the path of a missing or non-wasm file, and a later call with a good path still works', () => {
    const missing = join(dir, 'nowhere', 'sql-wasm.wasm');
    const bogus = join(dir, 'sql-wasm.wasm');
    writeFileSync(bogus, 'this is not webassembly');
    const { failures, thenDefault } = loadInFreshProcess(missing, bogus);
    assert.equal(failures.length, 2);
    assert.ok(failures[0].startsWith(`Cannot load the SQLite engine: ${missing} is not readable (ENOENT`), failures[0]);
    assert.equal(failures[1], `Cannot load the SQLite engine: ${bogus} is not a WebAssembly file (expected magic word 00 61 73 6d)`);
    assert.equal(thenDefault, '42');
  });
});
