// The merge precheck (docs/review.md): how long simulating "merge everything" takes per task, the
// figure `review.merge_precheck_ms_per_task`. 50 completed branches made with plain git (no
// agents: the precheck reads only git objects), each adding a file of its own and every fifth
// also editing one shared file at its own line, so the chain has real three-way merges to do.
// Timed: the precheck of the whole batch with `git merge-tree --write-tree` (what the engine uses
// on git ≥ 2.38), and once with the temporary-worktree fallback for comparison.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulateMerges } from '../src/core/git/mergePrecheck';
import { git, makeRepo, median, removeDir, tempDir } from './util';

export const REVIEW_BENCH = { branches: 50, samples: 5 } as const;

export interface ReviewBenchResult {
  readonly branches: number;
  readonly precheck_ms_per_task: number;
  readonly precheck_samples_ms: readonly number[];
  readonly fallback_ms_per_task: number;
  readonly conflicts_found: number;
}

function makeBranches(repo: string, count: number): { base: string; branches: string[] } {
  const lines = Array.from({ length: count }, (_, i) => `shared line ${i}`);
  writeFileSync(join(repo, 'shared.txt'), `${lines.join('\n')}\n`);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'shared file');
  const base = git(repo, 'rev-parse', 'HEAD');
  const branches: string[] = [];
  for (let i = 0; i < count; i++) {
    const branch = `orch/TASK-1-${i + 1}/a1`;
    git(repo, 'checkout', '-q', '-b', branch, base);
    writeFileSync(join(repo, `task-${i + 1}.txt`), `work of task ${i + 1}\n`);
    if (i % 5 === 0) writeFileSync(join(repo, 'shared.txt'), `${lines.map((line, k) => (k === i ? `${line} edited by task ${i + 1}` : line)).join('\n')}\n`);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', `TASK-1-${i + 1}: bench task`);
    branches.push(branch);
  }
  git(repo, 'checkout', '-q', 'main');
  return { base, branches };
}

export async function runReviewBench(log: (line: string) => void): Promise<ReviewBenchResult> {
  const dir = tempDir('review');
  try {
    const repo = makeRepo(dir);
    const { base, branches } = makeBranches(repo, REVIEW_BENCH.branches);
    const samples: number[] = [];
    let conflicts = 0;
    for (let i = 0; i < REVIEW_BENCH.samples; i++) {
      const started = performance.now();
      const result = await simulateMerges(repo, base, branches);
      samples.push(performance.now() - started);
      conflicts = result.merges.filter((merge) => merge.conflictFiles.length > 0).length;
    }
    const fallbackStarted = performance.now();
    await simulateMerges(repo, base, branches, { forceFallback: true });
    const fallbackMs = performance.now() - fallbackStarted;
    const perTask = median(samples) / branches.length;
    log(`precheck of ${branches.length} branches: median ${median(samples).toFixed(0)} ms (${perTask.toFixed(1)} ms per task); fallback ${fallbackMs.toFixed(0)} ms`);
    return {
      branches: branches.length,
      precheck_ms_per_task: perTask,
      precheck_samples_ms: samples.map((s) => Math.round(s)),
      fallback_ms_per_task: fallbackMs / branches.length,
      conflicts_found: conflicts,
    };
  } finally {
    removeDir(dir);
  }
}
