// kill -9 in the middle of a worktree's removal (keepWorktrees: src/core/run/worktreeSweeper.ts):
// the whole process group of a run (the CLI and the `git worktree remove` it started) is killed a
// seeded moment after that git process appeared, so git itself is cut short with the folder half
// deleted. Afterwards the workspace is sound (faultFixture.ts), and the next run, or `clean`,
// finishes the job: no folder of a completed attempt is left in the worktree root, and git keeps
// no record of one.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../../bench/random';
import { attemptFolder } from '../../../src/core/git/naming';
import { CLI, git, sleep, statuses, useWorkspaces, type CliResult, type TaskSpec, type Workspace } from '../engine/engineFixture';
import { assertSound, committedBranches, FAULT_SEED, STORE_MODES, useStoreMode, withStore } from './faultFixture';

const PLAN: readonly TaskSpec[] = [
  { id: 'TASK-1-1', prompt: 'write a.txt: a' },
  { id: 'TASK-1-2', prompt: 'sleep 300ms; write b.txt: b' },
  { id: 'TASK-1-3', prompt: 'sleep 600ms; write c.txt: c' },
];
const IDS = PLAN.map((task) => task.id);
const RUN = ['run', '--agent', 'scripted', '--retries', '0', '--max-parallel', '3', '--keep-worktrees', 'failed'];
/** Files in the repository, so that removing a checkout takes git long enough to be cut short. */
const FILES = 1_500;
const POINTS = 3;

/** A repository with FILES small files in it, committed. */
function bigTree(ws: Workspace): void {
  for (let d = 0; d < FILES / 100; d++) {
    const dir = join(ws.repo, 'src', `d${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `f${f}.txt`), `file ${d}/${f}\n`);
  }
  git(ws.repo, 'add', '-A');
  git(ws.repo, 'commit', '-q', '-m', 'a big tree');
}

/** Every process below `pid` (Linux /proc: each thread's `children`), so a short git is never missed by a scan of all /proc. */
function descendants(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${parent}/task`);
    } catch {
      continue; // gone
    }
    for (const task of tasks) {
      try {
        for (const child of readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number)) {
          found.push(child);
          queue.push(child);
        }
      } catch {
        // the thread ended
      }
    }
  }
  return found;
}

/** The processes below the run's CLI running `git worktree remove`. */
function worktreeRemovals(cli: number): number[] {
  return descendants(cli).filter((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return args.includes('worktree') && args.includes('remove');
    } catch {
      return false;
    }
  });
}

/** The run in a process group of its own, so that one kill -9 takes the git it started too. */
function spawnGroup(ws: Workspace, args: readonly string[]): { readonly pid: number; readonly exited: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args, '--workspace', ws.repo], { cwd: ws.repo, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { pid: child.pid!, exited };
}

/** Attempt folders left in the worktree root, and worktrees git still records besides the main one. */
function leftovers(ws: Workspace): { folders: string[]; records: string[] } {
  const root = join(ws.dir, '.repo-worktrees');
  const folders = existsSync(root) ? readdirSync(root) : [];
  const records = git(ws.repo, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .slice(1);
  return { folders, records };
}

for (const mode of STORE_MODES) {
  describe(`faults: kill -9 in the middle of a worktree's removal (ORCH_FAULT_SEED=${FAULT_SEED}) (${mode.name})`, function () {
    this.timeout(120_000);
    const workspace = useWorkspaces();
    useStoreMode(mode);

    const random = seededRandom(FAULT_SEED + 16);
    const points = Array.from({ length: POINTS }, (_, i) => ({ nth: 1 + Math.floor(random() * PLAN.length), delayMs: Math.round(random() * 30), then: i % 2 === 0 ? 'run' : 'clean' }) as const);

    for (const [index, point] of points.entries()) {
      it(`point ${index + 1}: ${point.delayMs} ms into removal ${point.nth}, then a ${point.then} — sound, and it finishes the job`, async () => {
        const ws = workspace();
        bigTree(ws);
        await (await ws.withPlan(PLAN)).close();
        const live = spawnGroup(ws, RUN);
        let ended = false;
        void live.exited.then(() => (ended = true));
        let seen = 0;
        const known = new Set<number>();
        // Every removal of the run, in the order they start; the nth is cut short.
        while (!ended && seen < point.nth) {
          for (const pid of worktreeRemovals(live.pid)) {
            if (known.has(pid)) continue;
            known.add(pid);
            seen++;
          }
          if (seen < point.nth) await sleep(1);
        }
        assert.ok(seen >= point.nth, `the run ended after ${seen} removals`);
        await sleep(point.delayMs);
        process.kill(-live.pid, 'SIGKILL');
        const killed = await live.exited;
        assert.equal(killed.code, null, `the run was not killed:\n${killed.stdout}\n${killed.stderr}`);

        await assertSound(ws, IDS, `after the kill in removal ${point.nth}`);
        if (point.then === 'run') {
          const again = await ws.cli(RUN);
          assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}`);
          await withStore(ws, (store) => {
            assert.deepEqual(statuses(store), Object.fromEntries(IDS.map((id) => [id, 'completed'])));
            // keepWorktrees `failed`: only an attempt that did not complete (interrupted by the
            // kill) keeps its worktree, whole and known to git; no completed one is left, whole or half.
            // (By the attempt's number: a kill can come before its worktree's path reached the disk.)
            const names = IDS.flatMap((id) => store.listAttempts(id))
              .filter((a) => a.outcome !== 'completed')
              .map((a) => attemptFolder(a.taskId, a.attemptNumber))
              .filter((name) => existsSync(join(ws.dir, '.repo-worktrees', name)))
              .sort();
            const left = leftovers(ws);
            assert.deepEqual(left.folders.sort(), names, `after the run: ${JSON.stringify(left)}`);
            assert.deepEqual(left.records.map((r) => r.slice(r.lastIndexOf('/') + 1)).sort(), names);
            for (const name of names) assert.ok(existsSync(join(ws.dir, '.repo-worktrees', name, '.git')), `${name} is not whole`);
          });
          assert.deepEqual([...committedBranches(ws).keys()].sort(), IDS, git(ws.repo, 'for-each-ref', '--format=%(refname:short) %(subject)', 'refs/heads/'));
        } else {
          const cleaned = await ws.cli(['clean']);
          assert.equal(cleaned.code, 0, `${cleaned.stdout}\n${cleaned.stderr}`);
          assert.deepEqual(leftovers(ws), { folders: [], records: [] }, 'after the clean');
        }
        await assertSound(ws, IDS, `after the ${point.then}`);
      });
    }
  });
}
