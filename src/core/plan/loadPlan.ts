// The one entry point for plans: pick the parser by file extension, then build and check.

import { readFile, stat } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { Plan } from '../model';
import { buildPlan } from './buildPlan';
import { parseMarkdownPlan } from './markdownPlan';
import type { PlanDraft } from './planDraft';
import { PlanValidationError } from './planErrors';

export interface LoadPlanOptions {
  /**
   * The folder that file fan-out globs are relative to; pass the workspace root. Defaults to the
   * plan file's folder.
   */
  readonly baseDir?: string;
}

type Parser = (text: string, source: string) => PlanDraft;

// The YAML and JSON Schema libraries are half of the CLI's code: loaded only for a structured
// plan, so that a Markdown plan's run does not parse them at every start.
const structured = async (): Promise<Parser> => (await import('./structuredPlan')).parseStructuredPlan;
const markdown = async (): Promise<Parser> => parseMarkdownPlan;

const PARSERS: ReadonlyMap<string, () => Promise<Parser>> = new Map([
  ['.md', markdown],
  ['.markdown', markdown],
  ['.yaml', structured],
  ['.yml', structured],
  ['.json', structured],
]);

/**
 * Parses plan text (e.g. an unsaved editor buffer) as the file `source` would be. `source` names
 * the file in every error and in Plan.source. Throws PlanValidationError with every problem found.
 */
export async function parsePlan(text: string, source: string, options: { readonly baseDir: string }): Promise<Plan> {
  const parser = PARSERS.get(extname(source).toLowerCase());
  if (parser === undefined) {
    throw new PlanValidationError([
      { file: source, line: 1, message: `unsupported plan file type "${extname(source)}" (expected .md, .markdown, .yaml, .yml or .json)` },
    ]);
  }
  const parse = await parser();
  return buildPlan(parse(text, source), options);
}

/** Reads and parses a plan file; the path is used as given in errors and in Plan.source. */
export async function loadPlan(file: string, options: LoadPlanOptions = {}): Promise<Plan> {
  const text = decodeUtf8(await readPlanFile(file), file);
  return parsePlan(text, file, { baseDir: options.baseDir ?? dirname(file) });
}

/** The file's bytes, or a PlanValidationError that says in words why there are none. */
async function readPlanFile(file: string): Promise<Buffer> {
  const refuse = (message: string): never => {
    throw new PlanValidationError([{ file, line: 1, message }]);
  };
  try {
    if ((await stat(file)).isDirectory()) refuse('this is a folder, not a plan file');
    return await readFile(file);
  } catch (error) {
    if (error instanceof PlanValidationError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return refuse('the plan file does not exist');
    if (code === 'EACCES' || code === 'EPERM') return refuse('the plan file cannot be read (permission denied)');
    return refuse(`the plan file cannot be read: ${(error as Error).message}`);
  }
}

/**
 * The text of a UTF-8 file. Other encodings are refused at the first bad line rather than read
 * with replacement characters, which would reach the agents' prompts unnoticed.
 */
function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lines = bytes.toString('utf8').split('\n');
    const line = lines.findIndex((text) => text.includes('\uFFFD'));
    const column = lines[line].indexOf('\uFFFD') + 1;
    throw new PlanValidationError([{ file, line: line + 1, message: `the file is not valid UTF-8 (save it as UTF-8; a byte at column ${column} is not)` }]);
  }
}
