// The conflict radar reads a finished task's HEAD once per attempt, a running task's every tick
// (src/core/review/conflictRadar.ts): in a 500-task run re-reading every completed task's ref at
// each tick was most of the run's file reads. Real repository, real worktree.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { ConflictRadar, type RadarTask } from '../../../src/core/review/conflictRadar';
import type { OverlapSighting } from '../../../src/core/store';
import { git, makeRepo, type Sandbox } from '../git/gitFixture';

/** A branch off `base` with one commit writing `file`; returns the commit. */
function branchWith(repo: string, branch: string, base: string, file: string): string {
  git(repo, 'branch', branch, base);
  const worktree = join(repo, '..', `wt-${branch.replace(/\//g, '-')}`);
  git(repo, 'worktree', 'add', '-q', worktree, branch);
  writeFileSync(join(worktree, file), `${branch}\n`);
  git(worktree, 'add', file);
  git(worktree, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', file);
  const head = git(worktree, 'rev-parse', 'HEAD').trim();
  git(repo, 'worktree', 'remove', '--force', worktree);
  return head;
}

describe('conflict radar: HEAD reads', () => {
  let box: Sandbox;
  beforeEach(() => (box = makeRepo({ 'README.md': '# demo\n' })));
  afterEach(() => box.cleanup());

  it('reads a finished task\'s HEAD once, a running one\'s each tick, and again after a follow-up', async () => {
    const base = git(box.repo, 'rev-parse', 'HEAD').trim();
    branchWith(box.repo, 'orch/TASK-1-1/a1', base, 'a.txt');
    branchWith(box.repo, 'orch/TASK-1-2/a1', base, 'b.txt');
    const running = join(box.dir, 'wt-running');
    git(box.repo, 'worktree', 'add', '-q', '-b', 'orch/TASK-1-3/a1', running, base);
    writeFileSync(join(running, 'r.txt'), 'running\n');
    let tasks: RadarTask[] = [
      { taskId: 'TASK-1-1', running: false, worktree: null, branch: 'orch/TASK-1-1/a1', startCommit: base },
      { taskId: 'TASK-1-2', running: false, worktree: null, branch: 'orch/TASK-1-2/a1', startCommit: base },
      { taskId: 'TASK-1-3', running: true, worktree: running, branch: 'orch/TASK-1-3/a1', startCommit: base },
    ];
    const sightings: OverlapSighting[] = [];
    const radar = new ConflictRadar({
      runId: 'orch-test',
      repoDir: box.repo,
      intervalMs: 60_000,
      tasks: () => tasks,
      prerequisites: () => [],
      record: (sighting) => {
        sightings.push(sighting);
        return { changed: true, first: true, pair: { ...sighting, firstSeenAt: new Date().toISOString() } };
      },
    });
    for (let i = 0; i < 3; i++) await radar.tick();
    assert.equal(radar.statistics.headReads, 2 + 3, 'two finished tasks read once, the running one three times');
    assert.equal(sightings.length, 0, 'disjoint files: no pair');

    // A follow-up of TASK-1-1 on its own branch: it runs (the radar forgets its HEAD), commits the
    // file TASK-1-3 is writing, and finishes from another start commit.
    const before = git(box.repo, 'rev-parse', 'orch/TASK-1-1/a1').trim();
    tasks = tasks.map((task) => (task.taskId === 'TASK-1-1' ? { ...task, running: true } : task));
    await radar.tick();
    const followUp = join(box.dir, 'wt-follow-up');
    git(box.repo, 'worktree', 'add', '-q', followUp, 'orch/TASK-1-1/a1');
    writeFileSync(join(followUp, 'r.txt'), 'follow-up\n');
    git(followUp, 'add', 'r.txt');
    git(followUp, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'follow-up');
    git(box.repo, 'worktree', 'remove', '--force', followUp);
    tasks = tasks.map((task) => (task.taskId === 'TASK-1-1' ? { ...task, running: false, startCommit: before } : task));
    const reads = radar.statistics.headReads;
    await radar.tick();
    assert.equal(radar.statistics.headReads, reads + 2, 'the follow-up\'s HEAD is read again (and the running task\'s)');
    assert.deepEqual(
      sightings.map((s) => [s.taskA, s.taskB, s.files]),
      [['TASK-1-1', 'TASK-1-3', ['r.txt']]],
      'the follow-up\'s new commit is what the radar compares',
    );
  });
});
