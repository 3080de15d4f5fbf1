import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { buildTaskGraph } from '../../../src/core/graph';
import { loadPlan } from '../../../src/core/plan/loadPlan';
import { expectPlanIssues, useTempDir, writeFiles } from './planTestUtils';

const CRUD_PLAN = [
  '## SPEC-003: CRUD',
  '- [ ] TASK-3-1: Generate the schema {est: 2h}',
  '- [ ] Add CRUD for {item} {after: TASK-3-1; each: users, orders, invoices; files: src/{item}/**; priority: high; est: 3h; agent: codex}',
  '  Generate the {item} endpoints and their tests.',
  '- [ ] Wire the routes {after: TASK-3-2}',
].join('\n');

describe('fan-out', () => {
  const temp = useTempDir();

  it('expands a task over listed items into children with their own ids, the item substituted', async () => {
    await writeFiles(temp.path, { 'crud.plan.md': CRUD_PLAN });
    const file = join(temp.path, 'crud.plan.md');
    const plan = await loadPlan(file);
    assert.deepEqual(
      plan.tasks.map((task) => task.id),
      ['TASK-3-1', 'TASK-3-2', 'TASK-3-4', 'TASK-3-5', 'TASK-3-6', 'TASK-3-3'],
    );
    const parent = plan.tasks[1];
    assert.equal(parent.strategy, 'wait_all');
    assert.equal(parent.threshold, undefined);
    assert.deepEqual(parent.fanOut, { kind: 'items', items: ['users', 'orders', 'invoices'] });
    assert.deepEqual(plan.tasks[2], {
      ...parent,
      id: 'TASK-3-4',
      title: 'Add CRUD for users',
      prompt: 'Add CRUD for users\n\nGenerate the users endpoints and their tests.',
      files: ['src/users/**'],
      parentId: 'TASK-3-2',
      strategy: undefined,
      threshold: undefined,
      fanOut: undefined,
    });
    assert.deepEqual(
      plan.tasks.slice(2, 5).map((child) => [child.title, child.files, child.dependsOn, child.priority, child.estimatedHours, child.agent]),
      [
        ['Add CRUD for users', ['src/users/**'], ['TASK-3-1'], 'high', 3, 'codex'],
        ['Add CRUD for orders', ['src/orders/**'], ['TASK-3-1'], 'high', 3, 'codex'],
        ['Add CRUD for invoices', ['src/invoices/**'], ['TASK-3-1'], 'high', 3, 'codex'],
      ],
    );
  });

  it('puts the parent after its children in the graph, counting the children’s hours and not its own', async () => {
    await writeFiles(temp.path, { 'crud.plan.md': CRUD_PLAN });
    const graph = buildTaskGraph((await loadPlan(join(temp.path, 'crud.plan.md'))).tasks);
    assert.deepEqual(graph.dependenciesOf.get('TASK-3-2'), ['TASK-3-1', 'TASK-3-4', 'TASK-3-5', 'TASK-3-6']);
    assert.deepEqual(graph.levels, [['TASK-3-1'], ['TASK-3-4', 'TASK-3-5', 'TASK-3-6'], ['TASK-3-2'], ['TASK-3-3']]);
    assert.deepEqual(Object.fromEntries(graph.criticalPathHours), {
      'TASK-3-1': 6,
      'TASK-3-2': 1,
      'TASK-3-3': 1,
      'TASK-3-4': 4,
      'TASK-3-5': 4,
      'TASK-3-6': 4,
    });
  });

  it('expands a task over the files a glob matches under the base directory, sorted, skipping node_modules', async () => {
    await writeFiles(temp.path, {
      'src/b.ts': '',
      'src/a.ts': '',
      'src/nested/c.ts': '',
      'src/readme.md': '',
      'src/node_modules/dep/index.ts': '',
      'plans/strict.plan.md': '## Strictness\n- [ ] Turn on strict mode {each-file: src/**/*.ts; strategy: fail-fast}\n',
    });
    const plan = await loadPlan(join(temp.path, 'plans/strict.plan.md'), { baseDir: temp.path });
    const [parent, ...children] = plan.tasks;
    assert.equal(parent.strategy, 'fail_fast');
    assert.deepEqual(parent.fanOut, { kind: 'files', glob: 'src/**/*.ts' });
    assert.deepEqual(
      children.map((child) => [child.id, child.title, child.prompt, child.files, child.parentId]),
      [
        ['TASK-1-2', 'Turn on strict mode (src/a.ts)', 'Turn on strict mode\n\nFile: src/a.ts', ['src/a.ts'], 'TASK-1-1'],
        ['TASK-1-3', 'Turn on strict mode (src/b.ts)', 'Turn on strict mode\n\nFile: src/b.ts', ['src/b.ts'], 'TASK-1-1'],
        ['TASK-1-4', 'Turn on strict mode (src/nested/c.ts)', 'Turn on strict mode\n\nFile: src/nested/c.ts', ['src/nested/c.ts'], 'TASK-1-1'],
      ],
    );
  });

  it('globs relative to the plan file’s folder when no base directory is given', async () => {
    await writeFiles(temp.path, { 'data/x.csv': '1', 'data/y.txt': '2', 'p.plan.md': '- [ ] Import {item} {each-file: data/*.csv}\n' });
    const plan = await loadPlan(join(temp.path, 'p.plan.md'));
    assert.deepEqual(
      plan.tasks.map((task) => task.title),
      ['Import {item}', 'Import data/x.csv'],
    );
  });

  it('reads fan-out, strategy and threshold from YAML', async () => {
    await writeFiles(temp.path, {
      'docs/a.md': '',
      'docs/b.md': '',
      'p.plan.yaml': [
        'specs:',
        '  - title: Docs',
        '    tasks:',
        '      - title: Proofread',
        '        prompt: Proofread {item} and fix typos.',
        '        fanOut: { files: "docs/*.md" }',
        '        strategy: best_effort',
        '        threshold: 0.5',
      ].join('\n'),
    });
    const plan = await loadPlan(join(temp.path, 'p.plan.yaml'));
    assert.deepEqual(
      plan.tasks.map((task) => [task.id, task.prompt, task.strategy, task.threshold]),
      [
        ['TASK-1-1', 'Proofread {item} and fix typos.', 'best_effort', 0.5],
        ['TASK-1-2', 'Proofread docs/a.md and fix typos.', undefined, undefined],
        ['TASK-1-3', 'Proofread docs/b.md and fix typos.', undefined, undefined],
      ],
    );
  });

  it('reports a file fan-out that matches nothing', async () => {
    await writeFiles(temp.path, { 'src/a.ts': '', 'p.plan.md': '## SPEC-002: Python\n- [ ] Port {each-file: src/**/*.py}\n' });
    const file = join(temp.path, 'p.plan.md');
    await expectPlanIssues(loadPlan(file), [`${file}:2: TASK-2-1: fan-out over files "src/**/*.py" matched no files`]);
  });
});
