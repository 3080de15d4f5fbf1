// The one entry point for plans: pick the parser by file extension, then build and check.

import { readFile } from 'node:fs/promises';
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
  const text = await readFile(file, 'utf8');
  return parsePlan(text, file, { baseDir: options.baseDir ?? dirname(file) });
}
