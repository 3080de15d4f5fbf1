// Every run gets fresh folders: a copy of the fixture workspace (made a git repository, because
// the extension works on git worktrees), an empty extensions folder and a user-data folder with
// settings that keep the workbench quiet. Shared by the code-server, test-electron and e2e runners.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/repoRoot';
import { runCommandOrThrow } from './runCommand';

export interface TestDirs {
  /** The temporary folder holding the three below. */
  root: string;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  remove(): void;
}

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.autofetch': false,
};

const GIT_IDENTITY = { name: 'Agent Orchestrator Tests', email: 'tests@agent-orchestrator.invalid' };

/** The built integration suite both VS Code runners load; undefined (after saying how to build it) when it is missing. */
export function integrationSuiteEntry(root: string): string | undefined {
  return builtEntry(path.join(root, 'out', 'test', 'integration', 'index.js'));
}

/** `entry` if the test build made it; else undefined, after saying how to build it. */
export function builtEntry(entry: string): string | undefined {
  if (fs.existsSync(entry)) return entry;
  console.error(`${entry} is missing: build first with \`node scripts/build.mjs --tests\``);
  return undefined;
}

export async function prepareTestDirs(label: string): Promise<TestDirs> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `agent-orchestrator-${label}-`));
  const dirs: TestDirs = {
    root,
    workspace: path.join(root, 'workspace'),
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    remove: () => fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 }),
  };
  try {
    fs.cpSync(path.join(repoRoot(), 'test', 'fixtures', 'workspace'), dirs.workspace, { recursive: true });
    await makeGitRepository(dirs.workspace);
    fs.mkdirSync(path.join(dirs.userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(dirs.userDataDir, 'User', 'settings.json'), JSON.stringify(QUIET_SETTINGS, null, 2));
    fs.mkdirSync(dirs.extensionsDir);
  } catch (error) {
    dirs.remove();
    throw error;
  }
  return dirs;
}

/** `git init` plus one commit, with a repository-local identity so tests can commit too. */
async function makeGitRepository(dir: string): Promise<void> {
  const git = (...args: string[]) => runCommandOrThrow('git', args, { cwd: dir, timeoutMs: 30_000 });
  await git('init', '--quiet', '--initial-branch=main');
  await git('config', 'user.name', GIT_IDENTITY.name);
  await git('config', 'user.email', GIT_IDENTITY.email);
  await git('config', 'commit.gpgsign', 'false');
  await git('add', '--all');
  await git('commit', '--quiet', '--no-verify', '--message', 'Fixture workspace');
}
