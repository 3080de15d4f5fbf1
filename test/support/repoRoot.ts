// Test code runs from two places: transpiled under out/test/... (runners, mocha in the extension
// host) and, in editors, from test/... directly. Walking up to the manifest works from both.
import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'agent-orchestrator';

/** The repository root: the nearest ancestor of `from` whose package.json is this extension's. */
export function repoRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && readManifest(manifest).name === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${from}`);
  }
}

/** The extension's manifest (name, version, publisher), read from disk rather than from VS Code. */
export function extensionManifest(root: string = repoRoot()): { name: string; publisher: string; version: string } {
  return readManifest(path.join(root, 'package.json')) as { name: string; publisher: string; version: string };
}

function readManifest(file: string): { name?: unknown } & Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown } & Record<string, unknown>;
}
