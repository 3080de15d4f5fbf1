// The main job, for a person: `npm run demo` builds the extension and opens it in a real VS Code
// (code-server, installed on first use) on localhost with a fresh demo workspace — a git
// repository holding demo.plan.md. `npm run demo -- --headless` runs the same plan through the
// CLI instead, prints the run's summary, and merges the completed work back into the run's
// integration branch (`merge --all`). Options: --port N (default 8080).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { values } = parseArgs({ options: { headless: { type: 'boolean' }, port: { type: 'string', default: '8080' } } });

function step(message) {
  process.stdout.write(`\n== ${message}\n`);
}

function run(command, args, cwd = root) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** A fresh copy of the demo workspace, made a git repository with its own identity. */
function prepareWorkspace(folder) {
  rmSync(folder, { recursive: true, force: true });
  // Worktrees of earlier demo runs live beside the workspace (see WorktreeManager).
  rmSync(join(dirname(folder), '.workspace-worktrees'), { recursive: true, force: true });
  cpSync(join(root, 'test', 'fixtures', 'demo-workspace'), folder, { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: folder, stdio: 'ignore' });
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.name', 'Agent Orchestrator Demo');
  git('config', 'user.email', 'demo@agent-orchestrator.invalid');
  git('config', 'commit.gpgsign', 'false');
  git('add', '--all');
  git('commit', '--quiet', '--no-verify', '--message', 'Demo workspace');
}

async function main() {
  const demoDir = join(root, '.vscode-test', 'demo');
  const workspace = join(demoDir, 'workspace');

  step('building the extension');
  run('node', ['scripts/build.mjs', '--tests']);
  step(`preparing the demo workspace in ${workspace}`);
  prepareWorkspace(workspace);

  if (values.headless) {
    step('importing demo.plan.md and running it with the scripted agent (headless CLI)');
    run('node', [join(root, 'dist', 'cli.js'), 'import', 'demo.plan.md'], workspace);
    run('node', [join(root, 'dist', 'cli.js'), 'run', '--agent', 'scripted'], workspace);
    run('node', [join(root, 'dist', 'cli.js'), 'status'], workspace);
    step('merging every completed task back into the run\'s integration branch, in dependency order (docs/review.md)');
    run('node', [join(root, 'dist', 'cli.js'), 'review'], workspace);
    run('node', [join(root, 'dist', 'cli.js'), 'merge', '--all'], workspace);
    const branch = execFileSync('git', ['for-each-ref', '--format=%(refname:short)', 'refs/heads/orch/integrate/'], { cwd: workspace, encoding: 'utf8' }).trim().split('\n').at(-1);
    step(`what ${branch} holds now`);
    run('git', ['log', '--oneline', `main..${branch}`], workspace);
    return;
  }

  const { ensureCodeServer, startCodeServer, workbenchUrl } = require(join(root, 'out', 'test', 'runners', 'codeServerHost.js'));
  step('checking the VS Code host (code-server; installed into .vscode-test/ on first use)');
  await ensureCodeServer({ progress: (line) => process.stdout.write(`   ${line}\n`) });
  const userDataDir = join(demoDir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off' }, null, 2));
  const server = await startCodeServer({ workspace, userDataDir, extensionsDir: join(demoDir, 'extensions'), port: Number(values.port) });
  const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: root });
  process.stdout.write(
    `\nVS Code with Agent Orchestrator is running. Open this address in a browser:\n\n  ${url}\n\n` +
      'Then: open demo.plan.md, run "Agent Orchestrator: Import Plan" and "Agent Orchestrator: Run All" from the\n' +
      'command palette (F1), and watch the task tree, the status bar and the dashboard. Ctrl+C stops the server.\n',
  );
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise(() => undefined);
}

main().catch((error) => {
  process.stderr.write(`demo: ${error.message}\n`);
  process.exit(1);
});
