// The `{key: value; key: value}` block that may end a Markdown task line, e.g.
//   Add the API {after: TASK-31-1, TASK-31-3; priority: high; est: 6h; files: src/api/**}
// Values stay raw where buildPlan's checks judge them (priority, hours, strategy), so both plan
// formats report a bad value with the same message.

import type { FanOut } from '../model';

export interface InlineFields {
  readonly dependsOn?: readonly string[];
  readonly priority?: string;
  /** A number when the text reads as hours (`6`, `6h`, `1.5 hours`), else the text itself. */
  readonly estimatedHours?: number | string;
  readonly agent?: string;
  readonly files?: readonly string[];
  readonly verify?: string;
  readonly fanOut?: FanOut;
  readonly strategy?: string;
  /** A number for `0.8` or `80%`, else the text itself. */
  readonly threshold?: number | string;
}

type Field = 'dependsOn' | 'priority' | 'estimatedHours' | 'agent' | 'files' | 'verify' | 'fanOutItems' | 'fanOutFiles' | 'strategy' | 'threshold';

/** Keys are matched ignoring case, `-` and `_`, so `depends-on`, `dependsOn` and `depends_on` are one key. */
const FIELD_BY_KEY: ReadonlyMap<string, Field> = new Map([
  ['after', 'dependsOn'],
  ['depends', 'dependsOn'],
  ['dependson', 'dependsOn'],
  ['priority', 'priority'],
  ['est', 'estimatedHours'],
  ['estimate', 'estimatedHours'],
  ['hours', 'estimatedHours'],
  ['estimatedhours', 'estimatedHours'],
  ['agent', 'agent'],
  ['files', 'files'],
  ['verify', 'verify'],
  ['fanout', 'fanOutItems'],
  ['each', 'fanOutItems'],
  ['fanoutfiles', 'fanOutFiles'],
  ['eachfile', 'fanOutFiles'],
  ['strategy', 'strategy'],
  ['threshold', 'threshold'],
]);

const KEY = /^[A-Za-z][\w-]*$/;
const HOURS = /^(-?\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)?$/i;
const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;

/**
 * Splits on `separator` outside quotes and brackets, so a glob such as `src/{a,b}/**` or a
 * quoted value holding `;` stays whole. Each part is trimmed and keeps the offset where it starts
 * (the plan outline, planOutline.ts, places after-references by it).
 */
function splitWithOffsets(text: string, separator: ';' | ','): { readonly text: string; readonly start: number }[] {
  const parts: { text: string; start: number }[] = [];
  const push = (from: number, to: number): void => {
    const raw = text.slice(from, to);
    const trimmed = raw.trim();
    if (trimmed !== '') parts.push({ text: trimmed, start: from + raw.indexOf(trimmed) });
  };
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let at = 0; at < text.length; at += 1) {
    const character = text[at];
    if (quoted) {
      if (character === '\\') at += 1;
      else if (character === '"') quoted = false;
    } else if (character === '"') quoted = true;
    else if ('{[('.includes(character)) depth += 1;
    else if ('}])'.includes(character)) depth = Math.max(0, depth - 1);
    else if (character === separator && depth === 0) {
      push(start, at);
      start = at + 1;
    }
  }
  push(start, text.length);
  return parts;
}

function splitTopLevel(text: string, separator: ';' | ','): string[] {
  return splitWithOffsets(text, separator).map((part) => part.text);
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

function listOf(value: string): string[] {
  return splitTopLevel(value, ',').map(unquote);
}

/**
 * Where the trailing `{…}` block of a line opens, if it holds `key: value` pairs; braces without a
 * colon are text (`{item}`). The offset of the `{` in `text`.
 */
export function metadataBlockStart(text: string): number | undefined {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith('}')) return undefined;
  let depth = 0;
  for (let at = trimmed.length - 1; at >= 0; at -= 1) {
    if (trimmed[at] === '}') depth += 1;
    else if (trimmed[at] === '{' && --depth === 0) return trimmed.slice(at + 1, -1).includes(':') ? at : undefined;
  }
  return undefined;
}

function splitTrailingBlock(text: string): { readonly head: string; readonly block: string } | undefined {
  const start = metadataBlockStart(text);
  if (start === undefined) return undefined;
  const trimmed = text.trimEnd();
  return { head: trimmed.slice(0, start).trimEnd(), block: trimmed.slice(start + 1, -1) };
}

/** One `key: value` pair of a metadata block, with offsets into the block's text. */
export interface MetadataPair {
  readonly key: string;
  readonly keyStart: number;
  readonly value: string;
  readonly valueStart: number;
  /** The field the key names (`after`, `depends-on` → dependsOn), if it is a known key. */
  readonly field: string | undefined;
}

export function metadataPairs(block: string): MetadataPair[] {
  return splitWithOffsets(block, ';').flatMap((pair) => {
    const colon = pair.text.indexOf(':');
    if (colon === -1) return [];
    const key = pair.text.slice(0, colon).trim();
    const rawValue = pair.text.slice(colon + 1);
    const value = rawValue.trim();
    return [{ key, keyStart: pair.start, value, valueStart: pair.start + colon + 1 + (value === '' ? 0 : rawValue.indexOf(value)), field: metadataField(key) }];
  });
}

/** The field a key names, matched ignoring case, `-` and `_`. */
export function metadataField(key: string): Field | undefined {
  return FIELD_BY_KEY.get(key.toLowerCase().replace(/[-_]/g, ''));
}

/** The keys as docs/plan-format.md writes them first, for completion. */
export const METADATA_KEYS: readonly string[] = ['after', 'priority', 'est', 'agent', 'files', 'verify', 'each', 'each-file', 'strategy', 'threshold'];

export interface ItemText {
  /** The line without its metadata block. */
  readonly text: string;
  readonly fields: InlineFields;
  readonly issues: readonly string[];
}

export function parseInlineMetadata(line: string): ItemText {
  const split = splitTrailingBlock(line);
  if (split === undefined) return { text: line.trim(), fields: {}, issues: [] };

  const issues: string[] = [];
  const given = new Map<Field, { readonly key: string; readonly value: string }>();
  for (const pair of splitTopLevel(split.block, ';')) {
    const colon = pair.indexOf(':');
    const key = colon === -1 ? '' : pair.slice(0, colon).trim();
    if (!KEY.test(key)) {
      issues.push(`malformed metadata "${pair}" (expected key: value)`);
      continue;
    }
    const field = metadataField(key);
    const value = pair.slice(colon + 1).trim();
    const earlier = field === undefined ? undefined : given.get(field);
    if (field === undefined) issues.push(`unknown metadata key "${key}"`);
    else if (value === '') issues.push(`metadata key "${key}" has no value`);
    else if (earlier !== undefined) {
      issues.push(earlier.key === key ? `duplicate metadata key "${key}"` : `metadata key "${key}" repeats "${earlier.key}"`);
    } else given.set(field, { key, value });
  }

  const raw = (field: Field): string | undefined => {
    const value = given.get(field)?.value;
    return value === undefined ? undefined : unquote(value);
  };
  const items = given.get('fanOutItems');
  const glob = raw('fanOutFiles');
  if (items !== undefined && glob !== undefined) {
    issues.push(`"${items.key}" and "${given.get('fanOutFiles')!.key}" both fan the task out; give one`);
  }
  const hours = raw('estimatedHours');
  const hoursMatch = hours === undefined ? null : HOURS.exec(hours);
  const threshold = raw('threshold');
  const percent = threshold === undefined ? null : PERCENT.exec(threshold);
  const fields: InlineFields = {
    dependsOn: given.has('dependsOn') ? given.get('dependsOn')!.value.split(/[\s,]+/).filter((id) => id !== '') : undefined,
    priority: raw('priority'),
    estimatedHours: hoursMatch ? Number(hoursMatch[1]) : hours,
    agent: raw('agent'),
    files: given.has('files') ? listOf(given.get('files')!.value) : undefined,
    verify: raw('verify'),
    fanOut: items !== undefined ? { kind: 'items', items: listOf(items.value) } : glob !== undefined ? { kind: 'files', glob } : undefined,
    strategy: raw('strategy'),
    threshold: percent ? Number(percent[1]) / 100 : threshold !== undefined && NUMBER.test(threshold) ? Number(threshold) : threshold,
  };
  return { text: split.head, fields, issues };
}
