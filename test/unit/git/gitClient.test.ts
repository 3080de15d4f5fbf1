// simple-git as the engine configures it (src/core/git/gitClient.ts): a command's result is its
// whole output, even when the child's exit is reported long before its output has arrived. That
// happens on a loaded machine, and more often through the spawn helper's relay: the helper may
// see the child exit before it has read the pipe, and both messages then cross the host's busy
// event loop. simple-git's default takes a command as done 50 ms after its exit, with whatever
// output had arrived: the host bench once saw `rev-parse` of an existing branch come back empty
// and a task fail with "dependency branch … does not exist".
import * as assert from 'node:assert/strict';
import { createGit } from '../../../src/core/git/gitClient';
import { useSpawner } from '../../../src/core/process/spawnChild';
import { lateOutput } from '../process/lateOutputSpawner';
import { git, makeRepo, type Sandbox } from './gitFixture';

describe('git client: a result is the whole output', () => {
  let box: Sandbox;
  beforeEach(() => (box = makeRepo({ 'README.md': '# demo\n' })));
  afterEach(() => {
    useSpawner(undefined);
    box.cleanup();
  });

  it('waits for the output of a command whose exit was reported 300 ms before it', async () => {
    const head = git(box.repo, 'rev-parse', 'HEAD').trim();
    git(box.repo, 'branch', 'orch/TASK-1-1/a1');
    useSpawner(lateOutput(300));
    const client = createGit(box.repo);
    assert.equal((await client.raw(['rev-parse', '--verify', '--quiet', 'orch/TASK-1-1/a1^{commit}'])).trim(), head);
    assert.match(await client.raw(['status', '--porcelain=v1', '--branch']), /^## main/);
  });

  it('still reports a failing command as a failure', async () => {
    useSpawner(lateOutput(300));
    await assert.rejects(createGit(box.repo).raw(['rev-parse', '--verify', 'no-such-branch']), /no-such-branch|Needed a single revision/);
  });
});
