import type { Writable } from 'node:stream';

/**
 * Holds what `stream` is given for the rest of this tick and writes it out as one chunk on the
 * next: the lines one event produces (a task's start is several state changes at once) become
 * one system call instead of one each.
 */
export function corkForThisTick(stream: Writable): void {
  if (stream.writableCorked > 0) return;
  stream.cork();
  process.nextTick(() => stream.uncork());
}
