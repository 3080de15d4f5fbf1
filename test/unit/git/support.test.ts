import * as assert from 'node:assert/strict';
import { isLockError, withLockRetry } from '../../../src/core/git/lockRetry';
import { parseWorktreeList } from '../../../src/core/git/porcelain';
import { busyRepositoryCount, serializeOnRepository } from '../../../src/core/git/repoQueue';
import { attemptBranch, attemptFolder, safeComponent } from '../../../src/core/git/naming';

describe('git support', () => {
  it('runs tasks of one repository one at a time, in order, despite failures', async () => {
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const task = (name: string, fail = false) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 10));
      log.push(`end ${name}`);
      running--;
      if (fail) throw new Error(name);
    };
    const results = await Promise.allSettled([
      serializeOnRepository('/repo/a', task('1')),
      serializeOnRepository('/repo/a', task('2', true)),
      serializeOnRepository('/repo/a', task('3')),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal(maxRunning, 1);
    assert.deepEqual(log, ['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    await new Promise((r) => setImmediate(r));
    assert.equal(busyRepositoryCount(), 0);
  });

  it('lets different repositories run side by side', async () => {
    let running = 0;
    let maxRunning = 0;
    const task = async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
    };
    await Promise.all([serializeOnRepository('/repo/x', task), serializeOnRepository('/repo/y', task)]);
    assert.equal(maxRunning, 2);
  });

  it('recognises lock errors and retries only those', async () => {
    assert.ok(isLockError(new Error("fatal: Unable to create '/r/.git/index.lock': File exists.")));
    assert.ok(isLockError(new Error('fatal: failed to read .git/worktrees/x/commondir: No such file')));
    assert.ok(isLockError(new Error("error: cannot lock ref 'refs/heads/orch/x': reference already exists")));
    assert.ok(!isLockError(new Error('fatal: not a git repository')));

    let calls = 0;
    let cleanups = 0;
    const value = await withLockRetry(
      async () => {
        calls++;
        if (calls < 3) throw new Error("Unable to create 'x/index.lock': File exists");
        return 'ok';
      },
      { baseDelayMs: 1, beforeRetry: async () => void cleanups++ },
    );
    assert.deepEqual([value, calls, cleanups], ['ok', 3, 2]);

    calls = 0;
    await assert.rejects(
      withLockRetry(async () => {
        calls++;
        throw new Error('fatal: bad revision');
      }),
      /bad revision/,
    );
    assert.equal(calls, 1);
  });

  it('parses worktree list --porcelain', () => {
    const output = [
      'worktree /r',
      'HEAD 1111111111111111111111111111111111111111',
      'branch refs/heads/main',
      '',
      'worktree /w/TASK-1-1-a1',
      'HEAD 2222222222222222222222222222222222222222',
      'branch refs/heads/orch/TASK-1-1/a1',
      'locked reason here',
      '',
      'worktree /w/gone',
      'HEAD 3333333333333333333333333333333333333333',
      'detached',
      'prunable gitdir file points to non-existent location',
      '',
    ].join('\n');
    assert.deepEqual(parseWorktreeList(output), [
      { path: '/r', head: '1'.repeat(40), branch: 'main', bare: false, locked: false, prunable: false },
      { path: '/w/TASK-1-1-a1', head: '2'.repeat(40), branch: 'orch/TASK-1-1/a1', bare: false, locked: true, prunable: false },
      { path: '/w/gone', head: '3'.repeat(40), branch: undefined, bare: false, locked: false, prunable: true },
    ]);
  });

  it('names branches and folders safely', () => {
    assert.equal(attemptBranch('orch/', 'TASK-1-2', 1), 'orch/TASK-1-2/a1');
    assert.equal(attemptFolder('TASK-1-2', 3), 'TASK-1-2-a3');
    assert.equal(safeComponent('../evil name.lock'), 'evil-name');
    assert.equal(safeComponent('a..b'), 'a.b');
  });
});
