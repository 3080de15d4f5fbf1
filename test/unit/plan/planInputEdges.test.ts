// Plan text that once slipped through or failed late: a prompt that starts with a dash, an
// estimate SQLite refuses, a YAML alias bomb, a path that is no plan file, bytes that are not
// UTF-8, a NUL in a prompt. Each must import exactly as written or fail at its line, at once.

import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPlan } from '../../../src/core/plan/loadPlan';
import { PlanValidationError } from '../../../src/core/plan/planErrors';
import { expectPlanIssues, useTempDir, writeFiles } from './planTestUtils';

async function loadError(file: string): Promise<PlanValidationError> {
  const error = await loadPlan(file).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof PlanValidationError, `expected a PlanValidationError, got ${String(error)}`);
  return error;
}

describe('plan input at the edges', () => {
  const temp = useTempDir();

  it('keeps a prompt that starts with a dash as written after "TASK-…:"', async () => {
    await writeFiles(temp.path, {
      'p.plan.md': ['## SPEC-1: Flags', '- [ ] TASK-1-1: -p', '- [ ] TASK-1-2: --flag value', '- [ ] TASK-1-3 - dash separator', '- [ ] TASK-1-4 — em dash separator', '- [ ] TASK-1-5: - a list dash'].join('\n'),
    });
    const plan = await loadPlan(join(temp.path, 'p.plan.md'));
    assert.deepEqual(
      plan.tasks.map((t) => [t.id, t.title, t.prompt]),
      [
        ['TASK-1-1', '-p', '-p'],
        ['TASK-1-2', '--flag value', '--flag value'],
        ['TASK-1-3', 'dash separator', 'dash separator'],
        ['TASK-1-4', 'em dash separator', 'em dash separator'],
        ['TASK-1-5', '- a list dash', '- a list dash'],
      ],
    );
  });

  it('refuses an estimate the database cannot store, at its line', async () => {
    const file = join(temp.path, 'p.plan.md');
    await writeFile(file, '## SPEC-1: Big\n- [ ] TASK-1-1: Huge {est: 99999999999999999999h}\n');
    await expectPlanIssues(loadPlan(file), [`${file}:2: TASK-1-1: estimated hours must be a whole number from 1 to 100000, got 100000000000000000000`]);
  });

  it('refuses a YAML alias bomb with a line, before expanding it', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++) {
      const name = String.fromCharCode(97 + level);
      const previous = String.fromCharCode(96 + level);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]`);
    }
    lines.push('specs:', '  - title: Bomb', '    tasks:', '      - title: Boom', '        prompt: *i');
    const file = join(temp.path, 'bomb.plan.yaml');
    await writeFile(file, `${lines.join('\n')}\n`);
    const error = await loadError(file);
    assert.equal(error.issues.length, 1, error.message);
    assert.match(error.issues[0].message, /alias/i);
    assert.ok(error.issues[0].line > 1, `a line inside the document, got ${error.issues[0].line}`);
    assert.match(error.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: `));
  });

  it('names a missing plan file and a folder given as a plan', async () => {
    const missing = join(temp.path, 'nope.plan.md');
    const absent = await loadError(missing);
    assert.equal(absent.message, `${missing}:1: the plan file does not exist`);
    await writeFiles(temp.path, { 'folder.plan.md/inner.txt': 'x' });
    const folder = join(temp.path, 'folder.plan.md');
    const notFile = await loadError(folder);
    assert.equal(notFile.message, `${folder}:1: this is a folder, not a plan file`);
  });

  it('refuses bytes that are not UTF-8, naming the line', async () => {
    const file = join(temp.path, 'latin1.plan.md');
    await writeFile(file, Buffer.concat([Buffer.from('## SPEC-1: Caf\n- [ ] TASK-1-1: ok\n- [ ] TASK-1-2: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    await expectPlanIssues(loadPlan(file), [`${file}:3: the file is not valid UTF-8 (save it as UTF-8; a byte at column 20 is not)`]);
  });

  it('refuses a NUL in a prompt at import, not at run time', async () => {
    const file = join(temp.path, 'nul.plan.json');
    await writeFile(file, JSON.stringify({ specs: [{ title: 'S', tasks: [{ title: 'T', prompt: 'a\u0000b' }] }] }, null, 2));
    const error = await loadError(file);
    assert.deepEqual(
      error.issues.map((i) => [i.taskId, i.message]),
      [['TASK-1-1', 'the prompt contains a NUL character, which no agent command can receive']],
    );
    assert.ok(error.issues[0].line > 1);
  });
});
