// A damaged database of each kind: every command that opens it stops with exit 6 and says what is
// wrong, and the file is left exactly as it was (the user decides: --recover).
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { OrchestratorStore } from '../../../src/core/store';
import { migrate } from '../../../src/core/store/schema';
import { useWorkspaces } from '../engine/engineFixture';
import { sqliteBytes } from '../store/helpers';


const KINDS: ReadonlyArray<{ readonly name: string; readonly bytes: () => Promise<Uint8Array> }> = [
  { name: 'truncated', bytes: async () => (await sqliteBytes((db) => migrate(db))).slice(0, 1500) },
  { name: 'garbage', bytes: async () => new TextEncoder().encode('this is not a database, only text that landed here\n'.repeat(40)) },
  { name: 'foreign', bytes: () => sqliteBytes((db) => db.exec('CREATE TABLE moz_places (id INTEGER, url TEXT); PRAGMA user_version = 7')) },
  { name: 'newer schema', bytes: () => sqliteBytes((db) => { migrate(db); db.exec('PRAGMA user_version = 99'); }) },
];

describe('faults: a damaged database', function () {
  this.timeout(60_000);
  const workspace = useWorkspaces();

  for (const kind of KINDS) {
    it(`${kind.name}: run, import and status exit 6 and leave the file untouched`, async () => {
      const ws = workspace();
      ws.writePlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
      const path = OrchestratorStore.defaultPath(ws.repo);
      mkdirSync(dirname(path), { recursive: true });
      const bytes = await kind.bytes();
      writeFileSync(path, bytes);
      for (const args of [['run', '--agent', 'scripted'], ['import', 'engine.plan.json'], ['status']]) {
        const result = await ws.cli(args);
        assert.equal(result.code, 6, `${args[0]}: ${result.stdout}\n${result.stderr}`);
        assert.match(result.stderr, /orchestrator\.db/, `${args[0]} names the file`);
        assert.deepEqual(readFileSync(path), Buffer.from(bytes), `${args[0]} changed the file`);
      }
      assert.deepEqual(readdirSync(dirname(path)).filter((name) => name.includes('corrupt')), []);
    });
  }
});
