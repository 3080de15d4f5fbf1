import { setFlagsFromString } from 'node:v8';

// Imported first by the CLI, before sql.js compiles its WebAssembly.
//
// A CLI run is short, so V8's optimising compilers cost more than they save here, CPU the agents
// need (measured with `perf` on `npm run bench`'s 50-task run, 2 cores):
// - TurboFan recompiles sql.js's ~680 KB of wasm on background threads, about 0.45 s of CPU per
//   run; the baseline compiler (Liftoff) alone runs our few small queries just as well.
// - TurboFan also recompiles the hot parts of our own JavaScript, about 0.1 s per run, for code
//   that mostly waits on agents; the interpreter and Sparkplug run it just as well.
// The extension host is long-lived and shared with other extensions, so only the CLI sets these.
setFlagsFromString('--liftoff-only');
setFlagsFromString('--no-opt');
