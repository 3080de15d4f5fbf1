/**
 * Random hex for names and tokens that only must not collide: run id suffixes, lock owner tokens,
 * tombstone and control request file names. None is a secret (whoever can read them can already
 * write the files they guard), so Math.random does; node:crypto would add ~4 ms to every CLI start
 * just to load (measured on `run`).
 */
export function randomHex(bytes: number): string {
  let hex = '';
  for (let i = 0; i < bytes; i++) hex += Math.floor(Math.random() * 256).toString(16).padStart(2, '0');
  return hex;
}
