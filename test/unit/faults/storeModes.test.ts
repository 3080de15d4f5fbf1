// The fault suites run once per store mode (faultFixture.ts STORE_MODES). This proves each mode
// is really in force where the faults land: in the CLI processes the suites spawn (they inherit
// the mode through the environment), a worker thread is started for the database file exactly
// when the mode says so. Without it, a worker pass could silently test the main thread twice.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STORE_WORKER_FILE } from '../../../src/core/store/workerProtocol';
import { useWorkspaces } from '../engine/engineFixture';
import { STORE_MODES, useStoreMode } from './faultFixture';

/** A preload that records every worker thread the process starts (its file), one per line. */
function workerRecorder(dir: string): { readonly preload: string; readonly started: () => string[] } {
  const log = join(dir, 'workers.log');
  const preload = join(dir, 'record-workers.js');
  writeFileSync(
    preload,
    `const threads = require('node:worker_threads');
     const { appendFileSync } = require('node:fs');
     const Original = threads.Worker;
     threads.Worker = class extends Original {
       constructor(file, options) {
         appendFileSync(${JSON.stringify(log)}, String(file) + '\\n');
         super(file, options);
       }
     };`,
  );
  return { preload, started: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []) };
}

for (const mode of STORE_MODES) {
  describe(`faults: the store mode is in force (${mode.name})`, function () {
    this.timeout(60_000);
    const workspace = useWorkspaces();
    useStoreMode(mode);

    it(`the CLI ${mode.worker ? 'starts' : 'does not start'} the store worker for a small database`, async () => {
      const ws = workspace();
      ws.writePlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
      const recorder = workerRecorder(ws.dir);
      const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${recorder.preload}`.trim() };
      const imported = await ws.cli(['import', 'engine.plan.json'], env);
      assert.equal(imported.code, 0, imported.stderr);
      const workers = recorder.started().filter((file) => file.endsWith(STORE_WORKER_FILE));
      assert.equal(workers.length, mode.worker ? 1 : 0, `store workers started: ${JSON.stringify(recorder.started())}`);
    });

    it(`a store opened in the test's own process ${mode.worker ? 'flushes through' : 'does without'} the worker`, async () => {
      const ws = workspace();
      const orchestrator = await ws.withPlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
      const database = (orchestrator.store as unknown as { database: { worker: unknown } }).database;
      assert.equal(database.worker !== undefined, mode.worker);
    });
  });
}
