import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changedFiles } from '../../../src/core/git/changedFiles';
import { simulateMerges } from '../../../src/core/git/mergePrecheck';
import { readBlobAt } from '../../../src/core/git/readBlob';
import { git, makeRepo, writeFiles, type Sandbox } from './gitFixture';

describe('git: what a review reads (changed files, blobs, merge simulation)', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox?.cleanup());

  function commitAll(message: string): string {
    git(sandbox.repo, 'add', '-A');
    git(sandbox.repo, 'commit', '-q', '-m', message);
    return git(sandbox.repo, 'rev-parse', 'HEAD');
  }

  it('lists changed files with a rename, a binary file, an addition and a deletion, with counts', async () => {
    sandbox = makeRepo({ 'docs/old-name.md': 'one\ntwo\nthree\nfour\nfive\n', 'gone.txt': 'bye\n', 'keep.txt': 'a\nb\n' });
    const from = git(sandbox.repo, 'rev-parse', 'HEAD');
    git(sandbox.repo, 'mv', 'docs/old-name.md', 'docs/new name.md');
    writeFileSync(join(sandbox.repo, 'docs/new name.md'), 'one\ntwo\nthree\nfour\nfive\nsix\n');
    rmSync(join(sandbox.repo, 'gone.txt'));
    writeFileSync(join(sandbox.repo, 'image.bin'), Buffer.from([0, 1, 2, 0, 255]));
    writeFileSync(join(sandbox.repo, 'keep.txt'), 'a\nB\n');
    const to = commitAll('changes');
    assert.deepEqual(await changedFiles(sandbox.repo, from, to), [
      { path: 'docs/new name.md', oldPath: 'docs/old-name.md', kind: 'renamed', insertions: 1, deletions: 0 },
      { path: 'gone.txt', oldPath: null, kind: 'deleted', insertions: 0, deletions: 1 },
      { path: 'image.bin', oldPath: null, kind: 'added', insertions: null, deletions: null },
      { path: 'keep.txt', oldPath: null, kind: 'modified', insertions: 1, deletions: 1 },
    ]);
    assert.deepEqual(await changedFiles(sandbox.repo, to, to), []);
    await assert.rejects(changedFiles(sandbox.repo, '--output=x', to), /not a valid git ref/);
  });

  it('reads a file at a commit as text, binary, too large or absent, without reading a large one', async () => {
    sandbox = makeRepo({ 'text.txt': 'héllo\n' });
    writeFileSync(join(sandbox.repo, 'blob.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
    writeFileSync(join(sandbox.repo, 'big.txt'), 'x'.repeat(2048));
    const commit = commitAll('files');
    assert.deepEqual(await readBlobAt(sandbox.repo, commit, 'text.txt'), { kind: 'text', text: 'héllo\n' });
    assert.deepEqual(await readBlobAt(sandbox.repo, commit, 'blob.bin'), { kind: 'binary', size: 7 });
    assert.deepEqual(await readBlobAt(sandbox.repo, commit, 'big.txt', 1024), { kind: 'tooLarge', size: 2048, limit: 1024 });
    assert.deepEqual(await readBlobAt(sandbox.repo, commit, 'missing.txt'), { kind: 'absent' });
    assert.deepEqual(await readBlobAt(sandbox.repo, `${commit}~1`, 'big.txt'), { kind: 'absent' });
    await assert.rejects(readBlobAt(sandbox.repo, 'f'.repeat(40), 'text.txt'), /is not a commit of the repository/);
  });

  it('simulates a chain of merges; the temporary-worktree fallback gives the same answer as merge-tree', async () => {
    sandbox = makeRepo({ 'shared.txt': 'a\nb\nc\nd\ne\nf\ng\n' });
    const base = git(sandbox.repo, 'rev-parse', 'HEAD');
    const branch = (name: string, files: Record<string, string>) => {
      git(sandbox.repo, 'checkout', '-q', '-b', name, base);
      writeFiles(sandbox.repo, files);
      commitAll(name);
    };
    branch('top', { 'shared.txt': 'A\nb\nc\nd\ne\nf\ng\n' });
    branch('bottom', { 'shared.txt': 'a\nb\nc\nd\ne\nf\nG\n' });
    branch('clash', { 'shared.txt': 'Z\nb\nc\nd\ne\nf\ng\n', 'new.txt': 'n\n' });
    branch('later', { 'shared.txt': 'a\nb\nc\nD\ne\nf\ng\n' });
    git(sandbox.repo, 'checkout', '-q', 'main');
    const branches = ['top', 'bottom', 'clash', 'later'];
    const fast = await simulateMerges(sandbox.repo, base, branches);
    const slow = await simulateMerges(sandbox.repo, base, branches, { forceFallback: true });
    assert.equal(fast.usedFallback, false);
    assert.equal(slow.usedFallback, true);
    assert.deepEqual(fast.merges, [
      { branch: 'top', conflictFiles: [] },
      { branch: 'bottom', conflictFiles: [] },
      { branch: 'clash', conflictFiles: ['shared.txt'] },
      { branch: 'later', conflictFiles: [] },
    ]);
    assert.deepEqual(slow.merges, fast.merges);
    assert.equal(git(sandbox.repo, 'worktree', 'list').split('\n').length, 1, 'the fallback removed its worktree');
    assert.equal(git(sandbox.repo, 'status', '--porcelain'), '', 'and touched nothing in the checkout');
    await assert.rejects(simulateMerges(sandbox.repo, base, ['no-such-branch']), /merge-tree failed .*no-such-branch/);
    await assert.rejects(simulateMerges(sandbox.repo, base, ['top', 'no-such-branch'], { forceFallback: true }), /no-such-branch - not something we can merge/);
  });
});
