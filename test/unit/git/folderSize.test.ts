// The worktree folder's size for the run's summary (src/core/git/folderSize.ts) and the line that
// shows it (src/core/report/worktreeUsage.ts): a real folder tree in a temp folder.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderSize } from '../../../src/core/git/folderSize';
import { worktreeLine } from '../../../src/core/report/worktreeUsage';

describe('folderSize: the worktree folder, measured like du', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'folder-size-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('adds up every file below, skips `.git` entries and does not follow links', async () => {
    const mib = Buffer.alloc(1024 * 1024, 7);
    mkdirSync(join(root, 'wt-1', 'src', 'deep'), { recursive: true });
    mkdirSync(join(root, 'wt-2'));
    writeFileSync(join(root, 'wt-1', 'src', 'deep', 'a.bin'), mib);
    writeFileSync(join(root, 'wt-2', 'b.bin'), mib);
    writeFileSync(join(root, 'wt-2', '.git'), 'gitdir: /somewhere/else\n');
    mkdirSync(join(root, 'wt-1', '.git'));
    writeFileSync(join(root, 'wt-1', '.git', 'big'), Buffer.alloc(3 * 1024 * 1024, 1));
    symlinkSync(join(root, 'wt-1'), join(root, 'wt-2', 'loop'));
    const size = await folderSize(root);
    assert.equal(size.files, 2);
    assert.equal(size.truncated, false);
    // Two MiB of data: allocated blocks may round up a little, never down, and never count the 3 MiB under .git.
    assert.ok(size.bytes >= 2 * 1024 * 1024 && size.bytes < 2.5 * 1024 * 1024, String(size.bytes));
  });

  it('is 0 for a folder that does not exist, and stops at its entry limit saying so', async () => {
    assert.deepEqual(await folderSize(join(root, 'missing')), { bytes: 0, files: 0, truncated: false });
    for (let i = 0; i < 20; i++) writeFileSync(join(root, `f${i}`), 'x');
    const size = await folderSize(root, { maxEntries: 5 });
    assert.equal(size.truncated, true);
    assert.ok(size.files <= 5, String(size.files));
  });

  it('words the summary line', () => {
    const folder = '/work/.repo-worktrees';
    assert.equal(worktreeLine({ kept: 3, keep: 'failed', folder, bytes: 142.3 * 1024 * 1024, truncated: false }), `3 kept (failed), 142 MiB in ${folder}`);
    assert.equal(worktreeLine({ kept: 0, keep: 'none', folder, bytes: 0, truncated: false }), `0 kept (none), 0 MiB in ${folder}`);
    assert.equal(worktreeLine({ kept: 1, keep: 'all', folder, bytes: 1.25 * 1024 * 1024, truncated: true }), `1 kept (all), at least 1.3 MiB in ${folder}`);
  });
});
