import type { StdoutParser } from './types';

/** For custom commands without machine output: every non-empty line is a message. */
export function createPlainParser(): StdoutParser {
  return {
    line(line) {
      return line.trim().length > 0 ? [{ kind: 'message', text: line }] : [];
    },
  };
}
