import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplyConflictError, applyMerges, type MergeItem } from '../../../src/core/git/applyMerges';
import { simulateMerges } from '../../../src/core/git/mergePrecheck';
import { git, makeRepo, type Sandbox } from './gitFixture';

// A batch that the precheck (a merge) finds clean but whose replay conflicts: `flip` changes a
// line and changes it back, so its tip equals the base there, while the target changed that line.
describe('git: applying a batch of merges, all or nothing', () => {
  let sandbox: Sandbox;
  let base: string;
  let items: MergeItem[];
  afterEach(() => sandbox?.cleanup());

  beforeEach(() => {
    sandbox = makeRepo({ 'shared.txt': 'one\ntwo\nthree\n' });
    base = git(sandbox.repo, 'rev-parse', 'HEAD');
    const commit = (file: string, text: string, message: string) => {
      writeFileSync(join(sandbox.repo, file), text);
      git(sandbox.repo, 'add', '-A');
      git(sandbox.repo, 'commit', '-q', '-m', message);
    };
    git(sandbox.repo, 'checkout', '-q', '-b', 'plain', base);
    commit('plain.txt', 'plain\n', 'TASK-1-1: plain');
    git(sandbox.repo, 'checkout', '-q', '-b', 'flip', base);
    commit('shared.txt', 'one\nTWO\nthree\n', 'up');
    commit('shared.txt', 'one\ntwo\nthree\n', 'down');
    commit('flip.txt', 'flip\n', 'TASK-1-2: flip');
    git(sandbox.repo, 'checkout', '-q', '-b', 'target', base);
    commit('shared.txt', 'one\n2\nthree\n', 'target changes line two');
    git(sandbox.repo, 'checkout', '-q', 'main');
    items = [
      { branch: 'plain', startCommit: base, subject: 'TASK-1-1: plain', body: 'b' },
      { branch: 'flip', startCommit: base, subject: 'TASK-1-2: flip', body: 'b' },
    ];
  });

  it('a replay that conflicts although the simulation was clean undoes the whole batch: the target has not moved', async () => {
    const tip = git(sandbox.repo, 'rev-parse', 'target');
    const simulated = await simulateMerges(sandbox.repo, tip, ['plain', 'flip']);
    assert.deepEqual(simulated.merges.map((m) => m.conflictFiles), [[], []]);
    await assert.rejects(
      applyMerges({ repoDir: sandbox.repo, target: 'target', checkout: null, worktreeRoot: join(sandbox.dir, 'wt'), strategy: 'rebase', items }),
      (error: unknown) => error instanceof ApplyConflictError && error.branch === 'flip' && error.files.join() === 'shared.txt',
    );
    assert.equal(git(sandbox.repo, 'rev-parse', 'target'), tip, 'plain was applied in the temporary worktree only');
    assert.equal(git(sandbox.repo, 'worktree', 'list').split('\n').length, 1, 'the temporary worktree is gone');
  });

  it('in the user\'s checkout, the same failure puts the branch back where it was and keeps their other changes', async () => {
    git(sandbox.repo, 'checkout', '-q', 'target');
    const tip = git(sandbox.repo, 'rev-parse', 'HEAD');
    writeFileSync(join(sandbox.repo, 'notes.txt'), 'mine\n');
    await assert.rejects(applyMerges({ repoDir: sandbox.repo, target: 'target', checkout: sandbox.repo, worktreeRoot: join(sandbox.dir, 'wt'), strategy: 'squash', items }), ApplyConflictError);
    assert.equal(git(sandbox.repo, 'rev-parse', 'HEAD'), tip);
    assert.equal(git(sandbox.repo, 'status', '--porcelain'), '?? notes.txt');
    assert.equal(readFileSync(join(sandbox.repo, 'notes.txt'), 'utf8'), 'mine\n');
  });

  it('the merge strategy applies the same batch, since a merge is what was simulated', async () => {
    const result = await applyMerges({ repoDir: sandbox.repo, target: 'target', checkout: null, worktreeRoot: join(sandbox.dir, 'wt'), strategy: 'merge', items });
    assert.deepEqual(result.applied.map((a) => a.branch), ['plain', 'flip']);
    assert.equal(git(sandbox.repo, 'rev-parse', 'target'), result.targetCommit);
    assert.equal(git(sandbox.repo, 'show', 'target:shared.txt'), 'one\n2\nthree');
    assert.equal(git(sandbox.repo, 'log', '-1', '--format=%s|%an', 'target'), 'Merge TASK-1-2: flip|Agent Orchestrator');
  });
});
