// Loads the sql.js engine under Node. The wasm is handed over as bytes (`wasmBinary`) rather than
// located by path: with a global `fetch`, emscripten may try to fetch a `locateFile` path, and a
// wrong path only shows up as "expected magic word 00 61 73 6d".
//
// sql.js instantiates itself once per process: its initSqlJs() keeps the first promise forever,
// even a rejected one, and ignores the config of every later call. So there is one engine per
// process, and the wasm is checked here before sql.js sees it, so that a wrong path gives a clear
// error and leaves the way open for a later call with a right one.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

let engine: Promise<SqlJsStatic> | undefined;

/**
 * The bundle ships `sql-wasm.wasm` beside itself (dist/); unbundled code (tests, out/) falls back
 * to the copy inside node_modules. When neither exists, the path beside the bundle is returned,
 * so the error names the place the file should be.
 */
export function defaultWasmPath(): string {
  const besideBundle = join(__dirname, 'sql-wasm.wasm');
  if (existsSync(besideBundle)) return besideBundle;
  try {
    // Through createRequire, not require.resolve: esbuild would try to bundle a literal one.
    return createRequire(__filename).resolve('sql.js/dist/sql-wasm.wasm');
  } catch {
    return besideBundle;
  }
}

/** The process's engine; `wasmPath` matters only to the first successful call. */
export function loadSqlJs(wasmPath: string = defaultWasmPath()): Promise<SqlJsStatic> {
  if (engine) return engine;
  let wasmBinary: ArrayBuffer;
  try {
    wasmBinary = readWasm(wasmPath);
  } catch (error) {
    return Promise.reject(error as Error);
  }
  engine = initSqlJs({ wasmBinary }).catch((error: Error) => {
    throw new Error(`Cannot load the SQLite engine from ${wasmPath}: ${error.message}`);
  });
  return engine;
}

function readWasm(wasmPath: string): ArrayBuffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(wasmPath);
  } catch (error) {
    throw new Error(`Cannot load the SQLite engine: ${wasmPath} is not readable (${(error as Error).message})`);
  }
  if (!WASM_MAGIC.every((byte, i) => bytes[i] === byte)) {
    throw new Error(`Cannot load the SQLite engine: ${wasmPath} is not a WebAssembly file (expected magic word 00 61 73 6d)`);
  }
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
