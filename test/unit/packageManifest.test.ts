// What the Marketplace and a new user see of the package, read from package.json and the files
// it names: the icon (a real 128×128 PNG), categories, links, licence, extensionKind, the
// changelog, what .vscodeignore lets into the .vsix, the walkthrough's steps and the welcome
// view's text. `npm run package` builds the .vsix itself (README, "Development").
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_NOTIFICATION_LEVEL, NOTIFICATION_LEVELS } from '../../src/vscode/session/runEndText';
import { repoRoot } from '../support/repoRoot';

const root = repoRoot();

interface WalkthroughStep {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly media: { readonly markdown?: string; readonly image?: string };
  readonly completionEvents?: readonly string[];
}

interface Manifest {
  readonly version: string;
  readonly license?: string;
  readonly icon?: string;
  readonly categories?: readonly string[];
  readonly keywords?: readonly string[];
  readonly repository?: { readonly url?: string };
  readonly bugs?: { readonly url?: string };
  readonly homepage?: string;
  readonly galleryBanner?: { readonly color?: string; readonly theme?: string };
  readonly extensionKind?: readonly string[];
  readonly scripts: Record<string, string>;
  readonly contributes: {
    readonly commands: ReadonlyArray<{ readonly command: string }>;
    readonly walkthroughs?: ReadonlyArray<{ readonly id: string; readonly steps: readonly WalkthroughStep[] }>;
    readonly viewsWelcome: ReadonlyArray<{ readonly contents: string }>;
    readonly configuration: { readonly properties: Record<string, { readonly default?: unknown; readonly enum?: readonly unknown[] }> };
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;


/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file} is not a PNG`);
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${file} has no IHDR chunk first`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the package manifest', () => {
  it('names a 128×128 PNG icon that exists', () => {
    assert.equal(manifest.icon, 'media/icon.png');
    assert.deepEqual(pngSize(path.join(root, manifest.icon)), { width: 128, height: 128 });
  });

  it('is in the AI category, with keywords', () => {
    assert.ok(manifest.categories?.includes('AI'), `categories: ${JSON.stringify(manifest.categories)}`);
    assert.ok((manifest.keywords?.length ?? 0) >= 5);
  });

  it('names its repository, issues, home page and licence, and the licence file says the same', () => {
    assert.match(manifest.repository?.url ?? '', /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+(\.git)?$/);
    assert.match(manifest.bugs?.url ?? '', /^https:\/\/github\.com\/.+\/issues$/);
    assert.match(manifest.homepage ?? '', /^https:\/\//);
    assert.equal(manifest.license, 'MIT');
    assert.match(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8'), /^MIT License\n/);
    assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
  });

  it('runs where the repository is (extensionKind workspace)', () => {
    assert.deepEqual(manifest.extensionKind, ['workspace']);
  });

  it('has a changelog with a section for this version', () => {
    const changelog = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
    assert.match(changelog, new RegExp(`^## ${manifest.version.replace(/\./g, '\\.')}\\b`, 'm'));
  });

  it('lets the icon, the changelog, the licence and the walkthrough pages into the .vsix, and packages without --allow-missing-repository', () => {
    const lines = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').map((line) => line.trim());
    for (const kept of ['!CHANGELOG.md', '!LICENSE', '!README.md', '!media/icon.png', '!media/walkthrough/**', '!dist/spawnHelper.js']) assert.ok(lines.includes(kept), `.vscodeignore lacks ${kept}`);
    assert.doesNotMatch(manifest.scripts.package, /--allow-missing-repository/);
  });

  it('contributes the notifications setting with the default and levels runEndText.ts reads', () => {
    const setting = manifest.contributes.configuration.properties['agentOrchestrator.notifications'];
    assert.ok(setting, 'agentOrchestrator.notifications is not contributed');
    assert.equal(setting.default, DEFAULT_NOTIFICATION_LEVEL);
    assert.deepEqual(setting.enum, [...NOTIFICATION_LEVELS]);
  });

  it('has a walkthrough whose steps complete on contributed commands or context keys, with their pages present', () => {
    const walkthrough = manifest.contributes.walkthroughs?.find((w) => w.id === 'gettingStarted');
    assert.ok(walkthrough, 'no gettingStarted walkthrough');
    assert.deepEqual(walkthrough.steps.map((step) => step.id), ['plan', 'checkAgents', 'import', 'run', 'dashboard', 'review']);
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents && step.completionEvents.length > 0, `step ${step.id} has no completion event (it would complete on being opened)`);
      for (const event of step.completionEvents) {
        const [kind, target] = event.split(/:(.*)/s);
        assert.ok(['onCommand', 'onContext', 'onSettingChanged'].includes(kind), `step ${step.id}: unexpected event ${event}`);
        if (kind === 'onCommand') assert.ok(commands.has(target), `step ${step.id} waits for ${target}, which is not contributed`);
        else assert.match(target, /^agentOrchestrator\.\w+$/, `step ${step.id}: ${event}`);
      }
      const page = step.media.markdown ?? step.media.image;
      assert.ok(page && fs.existsSync(path.join(root, page)), `step ${step.id}'s media ${page} is missing`);
    }
  });

  it('writes the welcome view without code spans, which it would show as literal backticks', () => {
    for (const view of manifest.contributes.viewsWelcome) assert.doesNotMatch(view.contents, /`/, view.contents);
  });
});
