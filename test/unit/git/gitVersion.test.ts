// Which git is here and what it can do (src/core/git/gitVersion.ts): the version lines git
// prints on each platform, the feature thresholds, and the check against this machine's git.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkGit, GIT_NEEDS, gitAtLeast, parseGitVersion } from '../../../src/core/git';

describe('git: version check', function () {
  this.timeout(30_000);

  it('reads the version lines git prints on Linux, macOS and Windows', () => {
    assert.deepEqual(parseGitVersion('git version 2.39.5'), { major: 2, minor: 39, patch: 5 });
    assert.deepEqual(parseGitVersion('git version 2.37.1 (Apple Git-137.1)'), { major: 2, minor: 37, patch: 1 });
    assert.deepEqual(parseGitVersion('git version 2.41.0.windows.1'), { major: 2, minor: 41, patch: 0 });
    assert.deepEqual(parseGitVersion('git version 3.0'), { major: 3, minor: 0, patch: 0 });
    assert.equal(parseGitVersion('git: command not found'), undefined);
  });

  it('needs 2.5 for worktrees and 2.38 for merge-tree --write-tree', () => {
    const at = (text: string) => parseGitVersion(text)!;
    assert.equal(gitAtLeast(at('2.38.0'), GIT_NEEDS.mergeTreeWriteTree), true);
    assert.equal(gitAtLeast(at('2.37.9'), GIT_NEEDS.mergeTreeWriteTree), false);
    assert.equal(gitAtLeast(at('3.1.0'), GIT_NEEDS.mergeTreeWriteTree), true);
    assert.equal(gitAtLeast(at('2.5.0'), GIT_NEEDS.worktrees), true);
    assert.equal(gitAtLeast(at('2.4.11'), GIT_NEEDS.worktrees), false);
    assert.equal(gitAtLeast(at('1.9.0'), GIT_NEEDS.worktrees), false);
  });

  describe('against real programs', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'orch-gitversion-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("reports this machine's git with its path and version", async () => {
      const check = await checkGit(dir, 10_000);
      const expected = parseGitVersion(execFileSync('git', ['--version'], { encoding: 'utf8' }))!;
      assert.deepEqual(check.version, expected);
      assert.equal(check.path, execFileSync('which', ['git'], { encoding: 'utf8' }).trim());
      assert.equal(check.usable, true);
      assert.equal(check.mergeTree, gitAtLeast(expected, GIT_NEEDS.mergeTreeWriteTree));
    });

    it('says git is missing when it is not on PATH', async () => {
      const check = await checkGit(dir, 2000, join(dir, 'empty-bin'));
      assert.equal(check.usable, false);
      assert.equal(check.path, undefined);
      assert.match(check.problems.join(), /git was not found on PATH: install git 2\.38 or later/);
    });

    it('says an old git is too old for merge-tree, and one older still for worktrees', async () => {
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      const fakeGit = (version: string) => {
        const file = join(bin, 'git');
        rmSync(file, { force: true });
        writeFileSync(file, `#!/bin/sh\necho "git version ${version}"\n`);
        chmodSync(file, 0o755);
      };
      fakeGit('2.30.1');
      const old = await checkGit(dir, 10_000, bin);
      assert.deepEqual([old.usable, old.mergeTree], [true, false]);
      assert.match(old.problems.join(), /2\.38 or later simulates merges/);
      fakeGit('2.4.0');
      const older = await checkGit(dir, 10_000, bin);
      assert.deepEqual([older.usable, older.mergeTree], [false, false]);
      assert.match(older.problems.join(), /2\.5 or later is needed for worktrees/);
      // A git that does not answer is stopped and reported, not waited for.
      rmSync(join(bin, 'git'));
      writeFileSync(join(bin, 'git'), '#!/bin/sh\nsleep 30\n');
      chmodSync(join(bin, 'git'), 0o755);
      const hung = await checkGit(dir, 300, bin);
      assert.equal(hung.usable, false);
      assert.match(hung.problems.join(), /did not answer within 300 ms/);
    });
  });
});
