import { parse } from 'shell-quote';

/**
 * Splits a command line written in a plan (e.g. a `verify: npm test -- --grep "api"`) into argv,
 * honouring quotes, WITHOUT a shell: pipes, redirections, `;`, `&&`, globs and `$VAR` are refused
 * or kept literally, so no text from a plan is ever interpreted by a shell. Put anything fancier
 * in a script and verify with `bash scripts/check.sh`.
 */
export function parseCommandLine(text: string): string[] {
  // Returning the variable's own spelling keeps `$HOME` literal instead of expanding it to ''.
  const tokens = parse(text, (name) => `$${name}`);
  const argv: string[] = [];
  for (const token of tokens) {
    if (typeof token === 'string') {
      argv.push(token);
      continue;
    }
    if ('comment' in token) break;
    if ('op' in token && token.op === 'glob') {
      argv.push(token.pattern);
      continue;
    }
    const shown = 'op' in token ? token.op : JSON.stringify(token);
    throw new Error(`command "${text}" uses the shell operator \`${shown}\`; commands run without a shell — put them in a script and call it`);
  }
  if (argv.length === 0) throw new Error(`command "${text}" is empty`);
  return argv;
}
