// Installs code-server into one directory. code-server's own
// install script cannot run here (it refuses root without unsafe-perm and downloads ripgrep from
// GitHub), so every package is installed with --ignore-scripts and the native modules are built
// explicitly. npm 11 gates dependency install scripts behind "allowScripts" and may skip or
// refuse them, so a rebuild is never trusted: each module is loaded afterwards, and one that
// does not load is built with node-gyp directly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findExecutable } from './findExecutable';
import { runCommand, runCommandOrThrow, tail } from './runCommand';

export const CODE_SERVER_VERSION = '4.100.3';

/** Where the parts of an installation live inside its directory. */
export interface CodeServerLayout {
  dir: string;
  packageDir: string;
  vscodeDir: string;
  /** code-server's CLI entry point; run it with `node`. */
  entry: string;
  logFile: string;
}

export function layoutOf(dir: string): CodeServerLayout {
  const packageDir = path.join(dir, 'node_modules', 'code-server');
  return {
    dir,
    packageDir,
    vscodeDir: path.join(packageDir, 'lib', 'vscode'),
    entry: path.join(packageDir, 'out', 'node', 'entry.js'),
    logFile: path.join(dir, 'install.log'),
  };
}

/** A native module, the folder it is resolved from, and how to build it without npm. */
interface NativeModule {
  name: string;
  /** root: code-server's own dependencies (hoisted to the install root); vscode: lib/vscode's. */
  from: 'root' | 'vscode';
  buildWith: 'node-gyp' | 'node-pre-gyp';
}

const NATIVE_MODULES: readonly NativeModule[] = [
  { name: 'argon2', from: 'root', buildWith: 'node-pre-gyp' },
  { name: 'kerberos', from: 'vscode', buildWith: 'node-gyp' },
  { name: 'node-pty', from: 'vscode', buildWith: 'node-gyp' },
  { name: '@parcel/watcher', from: 'vscode', buildWith: 'node-gyp' },
  { name: '@vscode/spdlog', from: 'vscode', buildWith: 'node-gyp' },
  { name: '@vscode/deviceid', from: 'vscode', buildWith: 'node-gyp' },
  { name: 'native-watchdog', from: 'vscode', buildWith: 'node-gyp' },
];

const STEP_TIMEOUT_MS = 15 * 60 * 1000;

/**
 * Fails fast, naming the Debian packages, when a tool the build needs is missing; otherwise a
 * fresh machine would fail minutes later inside node-gyp with a much less helpful message.
 * Returns warnings about what may still fail.
 */
export async function checkBuildPrerequisites(): Promise<string[]> {
  const missing: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) missing.push(what);
  };
  need(findExecutable('npm') !== undefined, 'npm');
  need(findExecutable('make') !== undefined, 'make (apt-get install -y build-essential)');
  need(findExecutable('g++') !== undefined || findExecutable('c++') !== undefined, 'a C++ compiler (apt-get install -y build-essential)');
  need(findExecutable('python3') !== undefined, 'python3 (apt-get install -y python3)');
  need(findExecutable('rg') !== undefined, 'rg (apt-get install -y ripgrep)');
  const pkgConfig = findExecutable('pkg-config');
  need(pkgConfig !== undefined, 'pkg-config (apt-get install -y pkg-config)');
  if (pkgConfig) {
    const krb5 = await runCommand(pkgConfig, ['--exists', 'krb5-gssapi'], { cwd: process.cwd() });
    need(krb5.exitCode === 0, 'Kerberos headers (apt-get install -y libkrb5-dev)');
  }
  if (missing.length > 0) throw new Error(`cannot build code-server's native modules; missing:\n  - ${missing.join('\n  - ')}`);
  const env = npmEnvironment();
  return env.npm_config_nodedir || process.env.npm_config_nodedir
    ? []
    : [`no Node ${process.version} headers beside ${process.execPath}; node-gyp will try to download them from nodejs.org`];
}

/** Installs code-server into `dir` (which must not hold another installation). */
export async function installCodeServer(dir: string, progress: (line: string) => void): Promise<CodeServerLayout> {
  const layout = layoutOf(dir);
  const env = npmEnvironment();
  const npm = (cwd: string, args: string[]) => runCommandOrThrow('npm', [...args, '--prefix', cwd], { cwd, env, logFile: layout.logFile, timeoutMs: STEP_TIMEOUT_MS });
  const steps: Array<[string, () => Promise<void>]> = [
    [
      `downloading code-server@${CODE_SERVER_VERSION}`,
      async () => {
        // Without its own package.json npm would walk up and install into the project.
        fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'code-server-test-host', private: true }, null, 2));
        await npm(dir, ['install', '--ignore-scripts', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`]);
      },
    ],
    ['installing VS Code server dependencies', async () => void (await npm(layout.vscodeDir, ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund']))],
    ['building native modules (the slow part)', () => buildNativeModules(layout, env)],
    ['linking Debian ripgrep and the asar folder', async () => linkRipgrepAndAsar(layout)],
    ['installing built-in extensions dependencies', async () => void (await npm(path.join(layout.vscodeDir, 'extensions'), ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund']))],
  ];
  for (const [index, [title, step]] of steps.entries()) {
    const started = Date.now();
    progress(`(${index + 1}/${steps.length}) ${title}…`);
    await step();
    progress(`(${index + 1}/${steps.length}) done in ${seconds(Date.now() - started)}`);
  }
  return layout;
}

/** Loads every native module in a fresh Node; returns one line per module that fails. */
export async function nativeModuleProblems(layout: CodeServerLayout, modules: readonly NativeModule[] = NATIVE_MODULES): Promise<string[]> {
  const problems: string[] = [];
  for (const from of ['root', 'vscode'] as const) {
    const names = modules.filter((m) => m.from === from).map((m) => m.name);
    if (names.length === 0) continue;
    const result = await runCommand(process.execPath, ['-e', LOAD_EACH_MODULE, ...names], { cwd: moduleBase(layout, from), timeoutMs: 60_000 });
    problems.push(...result.output.split('\n').filter((line) => line.startsWith('cannot load ')));
    if (result.exitCode !== 0 && !problems.length) problems.push(`loading native modules failed (exit ${result.exitCode}):\n${tail(result.output, 10)}`);
  }
  return problems;
}

// Runs in a child Node whose cwd decides where `require` resolves from; names come as argv.
const LOAD_EACH_MODULE = `
for (const name of process.argv.slice(1)) {
  try { require(name); }
  catch (error) { console.log('cannot load ' + name + ': ' + String(error && error.message).split('\\n')[0]); process.exitCode = 1; }
}`;

async function buildNativeModules(layout: CodeServerLayout, env: NodeJS.ProcessEnv): Promise<void> {
  for (const module of NATIVE_MODULES) {
    const base = moduleBase(layout, module.from);
    // node-pty's post-install step (compile_commands.json) fails after pty.node is built, so
    // npm's exit code says nothing; loading the module below is the real check.
    await runCommand('npm', ['rebuild', '--foreground-scripts', '--prefix', base, module.name], { cwd: base, env, logFile: layout.logFile, timeoutMs: STEP_TIMEOUT_MS });
    if ((await nativeModuleProblems(layout, [module])).length === 0) continue;
    fs.appendFileSync(layout.logFile, `\n# npm rebuild did not produce a loadable ${module.name}; building it directly\n`);
    await buildDirectly(module, layout, env);
    const problems = await nativeModuleProblems(layout, [module]);
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\n(build log: ${layout.logFile})`);
  }
}

async function buildDirectly(module: NativeModule, layout: CodeServerLayout, env: NodeJS.ProcessEnv): Promise<void> {
  const moduleDir = path.join(moduleBase(layout, module.from), 'node_modules', ...module.name.split('/'));
  const nodeGyp = bundledNodeGyp();
  const options = { cwd: moduleDir, env: { ...env, npm_config_node_gyp: nodeGyp }, logFile: layout.logFile, timeoutMs: STEP_TIMEOUT_MS };
  if (module.buildWith === 'node-pre-gyp') {
    // argon2 loads its binary from where node-pre-gyp puts it, not from build/Release.
    const nodePreGyp = path.join(layout.dir, 'node_modules', '@mapbox', 'node-pre-gyp', 'bin', 'node-pre-gyp');
    await runCommandOrThrow(process.execPath, [nodePreGyp, 'rebuild'], options);
  } else {
    await runCommandOrThrow(process.execPath, [nodeGyp, 'rebuild'], options);
  }
}

/** node-gyp as shipped inside npm, so building needs nothing from the network. */
function bundledNodeGyp(): string {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(path.dirname(process.execPath)), 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const found = candidates.find((candidate) => candidate && fs.existsSync(candidate));
  if (!found) throw new Error(`node-gyp not found (looked at ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

function linkRipgrepAndAsar(layout: CodeServerLayout): void {
  // VS Code's search runs @vscode/ripgrep's binary, which its install script would download.
  const rg = findExecutable('rg');
  if (!rg) throw new Error('rg not found on PATH: apt-get install -y ripgrep');
  const binDir = path.join(layout.vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  fs.copyFileSync(fs.realpathSync(rg), path.join(binDir, 'rg'));
  fs.chmodSync(path.join(binDir, 'rg'), 0o755);
  // Code and extensions look for unpacked asar content under node_modules.asar.
  replaceWithSymlink('node_modules', path.join(layout.vscodeDir, 'node_modules.asar'));
  // What code-server's postinstall links, so `code` works in the integrated terminal.
  replaceWithSymlink('code-linux.sh', path.join(layout.vscodeDir, 'bin', 'remote-cli', 'code-server'));
  replaceWithSymlink('browser-linux.sh', path.join(layout.vscodeDir, 'bin', 'helpers', 'browser.sh'));
}

function replaceWithSymlink(target: string, linkPath: string): void {
  fs.rmSync(linkPath, { recursive: true, force: true });
  fs.symlinkSync(target, linkPath);
}

function moduleBase(layout: CodeServerLayout, from: NativeModule['from']): string {
  return from === 'root' ? layout.dir : layout.vscodeDir;
}

/**
 * The environment for npm and node-gyp. When the runner itself was started by `npm run`, npm
 * exported this project's settings (local prefix, package fields); they must not leak into
 * installs in other folders. Node's headers come from the local Node installation when it has
 * them, because node-gyp would otherwise download them from nodejs.org.
 */
export function npmEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$|config_call$|config_ignore_scripts$)/i.test(key)) continue;
    env[key] = value;
  }
  env.npm_config_update_notifier = 'false';
  // node-pty's post-install would fetch node-gyp with npx just to write compile_commands.json.
  env.npm_config_yes = 'false';
  const headers = localNodeHeaders();
  if (headers && !env.npm_config_nodedir) env.npm_config_nodedir = headers;
  return env;
}

function localNodeHeaders(): string | undefined {
  const prefix = path.dirname(path.dirname(process.execPath));
  const versionHeader = path.join(prefix, 'include', 'node', 'node_version.h');
  if (!fs.existsSync(versionHeader)) return undefined;
  const text = fs.readFileSync(versionHeader, 'utf8');
  const part = (name: string) => text.match(new RegExp(`#define NODE_${name}_VERSION (\\d+)`))?.[1];
  const headerVersion = `v${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`;
  return headerVersion === process.version ? prefix : undefined;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
