/**
 * A real VS Code for tests and demos: code-server (VS Code 1.100.3's server and web workbench),
 * installed on first use into the ignored cache `.vscode-test/code-server-4.100.3/`.
 *
 * Exported API (also what scripts/demo.mjs uses, via require('../out/test/runners/codeServerHost.js')):
 *
 *   ensureCodeServer({ progress? }) → Promise<CodeServerInstall>
 *       Installs code-server if the cache has no complete installation, otherwise re-checks the
 *       cached one cheaply (version, native modules). Memoized per process.
 *   startCodeServer({ workspace, userDataDir, extensionsDir, port?, logFile?, env? })
 *       → Promise<RunningCodeServer { url, port, pid, logFile, stop() }>
 *       Starts a server (free port unless given) and resolves once it answers HTTP.
 *       Its output goes to logFile (default <userDataDir>/code-server.log), not the console.
 *       stop() ends the server and every process below it; safe to call twice.
 *       Binds 127.0.0.1 only (it runs with --auth none). env adds variables for the
 *       extension host. userDataDir and extensionsDir are created if missing. Opening
 *       server.url alone redirects to the workspace.
 *   workbenchUrl(server, { folder, extensionDevelopmentPath?, extensionTestsPath? }) → string
 *       The URL to open in a browser; the two paths (absolute, on this machine) load the
 *       extension from source and/or run a test suite, as in desktop VS Code.
 *   installVsix(vsixPath, extensionsDir) → Promise<void>
 *       Installs a packaged extension into extensionsDir (`code-server --install-extension`).
 *   CODE_SERVER_VERSION = '4.100.3'
 *
 * Related: prepareTestDirs(label) in ./testWorkspace gives a fresh temp copy of the fixture
 * workspace (a git repo) with quiet user-data and empty extensions folders; Teardown in
 * ./teardown undoes registered steps on exit or Ctrl-C.
 *
 * A demo with the extension from source: startCodeServer(...), then open
 * workbenchUrl(server, { folder, extensionDevelopmentPath: repoRoot }). With the packaged
 * extension: installVsix(vsix, extensionsDir), startCodeServer(...), workbenchUrl(server, { folder }).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/repoRoot';
import { CODE_SERVER_VERSION, checkBuildPrerequisites, installCodeServer, layoutOf, nativeModuleProblems, seconds, type CodeServerLayout } from './codeServerInstall';
import { freePort, httpGet, waitForHttpOk } from './localHttp';
import { isAlive, killTree } from './processTree';
import { runCommand, runCommandOrThrow, tail } from './runCommand';

export { CODE_SERVER_VERSION };

export interface CodeServerInstall {
  version: string;
  dir: string;
  /** code-server's CLI; run it with the current Node (`process.execPath`). */
  entry: string;
}

export interface StartCodeServerOptions {
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  port?: number;
  logFile?: string;
  /** Extra environment variables for code-server and so for its extension host. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningCodeServer {
  /** http://127.0.0.1:PORT (no trailing slash) */
  url: string;
  port: number;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

export interface WorkbenchPage {
  folder: string;
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
}

const MARKER_FILE = '.install-complete.json';
const START_TIMEOUT_MS = 60_000;

let ensured: Promise<CodeServerInstall> | undefined;

export function ensureCodeServer(options: { progress?: (line: string) => void } = {}): Promise<CodeServerInstall> {
  ensured ??= ensureInstalled(options.progress ?? ((line) => process.stdout.write(`[code-server] ${line}\n`)));
  return ensured;
}

export async function startCodeServer(options: StartCodeServerOptions): Promise<RunningCodeServer> {
  const install = await ensureCodeServer();
  return launch(layoutOf(install.dir), options);
}

export function workbenchUrl(server: Pick<RunningCodeServer, 'url' | 'port'>, page: WorkbenchPage): string {
  // Paths must be vscode-remote URIs on the server's authority: plain file paths make the web
  // workbench fail with "No extension host found that can launch the test runner".
  const remote = (file: string) => `vscode-remote://127.0.0.1:${server.port}${path.resolve(file).split('/').map(encodeURIComponent).join('/')}`;
  const payload: Array<[string, string]> = [];
  if (page.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(page.extensionDevelopmentPath)]);
  if (page.extensionTestsPath) payload.push(['extensionTestsPath', remote(page.extensionTestsPath)]);
  const query = new URLSearchParams({ folder: path.resolve(page.folder) });
  if (payload.length > 0) query.set('payload', JSON.stringify(payload));
  return `${server.url}/?${query.toString()}`;
}

export async function installVsix(vsixPath: string, extensionsDir: string): Promise<void> {
  if (!fs.existsSync(vsixPath)) throw new Error(`no .vsix at ${vsixPath}`);
  const install = await ensureCodeServer();
  fs.mkdirSync(extensionsDir, { recursive: true });
  // A throwaway user-data dir: the CLI must not touch ~/.local/share/code-server.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'code-server-cli-'));
  try {
    const result = await runCommandOrThrow(
      process.execPath,
      [install.entry, ...isolationArgs(scratch), '--extensions-dir', extensionsDir, '--install-extension', path.resolve(vsixPath), '--force'],
      { cwd: scratch, env: serverEnvironment(), timeoutMs: 120_000 },
    );
    if (!/successfully installed/i.test(result.output)) throw new Error(`installing ${vsixPath} did not report success:\n${tail(result.output, 15)}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function ensureInstalled(progress: (line: string) => void): Promise<CodeServerInstall> {
  const root = repoRoot();
  const cacheDir = path.join(root, '.vscode-test');
  const finalDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
  fs.mkdirSync(cacheDir, { recursive: true });
  removeAbandonedStagingDirs(cacheDir, path.basename(finalDir));

  if (markerMatches(finalDir)) {
    const problem = await quickCheckProblem(layoutOf(finalDir));
    if (!problem) {
      progress(`using the cached install in ${path.relative(root, finalDir)}`);
      return installAt(finalDir);
    }
    progress(`cached install at ${finalDir} is broken (${problem}); reinstalling`);
  } else if (fs.existsSync(finalDir)) {
    progress(`found an incomplete or outdated install at ${finalDir}; reinstalling`);
  }
  removeAside(finalDir);

  // Installing into a staging folder and renaming it at the end means an interrupted install is
  // never found under the final name, and concurrent first runs cannot corrupt each other.
  const staging = `${finalDir}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const started = Date.now();
  progress(`installing code-server ${CODE_SERVER_VERSION} into ${finalDir} (kept for later runs; log: ${path.join(staging, 'install.log')})`);
  try {
    for (const warning of await checkBuildPrerequisites()) progress(`warning: ${warning}`);
    const layout = await installCodeServer(staging, progress);
    progress('checking the install (version, native modules, serving the workbench)…');
    await fullCheck(layout);
    fs.writeFileSync(path.join(staging, MARKER_FILE), JSON.stringify({ ...expectedMarker(), installedAt: new Date().toISOString() }, null, 2));
  } catch (error) {
    throw new Error(`code-server install failed: ${(error as Error).message}\n(partial install kept for inspection at ${staging}; it is removed on the next run)`);
  }
  publish(staging, finalDir);
  progress(`installed in ${seconds(Date.now() - started)}`);
  return installAt(finalDir);
}

/** What a cached install must have been built for; native modules are tied to the Node ABI. */
function expectedMarker(): Record<string, string> {
  return { version: CODE_SERVER_VERSION, nodeAbi: process.versions.modules, platform: process.platform, arch: process.arch };
}

function markerMatches(dir: string): boolean {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER_FILE), 'utf8')) as Record<string, unknown>;
    return Object.entries(expectedMarker()).every(([key, value]) => marker[key] === value);
  } catch {
    return false;
  }
}

async function quickCheckProblem(layout: CodeServerLayout): Promise<string | undefined> {
  const version = await runCommand(process.execPath, [layout.entry, '--config', quietConfig(layout.dir), '--version'], { cwd: layout.dir, env: serverEnvironment(), timeoutMs: 30_000 });
  if (version.exitCode !== 0 || !version.output.includes(`${CODE_SERVER_VERSION} `)) return `--version printed: ${version.output.trim().split('\n').pop() ?? ''}`;
  const problems = await nativeModuleProblems(layout);
  if (problems.length > 0) return problems.join('; ');
  if (!fs.existsSync(path.join(layout.vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'))) return 'ripgrep binary missing';
  return undefined;
}

/** The quick check, plus a real start: the server must serve the workbench page. */
async function fullCheck(layout: CodeServerLayout): Promise<void> {
  const problem = await quickCheckProblem(layout);
  if (problem) throw new Error(problem);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'code-server-check-'));
  const dirs = { workspace: path.join(scratch, 'workspace'), userDataDir: path.join(scratch, 'user-data'), extensionsDir: path.join(scratch, 'extensions') };
  fs.mkdirSync(dirs.workspace);
  let server: RunningCodeServer | undefined;
  try {
    server = await launch(layout, dirs);
    // The first page request is what loads VS Code's server code, so this exercises lib/vscode.
    const page = await httpGet(workbenchUrl(server, { folder: dirs.workspace }), 30_000);
    if (page.status !== 200 || !page.body.includes('workbench')) {
      throw new Error(`the workbench page answered ${page.status}:\n${tail(page.body, 10)}\nserver log:\n${tail(readLog(server.logFile), 20)}`);
    }
  } finally {
    await server?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function publish(staging: string, finalDir: string): void {
  try {
    fs.renameSync(staging, finalDir);
  } catch (error) {
    // Another run finished first; its install is as good as ours.
    if (!markerMatches(finalDir)) throw error;
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function removeAside(dir: string): void {
  if (!fs.existsSync(dir)) return;
  const trash = `${dir}.trash-${process.pid}`;
  fs.renameSync(dir, trash);
  fs.rmSync(trash, { recursive: true, force: true });
}

/** Staging and trash folders left by runs that died (their pid is gone). */
function removeAbandonedStagingDirs(cacheDir: string, baseName: string): void {
  for (const name of fs.readdirSync(cacheDir)) {
    const match = name.startsWith(`${baseName}.`) ? /\.(?:staging|trash)-(\d+)$/.exec(name) : null;
    if (match && !isAlive(Number(match[1]))) fs.rmSync(path.join(cacheDir, name), { recursive: true, force: true });
  }
}

function installAt(dir: string): CodeServerInstall {
  return { version: CODE_SERVER_VERSION, dir, entry: layoutOf(dir).entry };
}

async function launch(layout: CodeServerLayout, options: StartCodeServerOptions): Promise<RunningCodeServer> {
  const attempts = options.port ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launchOnPort(layout, options, port);
    } catch (error) {
      // Another process may take the port between freePort() and the bind; try another one.
      const lostRace = /EADDRINUSE/.test((error as Error).message);
      if (!lostRace || attempt >= attempts) throw error;
    }
  }
}

async function launchOnPort(layout: CodeServerLayout, options: StartCodeServerOptions, port: number): Promise<RunningCodeServer> {
  for (const dir of [options.userDataDir, options.extensionsDir]) fs.mkdirSync(dir, { recursive: true });
  const logFile = options.logFile ?? path.join(options.userDataDir, 'code-server.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'w');
  const args = [
    layout.entry,
    ...isolationArgs(options.userDataDir),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--extensions-dir',
    options.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    // Without it tasks do not run: the trust dialog cannot be answered in tests.
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    options.workspace,
  ];
  // detached: a process group of its own, so stop() can reach all it forks.
  const child = spawn(process.execPath, args, { cwd: options.workspace, env: { ...serverEnvironment(), ...options.env }, stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  let exited = false;
  child.on('exit', () => (exited = true));
  child.on('error', () => (exited = true));
  let stopping: Promise<void> | undefined;
  const server: RunningCodeServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    logFile,
    // Even after code-server itself exited, its forks may live on in its process group.
    stop: () => (stopping ??= child.pid === undefined ? Promise.resolve() : killTree(child.pid, 5000)),
  };
  try {
    await waitForHttpOk(`${server.url}/healthz`, START_TIMEOUT_MS, () => !exited);
  } catch (error) {
    await server.stop();
    throw new Error(`code-server did not start on port ${port}: ${(error as Error).message}\n${tail(readLog(logFile), 20)}`);
  }
  return server;
}

/** Flags that keep code-server away from the user's own config, data and extensions. */
function isolationArgs(userDataDir: string): string[] {
  fs.mkdirSync(userDataDir, { recursive: true });
  return ['--config', quietConfig(userDataDir), '--auth', 'none', '--user-data-dir', userDataDir];
}

/** A config file in `dir`: without --config, code-server writes ~/.config/code-server/config.yaml. */
function quietConfig(dir: string): string {
  const config = path.join(dir, 'code-server-config.yaml');
  if (!fs.existsSync(config)) fs.writeFileSync(config, 'auth: none\n');
  return config;
}

/**
 * The environment for code-server, without what would make it act as something else: inside a
 * VS Code terminal VSCODE_IPC_HOOK_CLI makes the CLI hand the folder to that VS Code instead
 * of starting a server; PORT and PASSWORD override flags.
 */
function serverEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VSCODE_') || ['PORT', 'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN', 'ELECTRON_RUN_AS_NODE'].includes(key)) continue;
    env[key] = value;
  }
  return env;
}

function readLog(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
