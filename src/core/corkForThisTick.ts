import type { Writable } from 'node:stream';

/**
 * Holds what `stream` is given for the rest of this tick and writes it out as one chunk on the
 * next: the lines one event produces (a chunk of agent output, a run's state changes) become one
 * system call instead of one each.
 */
export function corkForThisTick(stream: Writable): void {
  if (stream.writableCorked > 0) return;
  stream.cork();
  process.nextTick(() => stream.uncork());
}
