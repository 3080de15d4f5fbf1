// The layer rules of .dependency-cruiser.cjs (docs/architecture.md), run for real: a scratch tree
// with each kind of forbidden import fails with the rule's name (`npm run lint` checks the
// repository itself with the same config). The scratch tree mirrors src/'s folders in a temp folder, so the rules (which match paths
// from the working directory) apply to it exactly as they do to the repository.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../support/repoRoot';

const root = repoRoot();
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

interface Cruise {
  readonly status: number | null;
  readonly output: string;
}

function cruise(cwd: string, targets: readonly string[]): Cruise {
  const result = spawnSync(process.execPath, [depcruise, ...targets, '--config', config, '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('architecture: the layer rules (.dependency-cruiser.cjs)', function () {
  this.timeout(60_000);
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'ao-layers-'));
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node10', strict: true } }));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  function write(files: Record<string, string>): void {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), text);
    }
  }

  it('a deep import from src/vscode into src/core/store fails as no-deep-core-import', () => {
    write({
      'src/core/store/index.ts': 'export const store = 1;\n',
      'src/core/index.ts': "export { store } from './store';\n",
      'src/vscode/viaEntry.ts': "import { store } from '../core';\nexport const a = store;\n",
      'src/vscode/deep.ts': "import { store } from '../core/store';\nexport const b = store;\n",
    });
    const result = cruise(scratch, ['src']);
    assert.notEqual(result.status, 0);
    assert.match(result.output, /no-deep-core-import: src\/vscode\/deep\.ts → src\/core\/store\/index\.ts/);
    assert.doesNotMatch(result.output, /viaEntry/, 'an import through src/core/index.ts is allowed');
  });

  it('an import from a lower layer to a higher one fails (git → run), and so does a cycle', () => {
    write({
      'src/core/run/executor.ts': "export const run = 1;\n",
      'src/core/git/worktrees.ts': "import { run } from '../run/executor';\nexport const w = run;\n",
      'src/core/store/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'src/core/store/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });
    const result = cruise(scratch, ['src']);
    assert.notEqual(result.status, 0);
    assert.match(result.output, /no-upward-import-2: src\/core\/git\/worktrees\.ts → src\/core\/run\/executor\.ts/);
    assert.match(result.output, /no-circular: src\/core\/store\/(a|b)\.ts/);
  });

  it('rooms of one layer stay apart (git → agents), and the webview reaches the host only through src/shared', () => {
    write({
      'src/core/agents/profiles.ts': 'export const p = 1;\n',
      'src/core/git/setup.ts': "import { p } from '../agents/profiles';\nexport const s = p;\n",
      'src/core/model.ts': 'export const m = 1;\n',
      'webview-ui/src/app.ts': "import { m } from '../../src/core/model';\nexport const x = m;\n",
    });
    const result = cruise(scratch, ['src', 'webview-ui/src']);
    assert.notEqual(result.status, 0);
    assert.match(result.output, /no-sideways-import-2: src\/core\/git\/setup\.ts → src\/core\/agents\/profiles\.ts/);
    assert.match(result.output, /webview-through-protocol: webview-ui\/src\/app\.ts → src\/core\/model\.ts/);
  });
});
