import { setFlagsFromString } from 'node:v8';

// Imported first by the CLI, before sql.js compiles its WebAssembly.
//
// A CLI run is short, so V8's optimising compiler costs more than it saves here: it recompiles
// sql.js's ~680 KB of wasm with TurboFan on background threads, about 0.45 s of CPU per run
// (measured with `perf` on `npm run bench`'s 50-task run, 2 cores), CPU the agents need. The
// baseline compiler (Liftoff) alone runs our few small queries just as well. The extension
// host is long-lived and shared with other extensions, so only the CLI sets this.
setFlagsFromString('--liftoff-only');
