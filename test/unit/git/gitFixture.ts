import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// Real repositories in temp folders. The helper's own git commands pass an identity with -c and
// drop GIT_* variables, so nothing depends on the machine's git configuration.

const IDENTITY = ['-c', 'user.name=Test Fixture', '-c', 'user.email=fixture@example.invalid', '-c', 'commit.gpgsign=false'];

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('GIT_')) env[key] = value;
  return env;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], { cwd, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

export interface Sandbox {
  /** Holds the repository and (by default) its sibling worktree folder. */
  readonly dir: string;
  readonly repo: string;
  cleanup(): void;
}

/** A temp folder with `repo/` inside: initialised, and with one commit of `files` unless `commit` is false. */
export function makeRepo(files: Record<string, string> = { 'README.md': '# demo\n' }, commit = true): Sandbox {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'orch-git-')));
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  if (commit) {
    writeFiles(repo, files);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'initial');
  }
  return { dir, repo, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
