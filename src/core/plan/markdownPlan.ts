// A Markdown plan (docs/plan-format.md): ATX headings are specifications, checklist items
// (`- [ ]`, `- [x]`, `* [ ]`, `1.`, `1. [ ]`) are tasks, lines indented under an item are the
// task's longer prompt, any other text under a heading is the spec's description.

import { basename } from 'node:path';
import { parseInlineMetadata } from './inlineMetadata';
import type { DraftIssue, DraftSpec, DraftTask, PlanDraft } from './planDraft';

const HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
/** A bullet needs a checkbox to be a task (a plain bullet is prose); a numbered item does not. */
const ITEM = /^([ \t]*)(?:[-*+][ \t]+\[([ xX])\]|\d{1,9}[.)](?:[ \t]+\[([ xX])\])?)(?:[ \t]+(.*))?$/;
const FENCE = /^[ \t]*(`{3,}|~{3,})/;
const SPEC_ID = /^(SPEC-\S*?)(?::|\s+|$)(.*)$/;
const TASK_ID = /^(TASK-\S*?)(?::|\s+|$)(.*)$/;

interface OpenTask {
  readonly line: number;
  readonly indent: number;
  readonly text: string;
  readonly done: boolean;
  readonly body: string[];
}

interface OpenSpec {
  readonly id: string | undefined;
  readonly title: string;
  readonly line: number;
  readonly description: string[];
  readonly tasks: DraftTask[];
}

function indentOf(line: string): number {
  let width = 0;
  for (const character of line) {
    if (character === ' ') width += 1;
    else if (character === '\t') width += 4;
    else break;
  }
  return width;
}

/**
 * `SPEC-031: Billing` → id and title. The separator is a colon, or spaces with an optional dash
 * or colon standing alone (`TASK-1 - Title`, `TASK-1 — Title`). After a colon the text is kept as
 * written: `TASK-1-3: -p` is the prompt `-p`, `--flag` stays `--flag`.
 */
function splitId(text: string, pattern: RegExp): { readonly id: string | undefined; readonly rest: string } {
  const match = pattern.exec(text);
  if (!match) return { id: undefined, rest: text };
  const afterColon = text.charAt(match[1].length) === ':';
  const rest = afterColon ? match[2].trimStart() : match[2].replace(/^\s*(?:[-–—:](?=\s|$))?\s*/, '');
  return { id: match[1], rest };
}

/**
 * Removes the body's common indentation, measured on the lines indented deeper than `floor` (the
 * item's own indentation): a fenced block inside the body may hold lines that are not indented.
 */
function dedent(lines: readonly string[], floor: number): string {
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === '') end -= 1;
  const kept = lines.slice(0, end);
  if (kept.length === 0) return '';
  const margin = Math.min(...kept.filter((line) => line.trim() !== '' && indentOf(line) > floor).map(indentOf));
  return kept.map((line) => stripIndent(line, margin)).join('\n');
}

function stripIndent(line: string, width: number): string {
  let removed = 0;
  let at = 0;
  while (at < line.length && removed < width && (line[at] === ' ' || line[at] === '\t')) {
    removed += line[at] === '\t' ? 4 : 1;
    at += 1;
  }
  return line.slice(at);
}

function finishTask(task: OpenTask): DraftTask {
  const { text, fields, issues } = parseInlineMetadata(task.text);
  const { id, rest: title } = splitId(text, TASK_ID);
  const body = dedent(task.body, task.indent);
  const problems: DraftIssue[] = issues.map((message) => ({ line: task.line, message }));
  if (title === '') problems.push({ line: task.line, message: 'task has no title' });
  return {
    id,
    title,
    prompt: body === '' ? undefined : `${title}\n\n${body}`,
    priority: fields.priority,
    estimatedHours: fields.estimatedHours,
    dependsOn: fields.dependsOn ?? [],
    agent: fields.agent,
    files: fields.files ?? [],
    verify: fields.verify,
    done: task.done,
    fanOut: fields.fanOut,
    strategy: fields.strategy,
    threshold: fields.threshold,
    line: task.line,
    issues: problems,
  };
}

/** `plans/billing.plan.md` → `billing`: the title of the spec that holds tasks above any heading. */
function titleFromFile(source: string): string {
  return basename(source).replace(/(\.plan)?\.(md|markdown)$/i, '');
}

export function parseMarkdownPlan(text: string, source: string): PlanDraft {
  const specs: OpenSpec[] = [];
  const preamble: string[] = [];
  let spec: OpenSpec | undefined;
  let task: OpenTask | undefined;
  // Inside a fenced code block nothing is a heading or an item; the block stays with whatever
  // it opened in (a task's prompt or a description), even where its lines are not indented.
  let fence: { readonly marker: string; readonly target: string[] } | undefined;

  const closeTask = (): void => {
    if (task !== undefined) spec!.tasks.push(finishTask(task));
    task = undefined;
  };

  for (const [at, line] of text.replace(/^\uFEFF/, '').split(/\r?\n/).entries()) {
    if (fence !== undefined) {
      fence.target.push(line);
      const trimmed = line.trim();
      if (trimmed.startsWith(fence.marker) && /^(`+|~+)$/.test(trimmed)) fence = undefined;
      continue;
    }
    const opensFence = FENCE.exec(line)?.[1];
    if (task !== undefined && (line.trim() === '' || indentOf(line) > task.indent)) {
      task.body.push(line);
      if (opensFence !== undefined) fence = { marker: opensFence, target: task.body };
      continue;
    }
    const heading = opensFence === undefined ? HEADING.exec(line) : null;
    const item = opensFence === undefined ? ITEM.exec(line) : null;
    if (heading !== null) {
      closeTask();
      const { id, rest } = splitId((heading[1] ?? '').trim(), SPEC_ID);
      spec = { id, title: rest === '' ? (id ?? '') : rest, line: at + 1, description: [], tasks: [] };
      specs.push(spec);
    } else if (item !== null) {
      closeTask();
      if (spec === undefined) {
        spec = { id: undefined, title: titleFromFile(source), line: 1, description: preamble, tasks: [] };
        specs.push(spec);
      }
      const box = item[2] ?? item[3];
      task = { line: at + 1, indent: indentOf(item[1]), text: item[4] ?? '', done: box === 'x' || box === 'X', body: [] };
    } else {
      closeTask();
      const target = spec?.description ?? preamble;
      target.push(line);
      if (opensFence !== undefined) fence = { marker: opensFence, target };
    }
  }
  closeTask();

  // A heading without tasks is structure (a document title, a notes section), unless it names a spec.
  const kept: DraftSpec[] = specs
    .filter((candidate) => candidate.tasks.length > 0 || candidate.id !== undefined)
    .map((candidate) => ({ ...candidate, description: candidate.description.join('\n').trim() }));
  return { source, specs: kept, issues: [] };
}
