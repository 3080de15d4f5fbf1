import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitOutput } from '../../../src/core/git/gitOutput';
import { makeRepo, type Sandbox } from './gitFixture';

const STATUS = ['status', '--porcelain', '-z', '--untracked-files=all'];

/** Runs `body` with process.env changed as given (undefined deletes), then restores it. */
async function withEnv(changes: Record<string, string | undefined>, body: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(changes).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    await body();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe('gitOutput', () => {
  let box: Sandbox;
  beforeEach(() => (box = makeRepo({ 'README.md': '# demo\n' })));
  afterEach(() => box.cleanup());

  it("returns git's stdout: nothing for a clean worktree, the new file once there is one", async () => {
    assert.equal(await gitOutput(box.repo, STATUS), '');
    writeFileSync(join(box.repo, 'new file.txt'), 'x\n');
    assert.equal(await gitOutput(box.repo, STATUS), '?? new file.txt\0');
  });

  it('ignores an inherited GIT_DIR, which would point the query at another repository', async () => {
    const other = makeRepo({ 'README.md': '# other\n' });
    try {
      writeFileSync(join(other.repo, 'untracked.txt'), 'x\n');
      await withEnv({ GIT_DIR: join(other.repo, '.git'), GIT_WORK_TREE: other.repo }, async () => {
        assert.equal(await gitOutput(box.repo, STATUS), '');
      });
    } finally {
      other.cleanup();
    }
  });

  it("rejects with the command, the folder and git's own message", async () => {
    const plain = mkdtempSync(join(tmpdir(), 'orch-plain-'));
    try {
      await assert.rejects(gitOutput(plain, STATUS), (error: Error) => {
        assert.match(error.message, /^git status failed in .*orch-plain-.* \(exit 128\): fatal: not a git repository/);
        return true;
      });
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('a folder that no longer exists is named as such, not reported as a missing git', async () => {
    const gone = join(box.dir, 'removed-worktree');
    await assert.rejects(gitOutput(gone, STATUS), (error: Error) => {
      assert.equal(error.name, 'WorktreeMissingError');
      assert.match(error.message, new RegExp(`^the worktree ${gone} no longer exists`));
      return true;
    });
  });

  it('says so when git is not installed', async () => {
    await withEnv({ PATH: join(box.dir, 'no-such-bin') }, async () => {
      await assert.rejects(gitOutput(box.repo, STATUS), /git not found on PATH — install git/);
    });
  });
});
