// @ts-check
// The layers of src/ and the rules between them (docs/architecture.md draws them).
// `npm run lint` runs this after ESLint; every rule is an error.
//
// A deep import from the editor into the engine fails like this:
//   error no-deep-core-import: src/vscode/x.ts → src/core/store/index.ts
//     src/vscode and src/cli use the engine through src/core/index.ts only.
// (test/unit/architecture.test.ts proves it on a scratch file.)

/** Rooms of src/core, lowest first: a room may import its own layer's files and lower layers only. */
const CORE_LAYERS = [
  // 0: plain facts and helpers with no engine behind them
  ['src/core/(model|randomHex|intervals|lazyGlob|strategy|settings)\\.ts$'],
  // 1: the task graph; processes (spawn, process tree, capped logs)
  ['src/core/graph\\.ts$', 'src/core/process/'],
  // 2: rooms that each own one outside thing: plans, the database, git, agent CLIs, scheduling
  ['src/core/plan/', 'src/core/store/', 'src/core/git/', 'src/core/agents/', 'src/core/scheduler/'],
  // 3: reports read attempts and agent events; review reads what tasks changed and merges it back
  ['src/core/report/', 'src/core/review/'],
  // 4: one run: an attempt from worktree to verdict, recovery, control requests
  ['src/core/run/'],
  // 5: the façade and the one entry the editor and the CLI import
  ['src/core/orchestrator(Reads)?\\.ts$', 'src/core/index\\.ts$'],
];

const upward = CORE_LAYERS.flatMap((rooms, level) => {
  const higher = CORE_LAYERS.slice(level + 1).flat();
  if (higher.length === 0) return [];
  return [{
    name: `no-upward-import-${level}`,
    comment: `Layer ${level} (${rooms.join(', ')}) must not import a higher layer.`,
    severity: 'error',
    from: { path: rooms.map((room) => `^${room}`) },
    to: { path: higher.map((room) => `^${room}`) },
  }];
});

// Rooms on one layer stay out of each other (git must not run agents' code, for instance).
const sideways = CORE_LAYERS.flatMap((rooms, level) =>
  rooms.length < 2 || level === 0 || level === CORE_LAYERS.length - 1
    ? []
    : rooms.map((room) => ({
        name: `no-sideways-import-${level}`,
        comment: `${room} must not import another room of layer ${level}; move the shared part down a layer.`,
        severity: 'error',
        from: { path: `^${room}` },
        to: { path: rooms.filter((other) => other !== room).map((other) => `^${other}`) },
      })),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles hide which module owns what.',
      severity: 'error',
      from: { path: '^(src|webview-ui/src)/' },
      to: { circular: true },
    },
    {
      name: 'no-deep-core-import',
      comment: 'src/vscode and src/cli use the engine through src/core/index.ts only.',
      severity: 'error',
      from: { path: '^src/(vscode|cli)/' },
      to: { path: '^src/core/', pathNot: '^src/core/index\\.ts$' },
    },
    {
      name: 'core-stays-headless',
      comment: 'The engine runs in the CLI and in plain Node: it never reaches into the editor, the CLI or the webview.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^(src/(vscode|cli|shared)|webview-ui)/' },
    },
    {
      name: 'shared-stays-below-the-editor',
      comment: 'src/shared is read by the host and the webview alike; it never imports either side.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^(src/(vscode|cli)|webview-ui)/' },
    },
    {
      name: 'shared-reads-core-facts-only',
      comment: 'src/shared travels into the webview bundle: besides types, it may read only the fact tables in src/core/model.ts.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/core/', pathNot: '^src/core/model\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'webview-through-protocol',
      comment: 'The webview app knows the host only through src/shared.',
      severity: 'error',
      from: { path: '^webview-ui/src/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    ...upward,
    ...sideways,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    // `import type` counts: a type import is still a dependency of the design.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
  },
};
