import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import type { Plan } from '../../../src/core/model';
import { loadPlan } from '../../../src/core/plan/loadPlan';
import { PLAN_SCHEMA } from '../../../src/core/plan/planSchema';
import { expectPlanIssues, FIXTURES, useTempDir, writeFiles } from './planTestUtils';

/** The plan without where it came from, to compare plans read from different formats. */
function content(plan: Plan): unknown {
  return {
    specs: plan.specs.map((spec) => ({ ...spec, location: undefined })),
    tasks: plan.tasks.map((task) => ({ ...task, location: undefined })),
  };
}

interface SchemaNode {
  readonly title?: string;
  readonly description?: string;
  readonly $ref?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
}

describe('YAML and JSON plans', () => {
  const temp = useTempDir();

  it('reads the YAML and JSON demos into the same plan as the Markdown demo', async () => {
    const markdown = await loadPlan(join(FIXTURES, 'demo.plan.md'));
    const yaml = await loadPlan(join(FIXTURES, 'demo.plan.yaml'));
    const json = await loadPlan(join(FIXTURES, 'demo.plan.json'));
    assert.deepEqual(content(yaml), content(markdown));
    assert.deepEqual(content(json), content(markdown));
    assert.equal(json.source, join(FIXTURES, 'demo.plan.json'));
  });

  it('locates specs and tasks on the lines where their mappings start', async () => {
    const file = join(FIXTURES, 'demo.plan.yaml');
    const plan = await loadPlan(file);
    assert.deepEqual(
      plan.specs.map((spec) => spec.location),
      [
        { file, line: 3 },
        { file, line: 30 },
      ],
    );
    assert.deepEqual(
      plan.tasks.map((task) => task.location.line),
      [7, 13, 25, 33, 39, 45],
    );
  });

  it('assigns missing ids and normalizes priorities as Markdown plans do', async () => {
    const text = [
      'specs:',
      '  - title: Backend',
      '    tasks:',
      '      - title: First',
      '        priority: 9',
      '      - id: TASK-1-1',
      '        title: Explicit',
      '        priority: low',
      '  - id: SPEC-005',
      '    title: Later',
      '    tasks:',
      '      - title: Third',
      '        dependsOn: [TASK-1-2]',
      '        estimatedHours: 3',
      '        strategy: best_effort',
      '        threshold: 0.5',
      '        fanOut: { items: [a, b] }',
    ].join('\n');
    await writeFiles(temp.path, { 'ids.plan.yml': text });
    const plan = await loadPlan(join(temp.path, 'ids.plan.yml'));
    assert.deepEqual(
      plan.tasks.map((task) => [task.id, task.specId, task.priority, task.estimatedHours, task.parentId ?? '-']),
      [
        ['TASK-1-2', 'SPEC-001', 'high', 1, '-'],
        ['TASK-1-1', 'SPEC-001', 'low', 1, '-'],
        ['TASK-5-1', 'SPEC-005', 'medium', 3, '-'],
        ['TASK-5-2', 'SPEC-005', 'medium', 3, 'TASK-5-1'],
        ['TASK-5-3', 'SPEC-005', 'medium', 3, 'TASK-5-1'],
      ],
    );
    assert.equal(plan.tasks[2].strategy, 'best_effort');
    assert.equal(plan.tasks[2].threshold, 0.5);
  });

  it('reports schema violations on their own lines together with the graph problems, naming the property', async () => {
    const file = join(FIXTURES, 'errors', 'schema.plan.yaml');
    await expectPlanIssues(loadPlan(file), [
      `${file}:4: unknown property "owner"`,
      `${file}:8: TASK-31-1: estimatedHours must be >= 1`,
      `${file}:9: TASK-31-1: priority must be one of high, medium, low, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
      `${file}:10: TASK-31-2: depends on unknown task TASK-31-9`,
      `${file}:12: TASK-31-2: fanOut must NOT have fewer than 1 properties`,
      `${file}:13: TASK-31-3: missing required property "title"`,
      `${file}:14: TASK-31-3: estimatedHours must be integer`,
      `${file}:15: TASK-31-3: files must be array`,
    ]);
  });

  it('reports YAML syntax errors with their lines', async () => {
    const file = join(FIXTURES, 'errors', 'syntax.plan.yaml');
    await expectPlanIssues(loadPlan(file), [
      `${file}:3: Map keys must be unique`,
      `${file}:5: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
  });

  it('reports wrongly typed JSON values and skips what it cannot read', async () => {
    const file = join(FIXTURES, 'errors', 'wrong-types.plan.json');
    await expectPlanIssues(loadPlan(file), [
      `${file}:6: task must be object`,
      `${file}:7: TASK-1-1: dependsOn must be array`,
      `${file}:7: TASK-1-1: strategy must be one of wait_all, fail_fast, best_effort, race`,
    ]);
  });

  it('has a schema that compiles strictly, survives JSON, accepts the demo and documents every property', async () => {
    const validate = new Ajv({ strict: true }).compile(PLAN_SCHEMA);
    const demo: unknown = parse(await readFile(join(FIXTURES, 'demo.plan.yaml'), 'utf8'));
    assert.equal(validate(demo), true, JSON.stringify(validate.errors));
    assert.equal(validate({ specs: [{ title: 'x', tasks: [{ title: 'y', estimatedHours: 0 }] }] }), false);
    assert.deepEqual(JSON.parse(JSON.stringify(PLAN_SCHEMA)), PLAN_SCHEMA);

    const undocumented: string[] = [];
    const visit = (node: SchemaNode, where: string): void => {
      for (const [name, property] of Object.entries(node.properties ?? {})) {
        if (property.description === undefined && property.title === undefined && property.$ref === undefined) undocumented.push(`${where}.${name}`);
      }
    };
    visit(PLAN_SCHEMA, 'plan');
    for (const [name, definition] of Object.entries(PLAN_SCHEMA.definitions)) {
      assert.ok(definition.title, `definition ${name} has a title`);
      visit(definition, name);
    }
    assert.deepEqual(undocumented, []);
  });
});
