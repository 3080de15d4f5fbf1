// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The pure layers (engine, protocol, webview app) must never depend on the editor API:
// the engine also runs headless from the CLI and in plain-Node unit tests.
const noVscode = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'src/core, src/shared and webview-ui must not import vscode; put editor code in src/vscode.' }],
  }],
};

// The editor and the CLI read the engine through the Orchestrator's own methods (taskViews(),
// runs(), readOnly, …); its store is the engine's, open to src/core and the tests only.
const noStoreReach = {
  'no-restricted-syntax': ['error',
    { selector: "MemberExpression[property.name='store']", message: "Use the Orchestrator's reads (src/core/orchestrator.ts); its store stays inside src/core." },
    { selector: "ObjectPattern > Property[key.name='store']", message: "Use the Orchestrator's reads (src/core/orchestrator.ts); its store stays inside src/core." },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.vscode-test/**', 'dist-vsix/**', 'webview-ui/node_modules/**', 'webview-ui/dist/**', '.agent-orchestrator/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  { files: ['src/core/**', 'src/shared/**', 'webview-ui/**'], rules: noVscode },
  { files: ['src/vscode/**', 'src/cli/**'], rules: noStoreReach },
  { files: ['webview-ui/src/**'], languageOptions: { globals: { ...globals.browser } } },
);
