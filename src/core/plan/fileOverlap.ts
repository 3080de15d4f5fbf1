// File locks, decided from the plan: two tasks whose `files` globs can touch a common
// file must not run at the same time. Whether two globs share a match is undecidable in general
// for picomatch's syntax, so this errs towards "overlap": a false conflict only serializes two
// tasks, a missed one lets two agents edit the same file.
//
// The rule, pattern against pattern:
// - Braces are expanded first (`src/{api,web}/**` is two patterns).
// - A pattern without glob characters, or ending in `/`, names a file or a directory and covers
//   everything beneath it (`src/api` is `src/api/**`), as a git pathspec does.
// - Patterns are compared segment by segment (split on `/`); `**` spans any number of segments.
// - Two segments overlap when they are equal, when one is literal and the other (picomatch, dot
//   files included) matches it, or when both are globs whose literal heads are prefixes of one
//   another and whose literal tails are suffixes of one another (`*.ts` and `*.test.ts` overlap,
//   `*.ts` and `*.md` do not).
// So equal patterns overlap, a pattern overlaps any path it matches, and a directory overlaps
// any pattern that reaches into it.

import picomatch from 'picomatch';

const GLOB_CHARACTERS = /[*?[\]{}()!+@]/;
/** Beyond this many brace groups a pattern is compared unexpanded (its braces then count as wildcards). */
const MAX_BRACE_GROUPS = 8;

function expandBraces(pattern: string): string[] {
  for (let open = pattern.indexOf('{'); open !== -1; open = pattern.indexOf('{', open + 1)) {
    let depth = 0;
    let close = -1;
    const commas: number[] = [];
    for (let at = open; at < pattern.length && close === -1; at += 1) {
      const character = pattern[at];
      if (character === '\\') at += 1;
      else if (character === '{') depth += 1;
      else if (character === '}' && --depth === 0) close = at;
      else if (character === ',' && depth === 1) commas.push(at);
    }
    if (close === -1) return [pattern];
    // A group without a top-level comma ({1..3}, a literal {x}) is not a list of alternatives.
    if (commas.length === 0) continue;
    const bounds = [open, ...commas, close];
    const head = pattern.slice(0, open);
    const tail = pattern.slice(close + 1);
    return bounds.slice(1).flatMap((end, at) => expandBraces(head + pattern.slice(bounds[at] + 1, end) + tail));
  }
  return [pattern];
}

function segmentsOf(pattern: string): string[] {
  const path = pattern.trim().replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (path.endsWith('/') || !GLOB_CHARACTERS.test(path)) segments.push('**');
  return segments;
}

function literalEnds(segment: string): [head: string, tail: string] {
  return [/^[^*?[\]{}()!+@]*/.exec(segment)![0], /[^*?[\]{}()!+@]*$/.exec(segment)![0]];
}

function segmentsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const aIsGlob = GLOB_CHARACTERS.test(a);
  const bIsGlob = GLOB_CHARACTERS.test(b);
  if (!aIsGlob && !bIsGlob) return false;
  if (!aIsGlob) return picomatch(b, { dot: true })(a);
  if (!bIsGlob) return picomatch(a, { dot: true })(b);
  const [aHead, aTail] = literalEnds(a);
  const [bHead, bTail] = literalEnds(b);
  return (aHead.startsWith(bHead) || bHead.startsWith(aHead)) && (aTail.endsWith(bTail) || bTail.endsWith(aTail));
}

function pathsOverlap(a: readonly string[], b: readonly string[]): boolean {
  // Memoized on (i, j): several `**` would otherwise explore the same pairs again and again.
  const refuted = new Set<number>();
  const visit = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    if (refuted.has(key)) return false;
    let overlap: boolean;
    if (i === a.length && j === b.length) overlap = true;
    else if (a[i] === '**') overlap = visit(i + 1, j) || (j < b.length && visit(i, j + 1));
    else if (b[j] === '**') overlap = visit(i, j + 1) || (i < a.length && visit(i + 1, j));
    else if (i === a.length || j === b.length) overlap = false;
    else overlap = segmentsOverlap(a[i], b[j]) && visit(i + 1, j + 1);
    if (!overlap) refuted.add(key);
    return overlap;
  };
  return visit(0, 0);
}

function expand(patterns: readonly string[]): string[][] {
  return patterns
    .filter((pattern) => pattern.trim() !== '')
    .flatMap((pattern) => ((pattern.match(/\{/g) ?? []).length > MAX_BRACE_GROUPS ? [pattern] : expandBraces(pattern)))
    .map(segmentsOf);
}

/** Whether two tasks' `files` globs may touch a common file (see the rule above). No patterns touch nothing. */
export function filesOverlap(a: readonly string[], b: readonly string[]): boolean {
  const left = expand(a);
  const right = expand(b);
  return left.some((x) => right.some((y) => pathsOverlap(x, y)));
}
