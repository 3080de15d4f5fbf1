import { strict as assert } from 'node:assert';
import { largeMarkdownPlan } from '../../../bench/planFixtures';
import { parsePlan } from '../../../src/core/plan/loadPlan';
import { markdownOutline, planKindOf, planOutline, type OutlineSpan } from '../../../src/core/plan/planOutline';

/** The text a span covers (single-line spans). */
function at(text: string, span: OutlineSpan): string {
  assert.equal(span.line, span.endLine, 'a single-line span');
  return text.split(/\r?\n/)[span.line].slice(span.start, span.end);
}

const MARKDOWN = `# Demo

## SPEC-001: Greeting

- [ ] TASK-1-1: Create the skeleton {priority: high; files: a.ts}
- [ ] Add the module {after: TASK-1-1; est: 3h}
  Indented prompt mentioning TASK-1-1.
- [x] TASK-1-5: Endpoint {depends-on: TASK-1-1,  TASK-1-2 ; agent: codex}

## Notes

No tasks here.

## Second

1. Unnumbered spec's task {after: TASK-1-5}
`;

describe('plan outline', () => {
  it('names kinds by file name', () => {
    assert.equal(planKindOf('/w/a.plan.md'), 'markdown');
    assert.equal(planKindOf('a.plan.YML'), 'yaml');
    assert.equal(planKindOf('a.plan.json'), 'json');
    assert.equal(planKindOf('a.txt'), undefined);
  });

  it('Markdown: specs and tasks with the ids the import assigns, and their ranges', async () => {
    const outline = markdownOutline(MARKDOWN);
    assert.deepEqual(
      outline.specs.map((spec) => [spec.id, spec.title, spec.span.line, spec.tasks.map((task) => task.id)]),
      [
        ['SPEC-001', 'Greeting', 2, ['TASK-1-1', 'TASK-1-2', 'TASK-1-5']],
        ['SPEC-002', 'Second', 13, ['TASK-2-1']],
      ],
    );
    // The import gives the same ids.
    const plan = await parsePlan(MARKDOWN, 'demo.plan.md', { baseDir: '.' });
    assert.deepEqual(plan.tasks.map((task) => task.id), outline.tasks.map((task) => task.id));
    const [first, second, third, fourth] = outline.tasks;
    assert.equal(at(MARKDOWN, outline.specs[0].idSpan), 'SPEC-001');
    assert.equal(at(MARKDOWN, first.idSpan), 'TASK-1-1');
    assert.equal(first.written, true);
    assert.equal(second.written, false);
    assert.equal(at(MARKDOWN, second.idSpan), 'Add the module', 'an assigned id points at the title');
    assert.equal(at(MARKDOWN, first.metadata!), '{priority: high; files: a.ts}');
    assert.equal(at(MARKDOWN, first.span), '- [ ] TASK-1-1: Create the skeleton {priority: high; files: a.ts}');
    assert.deepEqual(first.after, []);
    assert.deepEqual(second.after.map((ref) => [ref.id, at(MARKDOWN, ref.span)]), [['TASK-1-1', 'TASK-1-1']]);
    assert.deepEqual(third.after.map((ref) => at(MARKDOWN, ref.span)), ['TASK-1-1', 'TASK-1-2'], 'an alias key, commas and extra spaces');
    assert.equal(third.done, true);
    assert.equal(fourth.specId, 'SPEC-002');
    assert.equal(fourth.span.line, 15);
  });

  it('Markdown: a half-typed plan does not throw and keeps what it can read', () => {
    const outline = markdownOutline('## SPEC-003: Half\n\n- [ ] TASK-3-1: Typing {after: TASK-3-\n- [ ] {after: ; prio\n- [ ] TASK-3-2 {after: TASK-3-1}\n- [');
    assert.deepEqual(outline.tasks.map((task) => task.id), ['TASK-3-1', 'TASK-3-3', 'TASK-3-2']);
    assert.equal(outline.tasks[0].metadata, undefined, 'an unclosed brace is no block yet');
    assert.deepEqual(outline.tasks[2].after.map((ref) => ref.id), ['TASK-3-1']);
    assert.deepEqual(markdownOutline('').specs, []);
    assert.deepEqual(markdownOutline('- [ ] Above any heading').specs.map((spec) => [spec.id, spec.span.line]), [['SPEC-001', 0]]);
  });

  it('YAML: ids, dependsOn references and ranges from the yaml library', async () => {
    const text = `specs:
  - id: SPEC-004
    title: Greeting
    tasks:
      - id: TASK-4-1
        title: Skeleton
      - title: Module
        dependsOn: [TASK-4-1, "TASK-4-1"]
        done: true
  - title: Docs
    tasks:
      - title: Readme
        dependsOn:
          - TASK-4-2
`;
    const outline = await planOutline(text, 'yaml');
    assert.deepEqual(outline.tasks.map((task) => [task.id, task.specId, task.title, task.span.line]), [
      ['TASK-4-1', 'SPEC-004', 'Skeleton', 4],
      ['TASK-4-2', 'SPEC-004', 'Module', 6],
      ['TASK-1-1', 'SPEC-001', 'Readme', 11],
    ]);
    assert.equal(at(text, outline.specs[0].idSpan), 'SPEC-004');
    assert.equal(at(text, outline.tasks[0].idSpan), 'TASK-4-1');
    assert.equal(at(text, outline.tasks[1].idSpan), 'Module');
    assert.deepEqual(outline.tasks[1].after.map((ref) => at(text, ref.span)), ['TASK-4-1', 'TASK-4-1'], 'quotes are not part of the id');
    assert.equal(outline.tasks[1].done, true);
    assert.deepEqual(outline.tasks[2].after.map((ref) => [ref.id, ref.span.line]), [['TASK-4-2', 13]]);
    const plan = await parsePlan(text, 'p.plan.yaml', { baseDir: '.' });
    assert.deepEqual(plan.tasks.map((task) => task.id), outline.tasks.map((task) => task.id));
  });

  it('JSON: the same shape, quotes excluded from id ranges', async () => {
    const text = '{"specs": [{"id": "SPEC-001", "title": "A", "tasks": [\n  {"id": "TASK-1-1", "title": "One"},\n  {"id": "TASK-1-2", "title": "Two", "dependsOn": ["TASK-1-1"]}\n]}]}';
    const outline = await planOutline(text, 'json');
    assert.deepEqual(outline.tasks.map((task) => [task.id, task.span.line, at(text, task.idSpan)]), [
      ['TASK-1-1', 1, 'TASK-1-1'],
      ['TASK-1-2', 2, 'TASK-1-2'],
    ]);
    assert.deepEqual(outline.tasks[1].after.map((ref) => at(text, ref.span)), ['TASK-1-1']);
  });

  it('YAML and JSON: broken or odd documents give what can be read, never an exception', async () => {
    assert.deepEqual((await planOutline('specs:\n  - title: A\n    tasks:\n      - id: TASK-1-1\n        title: [unclosed\n', 'yaml')).tasks.map((task) => task.id), ['TASK-1-1']);
    assert.deepEqual((await planOutline('{"specs": [', 'json')).tasks, []);
    assert.deepEqual((await planOutline('- just\n- a list', 'yaml')).specs, []);
    assert.deepEqual((await planOutline('specs: 3', 'yaml')).specs, []);
    assert.deepEqual((await planOutline('', 'json')).specs, []);
  });

  it('outlines 1,000 tasks in one pass, well under 50 ms', () => {
    const { markdown, tasks } = largeMarkdownPlan();
    let best = Infinity;
    let outline = markdownOutline(markdown);
    // The best of a few runs of CPU time: the machine running the tests may be loaded.
    for (let run = 0; run < 5; run++) {
      const before = process.cpuUsage();
      outline = markdownOutline(markdown);
      const used = process.cpuUsage(before);
      best = Math.min(best, (used.user + used.system) / 1000);
    }
    assert.equal(outline.tasks.length, tasks);
    assert.ok(outline.tasks.some((task) => task.after.length > 0));
    // Generous; the bench (bench/planLensBench.ts) measures the real figure.
    assert.ok(best < 150, `took ${best.toFixed(1)} ms of CPU`);
  });
});
