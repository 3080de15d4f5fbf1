// JSON with comments and trailing commas, as VS Code writes settings.json. Comments and trailing
// commas are blanked out (replaced by spaces, so positions in errors still point into the
// original text) and the rest goes to JSON.parse. Strings are copied as they are: a "//" or ","
// inside one is content.

/** The text with comments and trailing commas replaced by spaces; throws on an unterminated comment. */
export function blankJsoncExtras(text: string): string {
  const out = text.split('');
  let i = 0;
  // Where the last significant comma was, to blank it if a closing bracket follows.
  let lastComma = -1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      lastComma = -1;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      for (; i < text.length && text[i] !== '\n'; i++) out[i] = ' ';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) throw new SyntaxError(`Unterminated comment at position ${i}`);
      for (; i < end + 2; i++) if (text[i] !== '\n') out[i] = ' ';
    } else if (c === ',') {
      lastComma = i++;
    } else if (c === '}' || c === ']') {
      if (lastComma !== -1) out[lastComma] = ' ';
      lastComma = -1;
      i++;
    } else {
      if (!/\s/.test(c)) lastComma = -1;
      i++;
    }
  }
  return out.join('');
}

/** Parses JSONC; a SyntaxError's message ends with "(line L, column C)" in the original text. */
export function parseJsonc(text: string): unknown {
  try {
    return JSON.parse(blankJsoncExtras(text)) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    if (!position) throw new SyntaxError(message);
    const before = text.slice(0, Number(position[1])).split('\n');
    throw new SyntaxError(`${message.replace(/ in JSON at position \d+.*$| at position \d+.*$/, '')} (line ${before.length}, column ${before.at(-1)!.length + 1})`);
  }
}
