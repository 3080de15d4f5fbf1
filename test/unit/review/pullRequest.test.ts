// Pull requests and follow-ups through the CLI, as users run it (dist/cli.js), on real repositories:
// a bare repository as the remote (pushes really land there), PATH limited to node and git so `gh`
// is missing, and a fake `gh` where a test needs one. The fake is a test double of the real GitHub
// CLI, which cannot run here (no network, no account): it records the argv it got and prints a URL.
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareLink, webBase } from '../../../src/core/review/compareLink';
import { formatOverlapPairs } from '../../../src/cli/radarCommands';
import { git, useWorkspaces, type Workspace } from '../engine/engineFixture';

/** A bare repository beside the workspace's, to push to. */
function bareRemote(ws: Workspace): string {
  const bare = join(ws.dir, 'remote.git');
  git(ws.dir, 'init', '-q', '--bare', bare);
  return bare;
}

/** PATH with node and git only, plus FAKE_GH: a `gh` that records its argv (and the body file) and answers like the real one. */
function pathWithFakeGh(ws: Workspace, authenticated: boolean): { path: string; calls: string } {
  const bin = ws.isolatedPath();
  const calls = join(ws.dir, 'gh-calls.jsonl');
  const script = `#!/usr/bin/env node
// FAKE gh (a test double of the GitHub CLI): records argv, answers auth status and pr create.
const fs = require('node:fs');
const argv = process.argv.slice(2);
const at = argv.indexOf('--body-file');
const body = at >= 0 ? fs.readFileSync(argv[at + 1], 'utf8') : null;
fs.appendFileSync(${JSON.stringify(calls)}, JSON.stringify({ argv, body }) + '\\n');
if (argv[0] === 'auth') process.exit(${authenticated ? 0 : 1});
if (argv[0] === 'pr' && argv[1] === 'create') { console.log('Creating pull request...'); console.log('https://github.com/o/r/pull/7'); process.exit(0); }
process.exit(2);
`;
  writeFileSync(join(bin, 'gh'), script);
  chmodSync(join(bin, 'gh'), 0o755);
  return { path: bin, calls };
}

function readCalls(file: string): Array<{ argv: string[]; body: string | null }> {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { argv: string[]; body: string | null }) : [];
}

describe('review: pull requests and follow-ups from the CLI', function () {
  this.timeout(90_000);
  const workspace = useWorkspaces();

  async function ranTask(ws: Workspace): Promise<void> {
    ws.writePlan([{ id: 'TASK-1-1', title: 'Greeting', prompt: 'write hello.txt: hello' }]);
    const ran = await ws.cli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted']);
    assert.equal(ran.code, 0, ran.stderr);
  }

  it('without gh: pushes to the remote and prints the compare link made from its https URL', async () => {
    const ws = workspace();
    await ranTask(ws);
    const bare = bareRemote(ws);
    // Fetch URL on GitHub (the link is made from it), push URL the local bare repository.
    git(ws.repo, 'remote', 'add', 'origin', 'https://github.com/o/r.git');
    git(ws.repo, 'remote', 'set-url', '--push', 'origin', bare);
    const env = { ...process.env, PATH: ws.isolatedPath() };
    const result = await ws.cli(['pr', 'TASK-1-1'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Pushed orch\/TASK-1-1\/a1 to origin\. Open the pull request into main at https:\/\/github\.com\/o\/r\/compare\/main\.\.\.orch\/TASK-1-1\/a1\?expand=1 \(the GitHub CLI \(gh\) is not installed\)/);
    assert.equal(git(bare, 'rev-parse', 'refs/heads/orch/TASK-1-1/a1'), git(ws.repo, 'rev-parse', 'orch/TASK-1-1/a1'), 'the branch reached the remote');
    assert.equal(git(ws.repo, 'config', 'branch.orch/TASK-1-1/a1.remote'), 'origin', 'pushed with -u');
  });

  it('with no remote: says so, exits 1, pushes nothing', async () => {
    const ws = workspace();
    await ranTask(ws);
    const result = await ws.cli(['pr', 'TASK-1-1', '--json'], { ...process.env, PATH: ws.isolatedPath() });
    assert.equal(result.code, 1);
    const answer = JSON.parse(result.stdout) as { how: string; pushedTo: string | null; url: string | null; message: string };
    assert.deepEqual({ how: answer.how, pushedTo: answer.pushedTo, url: answer.url }, { how: 'no-remote', pushedTo: null, url: null });
    assert.match(answer.message, /orch\/TASK-1-1\/a1 was not pushed: this repository has no remote/);
  });

  it('with gh logged in (a fake gh): gh pr create gets head, base, title and body as arguments', async () => {
    const ws = workspace();
    await ranTask(ws);
    const bare = bareRemote(ws);
    git(ws.repo, 'remote', 'add', 'origin', bare);
    const { path, calls } = pathWithFakeGh(ws, true);
    const result = await ws.cli(['pr', 'TASK-1-1'], { ...process.env, PATH: path });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Pushed orch\/TASK-1-1\/a1 to origin and opened https:\/\/github\.com\/o\/r\/pull\/7/);
    const [auth, create] = readCalls(calls);
    assert.deepEqual(auth.argv, ['auth', 'status']);
    const bodyFile = create.argv[create.argv.indexOf('--body-file') + 1];
    assert.deepEqual(create.argv, ['pr', 'create', '--head', 'orch/TASK-1-1/a1', '--base', 'main', '--title', 'TASK-1-1: Greeting', '--body-file', bodyFile]);
    assert.match(create.body ?? '', /^write hello\.txt: hello\n\n---\nMade by Agent Orchestrator: TASK-1-1, attempt 1 \(scripted\), run orch-/);
    assert.equal(existsSync(bodyFile), false, 'the body file is removed afterwards');

    // The integration branch: titled after its run, the run's summary as the body.
    git(ws.repo, 'branch', 'orch/integrate/manual', 'orch/TASK-1-1/a1');
    const integration = await ws.cli(['pr', '--integration', 'orch/integrate/manual'], { ...process.env, PATH: path });
    assert.equal(integration.code, 0, integration.stderr);
    const last = readCalls(calls).at(-1)!;
    assert.match(last.argv[last.argv.indexOf('--title') + 1], /^Integrate run orch-/);
    assert.match(last.body ?? '', /^## Parallel Orchestration Results/);
  });

  it('with gh installed but not logged in: falls back to the compare link', async () => {
    const ws = workspace();
    await ranTask(ws);
    git(ws.repo, 'remote', 'add', 'origin', 'git@github.com:o/r.git');
    git(ws.repo, 'remote', 'set-url', '--push', 'origin', bareRemote(ws));
    const { path, calls } = pathWithFakeGh(ws, false);
    const result = await ws.cli(['pr', 'TASK-1-1'], { ...process.env, PATH: path });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /https:\/\/github\.com\/o\/r\/compare\/main\.\.\.orch\/TASK-1-1\/a1\?expand=1 \(the GitHub CLI \(gh\) is not logged in/);
    assert.deepEqual(readCalls(calls).map((call) => call.argv[0]), ['auth'], 'no pr create without a login');
  });

  it('refuses an unknown task or a task without a branch, and a bad command line', async () => {
    const ws = workspace();
    ws.writePlan([{ id: 'TASK-1-1', prompt: 'write a.txt: a' }]);
    assert.equal((await ws.cli(['import', 'engine.plan.json'])).code, 0);
    const unknown = await ws.cli(['pr', 'TASK-9-9']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Unknown task TASK-9-9/);
    const unrun = await ws.cli(['pr', 'TASK-1-1']);
    assert.match(unrun.stderr, /TASK-1-1 has no branch yet: run it first/);
    assert.equal((await ws.cli(['pr'])).code, 2);
    assert.equal((await ws.cli(['followup', 'TASK-1-1'])).code, 2, 'followup needs --prompt');
  });

  it('conflicts lists the radar’s pairs of the latest run, with their verdict', async () => {
    const ws = workspace();
    ws.writePlan([
      { id: 'TASK-1-1', prompt: 'write same.txt: one' },
      { id: 'TASK-1-2', prompt: 'write same.txt: two' },
    ]);
    assert.equal((await ws.cli(['run', '--plan', 'engine.plan.json', '--agent', 'scripted'])).code, 0);
    const json = await ws.cli(['conflicts', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const radar = (JSON.parse(json.stdout) as { radar: { overlaps: Array<{ taskA: string; taskB: string; files: string[]; conflict: boolean | null }> } }).radar;
    assert.deepEqual(radar.overlaps.map((p) => [p.taskA, p.taskB, p.files, p.conflict]), [['TASK-1-1', 'TASK-1-2', ['same.txt'], true]]);
    const text = await ws.cli(['conflicts']);
    assert.match(text.stdout, /Conflict radar \(run orch-[^)]+\): 1 pair of tasks touched the same files\n {2}TASK-1-1 ↔ TASK-1-2 {2}CONFLICT {2}same\.txt/);
  });

  it('followup then run: the task continues its branch', async () => {
    const ws = workspace();
    await ranTask(ws);
    const sent = await ws.cli(['followup', 'TASK-1-1', '--prompt', 'append hello.txt: again']);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, /Follow-up recorded: TASK-1-1 continues its branch in the next run/);
    const status = JSON.parse((await ws.cli(['status', '--json'])).stdout) as { tasks: Array<{ taskId: string; status: string }> };
    assert.equal(status.tasks[0].status, 'spawned');
    const ran = await ws.cli(['run', '--agent', 'scripted']);
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(git(ws.repo, 'show', 'orch/TASK-1-1/a2:hello.txt'), 'hello\nagain');
    const again = await ws.cli(['followup', 'TASK-9-9', '--prompt', 'x']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Unknown task TASK-9-9/);
  });
});

describe('review: compare links and the radar lines', () => {
  it('makes the compare link of GitHub, GitLab and Bitbucket remotes in their URL forms', () => {
    const branch = 'orch/TASK-1-1/a1';
    assert.equal(compareLink('https://github.com/o/r.git', branch, 'main'), 'https://github.com/o/r/compare/main...orch/TASK-1-1/a1?expand=1');
    assert.equal(compareLink('git@github.com:o/r.git', branch, 'main'), 'https://github.com/o/r/compare/main...orch/TASK-1-1/a1?expand=1');
    assert.equal(compareLink('ssh://git@github.com/o/r', branch, 'dev'), 'https://github.com/o/r/compare/dev...orch/TASK-1-1/a1?expand=1');
    assert.equal(compareLink('https://user:token@github.example.com/o/r.git/', 'a b', 'main'), 'https://github.example.com/o/r/compare/main...a%20b?expand=1');
    assert.equal(
      compareLink('git@gitlab.com:group/sub/r.git', branch, 'main'),
      'https://gitlab.com/group/sub/r/-/merge_requests/new?merge_request%5Bsource_branch%5D=orch%2FTASK-1-1%2Fa1&merge_request%5Btarget_branch%5D=main',
    );
    assert.equal(compareLink('https://bitbucket.org/o/r.git', branch, 'main'), 'https://bitbucket.org/o/r/pull-requests/new?source=orch%2FTASK-1-1%2Fa1&dest=main');
    for (const local of ['/srv/git/r.git', '../r.git', 'file:///srv/r.git', 'C:\\repos\\r']) assert.equal(compareLink(local, branch, 'main'), undefined, local);
    assert.equal(webBase('https://github.com/justowner'), undefined, 'no repository path');
  });

  it('prints the radar pairs for `conflicts`', () => {
    assert.equal(formatOverlapPairs([], undefined), 'Conflict radar: no run yet.');
    assert.equal(formatOverlapPairs([], 'r1'), 'Conflict radar (run r1): no two tasks touched the same file.');
    const text = formatOverlapPairs(
      [
        { runId: 'r1', taskA: 'TASK-1-1', taskB: 'TASK-1-2', files: ['a.ts', 'b.ts'], conflict: true, firstSeenAt: 'x' },
        { runId: 'r1', taskA: 'TASK-1-3', taskB: 'TASK-1-4', files: ['c.ts'], conflict: null, firstSeenAt: 'x' },
      ],
      'r1',
    );
    assert.equal(text, 'Conflict radar (run r1): 2 pairs of tasks touched the same files\n  TASK-1-1 ↔ TASK-1-2  CONFLICT  a.ts, b.ts\n  TASK-1-3 ↔ TASK-1-4  conflict unknown  c.ts');
  });
});
