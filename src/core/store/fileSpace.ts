// How much of the database file on disk is free pages, read from its header. Retention decides
// from this whether to compact (src/core/run/pruneOldRuns.ts), not from the in-memory copy: with the
// store worker the host's copy keeps its free pages after a VACUUM (diskWriter.ts), and a pruning
// whose process died before its VACUUM leaves a file that only a later call can compact, so the
// file itself is what says whether compacting is still owed.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface FileSpace {
  /** The file's size, in bytes (0: no file yet). */
  readonly fileBytes: number;
  /** Its free pages (the freelist), in bytes. */
  readonly freeBytes: number;
}

/** The header's fields (https://www.sqlite.org/fileformat.html): page size at 16, freelist page count at 36. */
const HEADER_BYTES = 100;

/** The file's size and free pages; zeros when there is no file or it is too short to be a database. */
export function readFileSpace(path: string): FileSpace {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { fileBytes: 0, freeBytes: 0 };
  }
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const fileBytes = fstatSync(fd).size;
    if (readSync(fd, header, 0, HEADER_BYTES, 0) < HEADER_BYTES) return { fileBytes, freeBytes: 0 };
    const raw = header.readUInt16BE(16);
    const pageSize = raw === 1 ? 65_536 : raw;
    return { fileBytes, freeBytes: Math.min(fileBytes, header.readUInt32BE(36) * pageSize) };
  } finally {
    closeSync(fd);
  }
}
