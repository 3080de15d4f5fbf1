// A finished run to review and merge, made with the real scripted agent in a real repository
// (test/unit/engine/engineFixture.ts): tasks that (a) touch disjoint files, (b) touch the same
// file in different hunks, (c) conflict, plus a dependent and a failed task that left work.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Orchestrator } from '../../../src/core/orchestrator';
import type { OrchestratorSettings } from '../../../src/core/settings';
import { git, Workspace, type TaskSpec } from '../engine/engineFixture';

export { git } from '../engine/engineFixture';

/** Ten numbered lines; the "hunk" tasks each rewrite one end of it. */
export const SHARED = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
/** The scripted agent adds the final newline itself. */
const sharedWith = (index: number, text: string) =>
  SHARED.trimEnd()
    .split('\n')
    .map((line, i) => (i === index ? text : line))
    .join('\\n');

export const REVIEW_TASKS: readonly TaskSpec[] = [
  { id: 'TASK-1-1', title: 'Add alpha', prompt: 'write alpha.txt: alpha' }, // (a)
  { id: 'TASK-1-2', title: 'Add beta', prompt: 'write beta/beta.txt: beta' }, // (a)
  { id: 'TASK-1-3', title: 'Top of shared', prompt: `write shared.txt: ${sharedWith(0, 'LINE ONE')}` }, // (b)
  { id: 'TASK-1-4', title: 'Bottom of shared', prompt: `write shared.txt: ${sharedWith(9, 'LINE TEN')}` }, // (b)
  { id: 'TASK-1-5', title: 'Gamma one way', prompt: 'write gamma.txt: one way' }, // (c)
  { id: 'TASK-1-6', title: 'Gamma another way', prompt: 'write gamma.txt: another way' }, // (c)
  { id: 'TASK-1-7', title: 'Extend alpha', prompt: 'append alpha.txt: more alpha', dependsOn: ['TASK-1-1'] },
];

export const CLEAN_TASKS = ['TASK-1-1', 'TASK-1-2', 'TASK-1-3', 'TASK-1-4', 'TASK-1-5', 'TASK-1-7'];

export interface ReviewRun {
  readonly workspace: Workspace;
  readonly orchestrator: Orchestrator;
  readonly runId: string;
  /** The commit the run started from. */
  readonly base: string;
}

/** A workspace with shared.txt committed and `tasks` run to the end. */
export async function reviewRun(tasks: readonly TaskSpec[] = REVIEW_TASKS, settings: Partial<OrchestratorSettings> = {}): Promise<ReviewRun> {
  const workspace = new Workspace();
  try {
    writeFile(workspace.repo, 'shared.txt', SHARED);
    git(workspace.repo, 'add', '-A');
    git(workspace.repo, 'commit', '-q', '-m', 'shared file');
    const base = git(workspace.repo, 'rev-parse', 'HEAD');
    // The plan file is left untracked in the checkout, as a user's would be.
    const orchestrator = await workspace.withPlan(tasks, { maxParallel: 8, ...settings });
    const result = await orchestrator.run();
    return { workspace, orchestrator, runId: result.runId, base };
  } catch (error) {
    await workspace.dispose();
    throw error;
  }
}

function writeFile(repo: string, path: string, text: string): void {
  writeFileSync(join(repo, path), text);
}

/** `git show REF:PATH`, or undefined when the file is not there. */
export function fileAt(repo: string, ref: string, path: string): string | undefined {
  try {
    return execFileSync('git', ['show', `${ref}:${path}`], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

export function branchExists(repo: string, branch: string): boolean {
  try {
    git(repo, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`);
    return true;
  } catch {
    return false;
  }
}
