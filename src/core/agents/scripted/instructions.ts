// The scripted agent's instruction language (full description: docs/scripted-agent.md).
// A prompt is a list of instructions, one per line or separated by ";". Keywords are
// case-insensitive; a leading Markdown list marker ("- ", "* ", "1. ") is ignored so plan
// checklists can be used as prompts. In text, "\n" is a newline, "\t" a tab, "\;" a literal
// semicolon and "\\" a backslash. Anything not understood becomes a `note` that is echoed.
//
//   write PATH: CONTENT        create or replace a file (folders created), CONTENT + newline
//   append PATH: TEXT          append TEXT + newline (file created if missing)
//   delete PATH                remove a file
//   sleep 200ms | 2s | 1m | 150    wait (a bare number is milliseconds)
//   progress 2/5 MESSAGE       report progress
//   echo TEXT                  print a message
//   cost 0.12 [tokens 1000/200]    add to the run's cost and tokens (in/out)
//   fail [with] MESSAGE        stop: failed, exit code 1
//   fail-once MARKER           fail (exit 1) and create the file MARKER, unless it exists; then go on
//                              (for retry tests: every attempt gets a fresh worktree, so MARKER is
//                              usually an absolute path that outlives it)
//   exit N                     stop with exit code N (0 counts as success)
//   session ID                 report ID as the agent's own session (as real CLIs do), so a follow-up
//                              can resume it: the scripted profile passes it back as --resume ID
//   wait-for PATH              wait until the file PATH exists (like fail-once's MARKER, usually an
//                              absolute path: a test creates it to let the agent finish)
//   hang                       never finish (until killed)
//   spawn-child-and-hang [detached]  start a sleeping child process, print its pid, hang;
//                              "detached" puts the child in its own session (it leaves our group)
//   rate-limit [DURATION]      report a provider rate limit, exit code 75
//   auth-error [MESSAGE]       report an authentication failure, exit code 77

export type Instruction =
  | { readonly op: 'write' | 'append'; readonly path: string; readonly content: string }
  | { readonly op: 'delete'; readonly path: string }
  | { readonly op: 'sleep'; readonly ms: number }
  | { readonly op: 'progress'; readonly step: number; readonly total: number; readonly message: string }
  | { readonly op: 'echo'; readonly text: string }
  | { readonly op: 'cost'; readonly usd: number; readonly tokensIn: number; readonly tokensOut: number }
  | { readonly op: 'fail'; readonly message: string }
  | { readonly op: 'failOnce'; readonly marker: string }
  | { readonly op: 'exit'; readonly code: number }
  | { readonly op: 'waitFor'; readonly path: string }
  | { readonly op: 'session'; readonly id: string }
  | { readonly op: 'hang' }
  | { readonly op: 'spawnChild'; readonly detached: boolean }
  | { readonly op: 'rateLimit'; readonly retryAfterMs: number }
  | { readonly op: 'authError'; readonly message: string }
  | { readonly op: 'note'; readonly text: string };

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', ';': ';', '\\': '\\' };

/** Splits on unescaped ";" — escapes are kept for unescape() to resolve afterwards. */
function splitStatements(line: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      current += c + line[i + 1];
      i++;
    } else if (c === ';') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

export function unescapeText(text: string): string {
  return text.replace(/\\([nt;\\])/g, (_m, c: string) => ESCAPES[c]);
}

/** "200ms", "2s", "1.5s", "1m", "150" (ms) → milliseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(text.trim());
  if (!match) return undefined;
  const factor = { ms: 1, s: 1000, m: 60_000 }[(match[2] ?? 'ms').toLowerCase() as 'ms' | 's' | 'm'];
  return Math.round(Number(match[1]) * factor);
}

function parseOne(raw: string): Instruction {
  const statement = raw.trim().replace(/^(?:[-*+]|\d+[.)])\s+/, '');
  const match = /^([a-z][a-z-]*)\b\s*(.*)$/is.exec(statement);
  const keyword = match?.[1].toLowerCase() ?? '';
  const rest = match?.[2] ?? '';
  const note: Instruction = { op: 'note', text: unescapeText(statement) };

  switch (keyword) {
    case 'write':
    case 'append': {
      const colon = rest.indexOf(':');
      const path = colon === -1 ? '' : rest.slice(0, colon).trim();
      if (!path) return note;
      return { op: keyword, path: unescapeText(path), content: unescapeText(rest.slice(colon + 1).replace(/^ /, '')) };
    }
    case 'delete':
      return rest.trim() ? { op: 'delete', path: unescapeText(rest.trim()) } : note;
    case 'sleep': {
      const ms = parseDuration(rest);
      return ms === undefined ? note : { op: 'sleep', ms };
    }
    case 'progress': {
      const p = /^(\d+)\s*\/\s*(\d+)\s*(.*)$/s.exec(rest.trim());
      return p ? { op: 'progress', step: Number(p[1]), total: Number(p[2]), message: unescapeText(p[3]) } : note;
    }
    case 'echo':
      return { op: 'echo', text: unescapeText(rest) };
    case 'cost': {
      const c = /^\$?(\d+(?:\.\d+)?)(?:\s+tokens\s+(\d+)\s*\/\s*(\d+))?\s*$/i.exec(rest.trim());
      return c ? { op: 'cost', usd: Number(c[1]), tokensIn: Number(c[2] ?? 0), tokensOut: Number(c[3] ?? 0) } : note;
    }
    case 'fail':
      return { op: 'fail', message: unescapeText(rest.replace(/^with\b\s*/i, '')) || 'failed as instructed' };
    case 'fail-once':
      return rest.trim() ? { op: 'failOnce', marker: unescapeText(rest.trim()) } : note;
    case 'exit': {
      const code = /^\d{1,3}$/.test(rest.trim()) ? Number(rest.trim()) : NaN;
      return code >= 0 && code <= 255 ? { op: 'exit', code } : note;
    }
    case 'session':
      return /^\S+$/.test(rest.trim()) ? { op: 'session', id: rest.trim() } : note;
    case 'wait-for':
      return rest.trim() ? { op: 'waitFor', path: unescapeText(rest.trim()) } : note;
    case 'hang':
      return rest.trim() ? note : { op: 'hang' };
    case 'spawn-child-and-hang':
      if (rest.trim() === '' || rest.trim().toLowerCase() === 'detached') return { op: 'spawnChild', detached: rest.trim() !== '' };
      return note;
    case 'rate-limit': {
      const ms = rest.trim() ? parseDuration(rest) : 1000;
      return ms === undefined ? note : { op: 'rateLimit', retryAfterMs: ms };
    }
    case 'auth-error':
      return { op: 'authError', message: unescapeText(rest.trim()) || 'Invalid API key · Please run /login' };
    default:
      return note;
  }
}

/** The prompt as instructions, in order; blank statements are dropped. */
export function parseInstructions(prompt: string): Instruction[] {
  return prompt
    .split(/\r?\n/)
    .flatMap(splitStatements)
    .filter((s) => s.trim().length > 0)
    .map(parseOne);
}
