// Builds everything that ships or runs tests:
//   dist/extension.js  the extension (CJS, `vscode` external, everything else bundled: p-queue is ESM-only)
//   dist/cli.js        the headless CLI's executable: loads dist/cli-main.js (the CLI over the same
//                      engine) through V8's code cache
//   dist/scripted-agent.js  the project's own deterministic agent (demo and tests)
//   dist/spawnHelper.js the process that starts the engine's child processes for the extension host
//                      (src/core/process/spawnHelper.ts), started from beside the bundle
//   dist/storeWorker.js the worker thread that owns the database file (src/core/store/storeWorker.ts),
//                      started by the extension and the CLI from beside their bundles
//   dist/sql-wasm.wasm sql.js's engine, loaded from beside the bundle
//   dist/webview/      the dashboard app (webview-ui, built by Vite to fixed names)
//   dist/plan.schema.json  the plan schema, contributed to VS Code for completion
//   dist/empty.sqlite  the database a new workspace starts from (the schema's migrations, applied)
// With --tests it also transpiles src/, test/ and bench/ file by file into out/ for mocha and the
// test runners (not bundled, so test files can import single modules), and bundles the tests of
// the webview's DOM-free modules (test/unit/webview/) into out/ beside them, and simple-git into
// out/node_modules/simple-git/ with its spawns redirected as in the bundles (see simpleGitSpawns).
// Flags: --production (minify, no source maps), --watch, --tests, --no-webview.
// Outputs are overwritten, not wiped first, so parallel builds never delete each other's files;
// `npm run clean` removes dist/ and out/.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');
const withWebview = !args.has('--no-webview');
const require = createRequire(import.meta.url);

function log(message) {
  process.stdout.write(`[build] ${message}\n`);
}

function copyWasm() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const wasm = require.resolve('sql.js/dist/sql-wasm.wasm', { paths: [root] });
  copyFileSync(wasm, join(root, 'dist', 'sql-wasm.wasm'));
}

function buildWebview() {
  const dir = join(root, 'webview-ui');
  if (!existsSync(join(dir, 'node_modules'))) {
    log('installing webview-ui dependencies');
    const install = spawnSync('npm', [existsSync(join(dir, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
    if (install.status !== 0) throw new Error('webview-ui: npm install failed');
  }
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('webview-ui: vite build failed');
}

function listTs(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listTs(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/**
 * Deletes compiled tests in out/test whose source is gone (moved or removed): mocha runs every
 * test file under out/ (.mocharc.unit.json), so a stale one would still run and count in the totals.
 */
function removeStaleTests(dir = join(root, 'out', 'test')) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) removeStaleTests(full);
    else if (name.endsWith('.test.js') && !existsSync(join(root, full.slice(join(root, 'out').length + 1)).replace(/\.js$/, '.ts'))) {
      rmSync(full);
      rmSync(`${full}.map`, { force: true });
    }
  }
}

const bundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // ESM-only dependencies (fdir under tinyglobby) call createRequire(import.meta.url); in a CJS
  // bundle import.meta is empty, so give it this file's URL.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

/**
 * simple-git starts git with `require('child_process').spawn`. This points that one import, for
 * simple-git only, at src/core/process/childProcessForLibraries.ts, so its git commands start
 * where the engine's other children start (src/core/process/spawnChild.ts: in the extension, the
 * spawn helper; never a fork of the extension host). Everything else keeps Node's module.
 * `outOfTree`: for out/node_modules/simple-git/, which loads the transpiled module from out/src.
 */
function simpleGitSpawns(outOfTree = false) {
  return {
    name: 'simple-git-spawns',
    setup(build) {
      build.onResolve({ filter: /^(node:)?child_process$/ }, (args) => {
        if (!/[\\/]node_modules[\\/]simple-git[\\/]/.test(args.importer)) return undefined;
        if (outOfTree) return { path: '../../src/core/process/childProcessForLibraries.js', external: true };
        return { path: join(root, 'src/core/process/childProcessForLibraries.ts') };
      });
    },
  };
}

/** Bundles one of our TypeScript modules in memory and evaluates it: for files made from our own code. */
async function evaluateModule(entry) {
  const result = await esbuild.build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['sql.js'],
    write: false,
    logLevel: 'warning',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', result.outputFiles[0].text)(module, module.exports, require);
  return module.exports;
}

/**
 * dist/plan.schema.json, contributed to VS Code for completion in *.plan.json / *.plan.yaml. The
 * schema's source is the TypeScript constant the plan parser validates with, so they never differ.
 */
async function writePlanSchema() {
  const { PLAN_SCHEMA } = await evaluateModule('src/core/plan/planSchema.ts');
  writeFileSync(join(root, 'dist', 'plan.schema.json'), `${JSON.stringify(PLAN_SCHEMA, null, 2)}\n`);
}

/**
 * dist/empty.sqlite, the database a new workspace starts from, made by the schema's own
 * migrations (src/core/store/emptyDatabase.ts says why). The tests load modules from out/, so
 * with --tests a copy goes beside out/'s store modules too.
 */
async function writeEmptyDatabase() {
  const { buildEmptyDatabase, EMPTY_DATABASE_FILE } = await evaluateModule('src/core/store/emptyDatabase.ts');
  const initSqlJs = require('sql.js');
  const bytes = buildEmptyDatabase(await initSqlJs({ wasmBinary: readFileSync(join(root, 'dist', 'sql-wasm.wasm')) }));
  writeFileSync(join(root, 'dist', EMPTY_DATABASE_FILE), bytes);
  if (withTests) {
    mkdirSync(join(root, 'out/src/core/store'), { recursive: true });
    writeFileSync(join(root, 'out/src/core/store', EMPTY_DATABASE_FILE), bytes);
  }
}

async function main() {
  const started = Date.now();
  copyWasm();
  if (withWebview) buildWebview();
  // vsce writes the package into dist-vsix/ but does not create the folder.
  if (production) mkdirSync(join(root, 'dist-vsix'), { recursive: true });

  const extension = { ...bundleOptions, entryPoints: [join(root, 'src/vscode/extension.ts')], outfile: join(root, 'dist/extension.js'), plugins: [simpleGitSpawns()] };
  // The CLI is two files: dist/cli.js, a small launcher (the executable), loads dist/cli-main.js
  // through V8's code cache (src/cli/codeCache.ts).
  const cli = { ...bundleOptions, entryPoints: [join(root, 'src/cli/main.ts')], outfile: join(root, 'dist/cli-main.js'), plugins: [simpleGitSpawns()] };
  const cliLauncher = {
    ...bundleOptions,
    entryPoints: [join(root, 'src/cli/launcher.ts')],
    outfile: join(root, 'dist/cli.js'),
    banner: { js: '#!/usr/bin/env node' },
  };

  // The project's own deterministic agent: the demo's and the tests' default agent, shipped in the .vsix.
  const scriptedAgent = {
    ...bundleOptions,
    entryPoints: [join(root, 'src/core/agents/scripted/scriptedAgent.ts')],
    outfile: join(root, 'dist/scripted-agent.js'),
  };

  // The store's worker thread: started from beside the bundle that uses the store (workerMirror.ts);
  // in out/ the transpiled src/core/store/storeWorker.js sits beside workerMirror.js the same way.
  const storeWorker = {
    ...bundleOptions,
    entryPoints: [join(root, 'src/core/store/storeWorker.ts')],
    outfile: join(root, 'dist/storeWorker.js'),
  };

  // The process that starts children for the extension host (src/core/process/spawnHelperClient.ts).
  const spawnHelper = {
    ...bundleOptions,
    entryPoints: [join(root, 'src/core/process/spawnHelper.ts')],
    outfile: join(root, 'dist/spawnHelper.js'),
  };

  const contexts = [extension, cli, cliLauncher, scriptedAgent, storeWorker, spawnHelper];
  if (withTests) {
    // The webview's modules import @dagrejs/dagre, which is installed in webview-ui/node_modules
    // only: a file transpiled into out/webview-ui/ could not find it at run time. So those tests
    // are bundled instead (esbuild resolves each import from the importing file's own folder) and
    // run as single files; everything else is transpiled file by file.
    const webviewTests = join(root, 'test', 'unit', 'webview');
    const entryPoints = ['src', 'test', 'bench'].flatMap((d) => listTs(join(root, d))).filter((file) => !file.startsWith(webviewTests + sep));
    const webviewTestFiles = listTs(webviewTests).filter((file) => file.endsWith('.test.ts'));
    if (webviewTestFiles.length > 0) {
      contexts.push({
        entryPoints: webviewTestFiles,
        outdir: join(root, 'out'),
        outbase: root,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        sourcemap: true,
        logLevel: 'warning',
      });
    }
    // simple-git for the transpiled code in out/: Node finds out/node_modules/simple-git before
    // the root's, so the tests run simple-git's spawns through the engine's spawner as the bundles do.
    contexts.push({
      ...bundleOptions,
      sourcemap: false,
      entryPoints: [require.resolve('simple-git', { paths: [root] })],
      outfile: join(root, 'out/node_modules/simple-git/index.js'),
      plugins: [simpleGitSpawns(true)],
    });
    contexts.push({
      entryPoints,
      outdir: join(root, 'out'),
      outbase: root,
      bundle: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // import() of our own files as require(), as in the bundles: Node's ESM loader cannot find
      // an extensionless CommonJS path.
      supported: { 'dynamic-import': false },
      sourcemap: true,
      logLevel: 'warning',
    });
  }

  // Made from our own sources, not from the bundles, so they are ready before any build finishes.
  await Promise.all([writePlanSchema(), writeEmptyDatabase()]);
  if (watch) {
    for (const options of contexts) {
      const ctx = await esbuild.context(options);
      await ctx.watch();
    }
    log('watching for changes');
    return;
  }
  await Promise.all(contexts.map((options) => esbuild.build(options)));
  chmodSync(join(root, 'dist/cli.js'), 0o755);
  if (withTests) {
    // Test fixtures that are not TypeScript (plans, scripts) are read from test/ directly.
    writeFileSync(join(root, 'out', 'package.json'), JSON.stringify({ type: 'commonjs' }));
    removeStaleTests();
    writeFileSync(join(root, 'out/node_modules/simple-git/package.json'), JSON.stringify({ name: 'simple-git', main: 'index.js' }));
  }
  const size = statSync(join(root, 'dist/extension.js')).size;
  log(`done in ${Date.now() - started} ms (extension.js ${(size / 1024).toFixed(0)} KB${production ? ', production' : ''})`);
}

main().catch((error) => {
  process.stderr.write(`[build] ${error.message}\n`);
  process.exit(1);
});
