// Where things are in a plan's text: its specs and tasks with their final ids (as written or as
// the import assigns them), the `after:` references and the metadata braces, each with a line and
// column range. The editor's CodeLens, hovers, completion, definitions and symbols
// (src/vscode/plan/) are built on it. It reuses the parsers rather than a grammar of its own: the
// Markdown parser gives each item's line, inlineMetadata.ts the block and its pairs, ids.ts the
// id rules; YAML and JSON are read by structuredOutline.ts. It never throws: a half-typed plan
// yields what can be read of it.

import { assignIds } from './ids';
import { metadataBlockStart, metadataPairs } from './inlineMetadata';
import { parseMarkdownPlan } from './markdownPlan';
import type { OutlineRef, OutlineSpan, OutlineSpec, OutlineTask, PlanKind, PlanOutline } from './outlineTypes';
import type { DraftSpec } from './planDraft';

export type { OutlineRef, OutlineSpan, OutlineSpec, OutlineTask, PlanKind, PlanOutline } from './outlineTypes';

/** The kind of a plan file by its name (the names the import accepts, docs/plan-format.md). */
export function planKindOf(fileName: string): PlanKind | undefined {
  const match = /\.(md|markdown|ya?ml|json)$/i.exec(fileName);
  if (!match) return undefined;
  const extension = match[1].toLowerCase();
  return extension === 'json' ? 'json' : extension.startsWith('y') ? 'yaml' : 'markdown';
}

/**
 * The outline of a plan's text. YAML and JSON load the `yaml` library on first use, as
 * loadPlan.ts does, so a Markdown plan never pays for it.
 */
export async function planOutline(text: string, kind: PlanKind): Promise<PlanOutline> {
  if (kind === 'markdown') return markdownOutline(text);
  const { structuredOutline } = await import('./structuredOutline');
  return structuredOutline(text, kind);
}

export function lineSpan(line: number, start: number, end: number): OutlineSpan {
  return { line, start, endLine: line, end };
}

export function markdownOutline(text: string): PlanOutline {
  const lines = text.split(/\r?\n/);
  // parseMarkdownPlan only uses the name for the title of tasks above any heading.
  const draft = parseMarkdownPlan(text, 'plan.md');
  const { specIds, taskIds } = assignIds(draft.specs);
  const specs = draft.specs.map((spec, at) => markdownSpec(spec, specIds[at], taskIds[at], lines));
  return { kind: 'markdown', specs, tasks: specs.flatMap((spec) => spec.tasks) };
}

function markdownSpec(spec: DraftSpec, specId: string, taskIds: readonly string[], lines: readonly string[]): OutlineSpec {
  const tasks = spec.tasks.map((task, at): OutlineTask => {
    const line = task.line - 1;
    const text = lines[line] ?? '';
    const contentStart = text.length - text.trimStart().length;
    const itemSpan = lineSpan(line, contentStart, text.trimEnd().length);
    const idAt = task.id === undefined ? -1 : text.indexOf(task.id);
    const titleAt = task.title === '' ? -1 : text.indexOf(task.title, idAt === -1 ? 0 : idAt + task.id!.length);
    const idSpan = idAt !== -1 ? lineSpan(line, idAt, idAt + task.id!.length) : titleAt !== -1 ? lineSpan(line, titleAt, titleAt + task.title.length) : itemSpan;
    const blockStart = metadataBlockStart(text);
    const after: OutlineRef[] = [];
    if (blockStart !== undefined) {
      const blockEnd = text.trimEnd().length - 1;
      for (const pair of metadataPairs(text.slice(blockStart + 1, blockEnd))) {
        if (pair.field !== 'dependsOn') continue;
        for (const match of pair.value.matchAll(/[^\s,]+/g)) {
          const from = blockStart + 1 + pair.valueStart + match.index;
          after.push({ id: match[0], span: lineSpan(line, from, from + match[0].length) });
        }
      }
    }
    return {
      id: taskIds[at],
      written: task.id !== undefined,
      title: task.title,
      specId,
      span: itemSpan,
      idSpan,
      after,
      metadata: blockStart === undefined ? undefined : lineSpan(line, blockStart, text.trimEnd().length),
      done: task.done,
    };
  });
  // Tasks above any heading form a spec with no heading of its own: it is placed at its first task.
  const headingLine = spec.line - 1;
  const heading = lines[headingLine] ?? '';
  const isHeading = /^ {0,3}#/.test(heading);
  const span = isHeading ? lineSpan(headingLine, heading.length - heading.trimStart().length, heading.trimEnd().length) : (tasks[0]?.span ?? lineSpan(0, 0, 0));
  const idAt = isHeading && spec.id !== undefined ? heading.indexOf(spec.id) : -1;
  return {
    id: specId,
    written: spec.id !== undefined,
    title: spec.title,
    span,
    idSpan: idAt === -1 ? span : lineSpan(headingLine, idAt, idAt + spec.id!.length),
    tasks,
  };
}
