// The outline (planOutline.ts) of a YAML or JSON plan. The `yaml` library keeps every node's
// offsets and still builds a document around syntax errors, so a half-typed plan yields the
// specs and tasks it can read. Only the plan's own shape is known here (specs → tasks → id,
// title, dependsOn, done, as docs/plan-format.md and planSchema.ts define it); ids follow ids.ts.

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { assignIds } from './ids';
import type { OutlineRef, OutlineSpan, OutlineSpec, OutlineTask, PlanKind, PlanOutline } from './outlineTypes';

function valueOf(map: unknown, key: string): unknown {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap).items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.value ?? undefined;
}

function stringOf(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

export function structuredOutline(text: string, kind: PlanKind): PlanOutline {
  const lineCounter = new LineCounter();
  let contents: unknown;
  try {
    contents = parseDocument(text, { lineCounter, prettyErrors: false }).contents;
  } catch {
    return { kind, specs: [], tasks: [] };
  }
  const spanOf = (from: number, to: number): OutlineSpan => {
    const start = lineCounter.linePos(from);
    const end = lineCounter.linePos(to);
    return { line: start.line - 1, start: start.col - 1, endLine: end.line - 1, end: end.col - 1 };
  };
  /** A scalar's text without its quotes. */
  const scalarSpan = (node: Node): OutlineSpan | undefined => {
    if (!node.range) return undefined;
    const [from, to] = node.range;
    const quoted = text[from] === '"' || text[from] === "'";
    return quoted && to - from >= 2 ? spanOf(from + 1, to - 1) : spanOf(from, to);
  };
  const nodeSpan = (node: unknown): OutlineSpan | undefined => {
    const range = (node as Node | null | undefined)?.range;
    return range ? spanOf(range[0], range[1]) : undefined;
  };

  const specsNode = valueOf(contents, 'specs');
  const found = (isSeq(specsNode) ? specsNode.items : []).filter(isMap).map((spec) => {
    const tasksNode = valueOf(spec, 'tasks');
    return { node: spec, id: stringOf(valueOf(spec, 'id')), tasks: (isSeq(tasksNode) ? tasksNode.items : []).filter(isMap).map((task) => ({ node: task, id: stringOf(valueOf(task, 'id')) })) };
  });
  const { specIds, taskIds } = assignIds(found);

  const specs = found.map((spec, s): OutlineSpec => {
    const span = nodeSpan(spec.node) ?? { line: 0, start: 0, endLine: 0, end: 0 };
    const tasks = spec.tasks.map((task, t): OutlineTask => {
      const taskSpan = nodeSpan(task.node) ?? span;
      const idNode = valueOf(task.node, 'id');
      const titleNode = valueOf(task.node, 'title');
      const dependsOn = valueOf(task.node, 'dependsOn');
      const after: OutlineRef[] = [];
      for (const item of isSeq(dependsOn) ? dependsOn.items : []) {
        const id = stringOf(item);
        const itemSpan = id === undefined ? undefined : scalarSpan(item as Node);
        if (id !== undefined && itemSpan !== undefined) after.push({ id, span: itemSpan });
      }
      const done = valueOf(task.node, 'done');
      return {
        id: taskIds[s][t],
        written: task.id !== undefined,
        title: stringOf(titleNode) ?? '',
        specId: specIds[s],
        span: taskSpan,
        idSpan: (task.id !== undefined && scalarSpan(idNode as Node)) || (isScalar(titleNode) && scalarSpan(titleNode)) || taskSpan,
        after,
        metadata: undefined,
        done: isScalar(done) && done.value === true,
      };
    });
    const idNode = valueOf(spec.node, 'id');
    return {
      id: specIds[s],
      written: spec.id !== undefined,
      title: stringOf(valueOf(spec.node, 'title')) ?? '',
      span,
      idSpan: (spec.id !== undefined && scalarSpan(idNode as Node)) || span,
      tasks,
    };
  });
  return { kind, specs, tasks: specs.flatMap((spec) => spec.tasks) };
}
