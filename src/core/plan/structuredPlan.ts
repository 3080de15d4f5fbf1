// A YAML or JSON plan (docs/plan-format.md). Both are read with the `yaml` parser (JSON is YAML
// 1.2), which keeps source positions, so schema errors can name a line.
//
// A value the schema rejects is reported and then left out, as if the plan had not given it: the
// plan is still built, so its graph problems are reported in the same pass, and the rejected
// value is not reported a second time by the graph checks.

import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { isAlias, isMap, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { FanOut } from '../model';
import type { DraftIssue, DraftSpec, DraftTask, PlanDraft } from './planDraft';
import { PLAN_SCHEMA } from './planSchema';

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true }).compile(PLAN_SCHEMA);
  return compiled;
}

type Path = readonly (string | number)[];
type Fields = Readonly<Record<string, unknown>>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pathOf(error: ErrorObject): Path {
  return error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** The line of the deepest node on `path` that the document has (the key's line for an unknown property). */
function lineOf(doc: Document, lineCounter: LineCounter, path: Path, property?: string): number {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
    if (isMap(node) && property !== undefined && length === path.length) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === property);
      if (isScalar(pair?.key) && pair.key.range) return lineCounter.linePos(pair.key.range[0]).line;
    }
    const range = (node as { range?: readonly number[] } | null)?.range;
    if (range) return lineCounter.linePos(range[0]).line;
  }
  return 1;
}

function firstAliasLine(doc: Document, lineCounter: LineCounter): number {
  let line = 1;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) line = lineCounter.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}

/** `fanOut.items[2]` for a path below the task or spec that owns it. */
function labelOf(path: Path, fallback: string): string {
  const label = path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`)).join('').replace(/^\./, '');
  return label === '' ? fallback : label;
}

function messageOf(error: ErrorObject, label: string): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown property "${String(error.params.additionalProperty)}"`;
    case 'required':
      return `missing required property "${String(error.params.missingProperty)}"`;
    case 'enum':
      return `${label} must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
    default:
      return `${label} ${error.message ?? 'is invalid'}`;
  }
}

/** Which spec and task an error belongs to, and the path below them. */
function ownerOf(path: Path): { readonly spec?: number; readonly task?: number; readonly rest: Path; readonly kind: string } {
  if (path[0] === 'specs' && typeof path[1] === 'number') {
    if (path[2] === 'tasks' && typeof path[3] === 'number') return { spec: path[1], task: path[3], rest: path.slice(4), kind: 'task' };
    return { spec: path[1], rest: path.slice(2), kind: 'spec' };
  }
  return { rest: path, kind: 'plan' };
}

export function parseStructuredPlan(text: string, source: string): PlanDraft {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return { source, specs: [], issues: doc.errors.map((error) => ({ line: lineCounter.linePos(error.pos[0]).line, message: error.message })) };
  }

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // The yaml library refuses to expand aliases past a limit (a "billion laughs" document):
    // name the first alias, where the expansion starts.
    return { source, specs: [], issues: [{ line: firstAliasLine(doc, lineCounter), message: `the document could not be read: ${(error as Error).message}` }] };
  }
  const validate = validator();
  const errors = validate(data) ? [] : (validate.errors ?? []);
  const rejected = new Set(errors.filter((error) => error.keyword !== 'required' && error.keyword !== 'additionalProperties').map((error) => error.instancePath));
  const taskIssues = new Map<string, DraftIssue[]>();
  const planIssues: DraftIssue[] = [];
  for (const error of errors) {
    const path = pathOf(error);
    const owner = ownerOf(path);
    const property = error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined;
    const issue = { line: lineOf(doc, lineCounter, path, property), message: messageOf(error, labelOf(owner.rest, owner.kind)) };
    if (owner.task === undefined) planIssues.push(issue);
    else {
      const key = `${owner.spec}/${owner.task}`;
      taskIssues.set(key, [...(taskIssues.get(key) ?? []), issue]);
    }
  }

  /** The value at `path`, unless the schema rejected it. */
  const accepted = (path: string, value: unknown): unknown => (rejected.has(path) ? undefined : value);
  const textAt = (path: string, value: unknown): string | undefined => {
    const kept = accepted(path, value);
    return typeof kept === 'string' ? kept : undefined;
  };
  const texts = (path: string, value: unknown): string[] => {
    const kept = accepted(path, value);
    return Array.isArray(kept) ? kept.filter((item, at): item is string => typeof item === 'string' && !rejected.has(`${path}/${at}`)) : [];
  };
  const fanOutOf = (path: string, value: unknown): FanOut | undefined => {
    const kept = accepted(path, value);
    if (!isFields(kept)) return undefined;
    if (kept.items !== undefined) {
      return rejected.has(`${path}/items`) ? undefined : { kind: 'items', items: texts(`${path}/items`, kept.items) };
    }
    const glob = textAt(`${path}/files`, kept.files);
    return glob === undefined ? undefined : { kind: 'files', glob };
  };
  const lineAt = (path: Path): number => lineOf(doc, lineCounter, path);

  const specsValue = isFields(data) ? accepted('/specs', data.specs) : undefined;
  const specs: DraftSpec[] = [];
  for (const [s, specValue] of (Array.isArray(specsValue) ? specsValue : []).entries()) {
    const specPath = `/specs/${s}`;
    const spec = accepted(specPath, specValue);
    if (!isFields(spec)) continue;
    const tasksValue = accepted(`${specPath}/tasks`, spec.tasks);
    const tasks: DraftTask[] = [];
    for (const [t, taskValue] of (Array.isArray(tasksValue) ? tasksValue : []).entries()) {
      const path = `${specPath}/tasks/${t}`;
      const task = accepted(path, taskValue);
      if (!isFields(task)) {
        planIssues.push(...(taskIssues.get(`${s}/${t}`) ?? []));
        continue;
      }
      tasks.push({
        id: textAt(`${path}/id`, task.id),
        title: textAt(`${path}/title`, task.title) ?? '',
        prompt: textAt(`${path}/prompt`, task.prompt),
        priority: accepted(`${path}/priority`, task.priority),
        estimatedHours: accepted(`${path}/estimatedHours`, task.estimatedHours),
        dependsOn: texts(`${path}/dependsOn`, task.dependsOn),
        agent: textAt(`${path}/agent`, task.agent),
        files: texts(`${path}/files`, task.files),
        verify: textAt(`${path}/verify`, task.verify),
        done: accepted(`${path}/done`, task.done) === true,
        fanOut: fanOutOf(`${path}/fanOut`, task.fanOut),
        strategy: accepted(`${path}/strategy`, task.strategy),
        threshold: accepted(`${path}/threshold`, task.threshold),
        line: lineAt(['specs', s, 'tasks', t]),
        issues: taskIssues.get(`${s}/${t}`) ?? [],
      });
    }
    specs.push({
      id: textAt(`${specPath}/id`, spec.id),
      title: textAt(`${specPath}/title`, spec.title) ?? '',
      description: textAt(`${specPath}/description`, spec.description) ?? '',
      line: lineAt(['specs', s]),
      tasks,
    });
  }
  return { source, specs, issues: planIssues };
}
