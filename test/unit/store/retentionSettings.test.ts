// The keepRuns setting: its default, its validation (a clear error naming it), and the CLI reading
// it from the workspace's .vscode/settings.json like every other setting.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceFileSettings } from '../../../src/cli/workspaceSettings';
import { DEFAULT_SETTINGS, resolveSettings } from '../../../src/core/settings';

describe('settings: keepRuns', () => {
  it('defaults to 20 and takes any whole number ≥ 1', () => {
    assert.equal(DEFAULT_SETTINGS.keepRuns, 20);
    assert.equal(resolveSettings().keepRuns, 20);
    assert.equal(resolveSettings({ keepRuns: 1 }).keepRuns, 1);
    assert.equal(resolveSettings({ keepRuns: 100_000 }).keepRuns, 100_000);
  });

  it('refuses 0, fractions and strings, naming the setting and the value', () => {
    for (const [bad, shown] of [[0, '0'], [2.5, '2.5'], ['3', '"3"']] as const) {
      assert.throws(() => resolveSettings({ keepRuns: bad as number }), new RegExp(`keepRuns must be a whole number ≥ 1 \\(got ${shown}\\)`));
    }
  });

  it("is read by the CLI from .vscode/settings.json (agentOrchestrator.keepRuns)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-keepruns-'));
    try {
      mkdirSync(join(dir, '.vscode'));
      writeFileSync(join(dir, '.vscode', 'settings.json'), '{\n  // kept short\n  "agentOrchestrator.keepRuns": 5,\n}\n');
      assert.equal(workspaceFileSettings(dir).keepRuns, 5);
      assert.equal(resolveSettings(workspaceFileSettings(dir)).keepRuns, 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
