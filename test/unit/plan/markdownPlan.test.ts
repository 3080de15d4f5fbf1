import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { loadPlan } from '../../../src/core/plan/loadPlan';
import { planTask } from '../../support/planTask';
import { FIXTURES, useTempDir, writeFiles } from './planTestUtils';

const DEMO = join(FIXTURES, 'demo.plan.md');

describe('Markdown plans', () => {
  const temp = useTempDir();

  it('reads the demo plan: headings are specs, checklist items are tasks with their metadata', async () => {
    const plan = await loadPlan(DEMO);
    assert.equal(plan.source, DEMO);
    assert.deepEqual(plan.specs, [
      {
        id: 'SPEC-001',
        title: 'Greeting service',
        description: 'The service that says hello, with an HTTP endpoint.',
        location: { file: DEMO, line: 5 },
      },
      { id: 'SPEC-002', title: 'Documentation and tests', description: '', location: { file: DEMO, line: 15 } },
    ]);
    assert.deepEqual(plan.tasks, [
      planTask('TASK-1-1', {
        specId: 'SPEC-001',
        title: 'Create the project skeleton',
        priority: 'high',
        estimatedHours: 2,
        agent: 'scripted',
        files: ['package.json', 'src/index.ts'],
        location: { file: DEMO, line: 9 },
      }),
      planTask('TASK-1-2', {
        specId: 'SPEC-001',
        title: 'Add the greeting module',
        prompt: 'Add the greeting module\n\nExport `greet(name)` returning "Hello, <name>!".\nKeep it free of I/O.',
        priority: 'high',
        estimatedHours: 3,
        dependsOn: ['TASK-1-1'],
        files: ['src/greeting/**'],
        verify: 'npm test',
        location: { file: DEMO, line: 10 },
      }),
      planTask('TASK-1-3', {
        specId: 'SPEC-001',
        title: 'Add the HTTP endpoint',
        estimatedHours: 4,
        dependsOn: ['TASK-1-2'],
        files: ['src/http/**'],
        location: { file: DEMO, line: 13 },
      }),
      planTask('TASK-2-1', {
        specId: 'SPEC-002',
        title: 'Write unit tests for greet',
        estimatedHours: 2,
        dependsOn: ['TASK-1-2'],
        files: ['test/greeting/**'],
        location: { file: DEMO, line: 17 },
      }),
      planTask('TASK-2-2', {
        specId: 'SPEC-002',
        title: 'Document the API in the README',
        priority: 'low',
        dependsOn: ['TASK-1-3'],
        files: ['README.md'],
        location: { file: DEMO, line: 18 },
      }),
      planTask('TASK-2-3', {
        specId: 'SPEC-002',
        title: 'Set up CI',
        priority: 'low',
        files: ['.ci/**'],
        done: true,
        location: { file: DEMO, line: 19 },
      }),
    ]);
  });

  it('maps numeric priorities 1–10 onto classes (≥8 high, ≥4 medium, else low)', async () => {
    await writeFiles(temp.path, {
      'p.plan.md': ['## Priorities', ...[10, 8, 7, 4, 3, 1].map((value) => `- [ ] P${value} {priority: ${value}}`), '- [ ] Word {priority: Low}'].join('\n'),
    });
    const plan = await loadPlan(join(temp.path, 'p.plan.md'));
    assert.deepEqual(
      plan.tasks.map((task) => `${task.title}=${task.priority}`),
      ['P10=high', 'P8=high', 'P7=medium', 'P4=medium', 'P3=low', 'P1=low', 'Word=low'],
    );
  });

  it('assigns missing ids: specs by position around explicit ids, tasks the lowest number free in their spec', async () => {
    const text = [
      '# Roadmap',
      'A title heading without tasks is not a spec.',
      '## Backend',
      '- [ ] First',
      '- [ ] TASK-1-2: Second',
      '- [ ] Third',
      '- [ ] TASK-1-5: Fifth',
      '- [ ] Fourth',
      '- [ ] Sixth',
      '## SPEC-002: Frontend',
      '- [ ] Page {after: TASK-1-3}',
      '## Ops',
      '- [ ] Deploy',
    ].join('\n');
    await writeFiles(temp.path, { 'ids.plan.md': text });
    const file = join(temp.path, 'ids.plan.md');
    const plan = await loadPlan(file);
    assert.deepEqual(
      plan.specs.map((spec) => `${spec.id} ${spec.title}`),
      ['SPEC-001 Backend', 'SPEC-002 Frontend', 'SPEC-003 Ops'],
    );
    assert.deepEqual(
      plan.tasks.map((task) => `${task.id} ${task.title}`),
      ['TASK-1-1 First', 'TASK-1-2 Second', 'TASK-1-3 Third', 'TASK-1-5 Fifth', 'TASK-1-4 Fourth', 'TASK-1-6 Sixth', 'TASK-2-1 Page', 'TASK-3-1 Deploy'],
    );
    assert.deepEqual(plan.tasks[6].dependsOn, ['TASK-1-3']);
    assert.deepEqual(await loadPlan(file), plan, 'the same file yields the same ids');
  });

  it('numbers a spec without id after the numbers that explicit spec ids hold', async () => {
    await writeFiles(temp.path, { 's.plan.md': '## Alpha\n- [ ] a\n## SPEC-001: Beta\n- [ ] b\n## Gamma\n- [ ] c\n' });
    const plan = await loadPlan(join(temp.path, 's.plan.md'));
    assert.deepEqual(
      plan.specs.map((spec) => spec.id),
      ['SPEC-002', 'SPEC-001', 'SPEC-003'],
    );
    assert.deepEqual(
      plan.tasks.map((task) => `${task.specId}/${task.id}`),
      ['SPEC-002/TASK-2-1', 'SPEC-001/TASK-1-1', 'SPEC-003/TASK-3-1'],
    );
  });

  it('accepts every checklist form, keeps fences and plain bullets as prose, and reads indented lines as the prompt', async () => {
    const text = [
      '## SPEC-001: Forms',
      '',
      'Intro text.',
      '- a plain bullet is prose',
      '* [ ] Star bullet',
      '+ [X] Plus bullet, checked',
      '1. Numbered',
      '2) Numbered with a parenthesis',
      '3. [x] Numbered and checked',
      '',
      '```text',
      '- [ ] Not a task: inside a fence',
      '## Not a heading either',
      '```',
      '',
      '- [ ] With a long prompt {agent: claude}',
      '  First line of the prompt.',
      '',
      '      indented code',
      '  ```sh',
      'npm test',
      '  ```',
      'Closing prose.',
    ].join('\n');
    await writeFiles(temp.path, { 'forms.plan.md': text });
    const plan = await loadPlan(join(temp.path, 'forms.plan.md'));
    assert.equal(plan.specs.length, 1);
    assert.equal(
      plan.specs[0].description,
      'Intro text.\n- a plain bullet is prose\n```text\n- [ ] Not a task: inside a fence\n## Not a heading either\n```\n\nClosing prose.',
    );
    assert.deepEqual(
      plan.tasks.map((task) => [task.id, task.title, task.done, task.location.line]),
      [
        ['TASK-1-1', 'Star bullet', false, 5],
        ['TASK-1-2', 'Plus bullet, checked', true, 6],
        ['TASK-1-3', 'Numbered', false, 7],
        ['TASK-1-4', 'Numbered with a parenthesis', false, 8],
        ['TASK-1-5', 'Numbered and checked', true, 9],
        ['TASK-1-6', 'With a long prompt', false, 16],
      ],
    );
    assert.equal(plan.tasks[5].prompt, 'With a long prompt\n\nFirst line of the prompt.\n\n    indented code\n```sh\nnpm test\n```');
    assert.equal(plan.tasks[5].agent, 'claude');
    assert.equal(plan.tasks[4].prompt, 'Numbered and checked', 'a blank line alone is no prompt');
  });

  it('puts tasks above any heading into a spec named after the file, with the preamble as its description', async () => {
    await writeFiles(temp.path, { 'todo.plan.md': 'Things to do this week.\n\n- [ ] Write the parser\n- [ ] Test it {after: TASK-1-1}\n' });
    const file = join(temp.path, 'todo.plan.md');
    const plan = await loadPlan(file);
    assert.deepEqual(plan.specs, [{ id: 'SPEC-001', title: 'todo', description: 'Things to do this week.', location: { file, line: 1 } }]);
    assert.deepEqual(
      plan.tasks.map((task) => [task.id, task.specId, task.dependsOn]),
      [
        ['TASK-1-1', 'SPEC-001', []],
        ['TASK-1-2', 'SPEC-001', ['TASK-1-1']],
      ],
    );
  });

  it('keeps a heading without tasks when it names a spec id', async () => {
    await writeFiles(temp.path, { 'k.plan.md': '## SPEC-007\nLater.\n## Notes\nNothing here.\n## SPEC-002 - Now\n- [ ] Do it\n' });
    const plan = await loadPlan(join(temp.path, 'k.plan.md'));
    assert.deepEqual(
      plan.specs.map((spec) => [spec.id, spec.title, spec.description]),
      [
        ['SPEC-007', 'SPEC-007', 'Later.'],
        ['SPEC-002', 'Now', ''],
      ],
    );
  });

  it('reads metadata keys in any case and spelling, quoted values, brace globs, and braces without a colon as title text', async () => {
    const text = [
      '## SPEC-001: Metadata',
      '- [ ] TASK-1-1: Keep {braces} in titles',
      '- [ ] TASK-1-2: Quoted {verify: "npm test; npm run lint"; files: "src/a;b.ts", src/{api,web}/**; Estimated_Hours: 2 hours}',
      '- [ ] TASK-1-3: Aliases {Depends-On: TASK-1-1 TASK-1-2,; AGENT: aider; est: 5}',
    ].join('\n');
    await writeFiles(temp.path, { 'm.plan.md': text });
    const [braces, quoted, aliases] = (await loadPlan(join(temp.path, 'm.plan.md'))).tasks;
    assert.equal(braces.title, 'Keep {braces} in titles');
    assert.equal(quoted.verify, 'npm test; npm run lint');
    assert.deepEqual(quoted.files, ['src/a;b.ts', 'src/{api,web}/**']);
    assert.equal(quoted.estimatedHours, 2);
    assert.deepEqual(aliases.dependsOn, ['TASK-1-1', 'TASK-1-2']);
    assert.equal(aliases.agent, 'aider');
    assert.equal(aliases.estimatedHours, 5);
  });

  it('reads CRLF line endings and a byte-order mark', async () => {
    await writeFiles(temp.path, { 'w.plan.md': '\uFEFF## SPEC-004: Windows\r\n\r\n- [ ] Saved on Windows {est: 3h}\r\n' });
    const plan = await loadPlan(join(temp.path, 'w.plan.md'));
    assert.deepEqual(
      plan.tasks.map((task) => [task.id, task.title, task.estimatedHours, task.location.line]),
      [['TASK-4-1', 'Saved on Windows', 3, 3]],
    );
    assert.equal(plan.specs[0].title, 'Windows');
  });
});
