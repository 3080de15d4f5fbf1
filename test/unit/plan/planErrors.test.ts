// One fixture per kind of error; every message is compared exactly, with its file and line.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { loadPlan } from '../../../src/core/plan/loadPlan';
import { expectPlanIssues, FIXTURES, useTempDir, writeFiles } from './planTestUtils';

const ERRORS = join(FIXTURES, 'errors');

function load(name: string) {
  return loadPlan(join(ERRORS, name));
}

describe('plan errors', () => {
  const temp = useTempDir();

  it('names an unknown dependency with file, line and task id, as the only problem in the message', async () => {
    const file = join(ERRORS, 'unknown-dependency.plan.md');
    const error = await expectPlanIssues(load('unknown-dependency.plan.md'), [`${file}:4: TASK-31-2: depends on unknown task TASK-31-9`]);
    assert.equal(error.message, `${file}:4: TASK-31-2: depends on unknown task TASK-31-9`);
    assert.equal(error.name, 'PlanValidationError');
    assert.deepEqual(error.issues, [{ file, line: 4, taskId: 'TASK-31-2', message: 'depends on unknown task TASK-31-9' }]);
  });

  it('reports a duplicate id on its second definition', async () => {
    const file = join(ERRORS, 'duplicate-id.plan.md');
    await expectPlanIssues(load('duplicate-id.plan.md'), [`${file}:5: TASK-31-1: duplicate task id (first defined on line 3)`]);
  });

  it('reports a self-dependency', async () => {
    const file = join(ERRORS, 'self-dependency.plan.md');
    await expectPlanIssues(load('self-dependency.plan.md'), [`${file}:4: TASK-31-2: depends on itself`]);
  });

  it('reports each cycle once, its members in order from the first in the plan, arrows from a task to its dependent', async () => {
    const file = join(ERRORS, 'cycle.plan.md');
    await expectPlanIssues(load('cycle.plan.md'), [
      `${file}:3: TASK-1-1: dependency cycle: TASK-1-1 → TASK-1-2 → TASK-1-3 → TASK-1-1`,
      `${file}:7: TASK-1-5: dependency cycle: TASK-1-5 → TASK-1-6 → TASK-1-5`,
    ]);
  });

  it('reports invalid priorities and accepts class names in any case and 1–10', async () => {
    const file = join(ERRORS, 'invalid-priority.plan.md');
    await expectPlanIssues(load('invalid-priority.plan.md'), [
      `${file}:5: TASK-1-3: invalid priority "urgent" (expected high, medium, low or 1–10)`,
      `${file}:6: TASK-1-4: invalid priority "11" (expected high, medium, low or 1–10)`,
      `${file}:7: TASK-1-5: invalid priority "0" (expected high, medium, low or 1–10)`,
    ]);
  });

  it('reports estimated hours that are not positive integers', async () => {
    const file = join(ERRORS, 'invalid-hours.plan.md');
    await expectPlanIssues(load('invalid-hours.plan.md'), [
      `${file}:4: TASK-1-2: estimated hours must be a positive integer, got 0`,
      `${file}:5: TASK-1-3: estimated hours must be a positive integer, got 1.5`,
      `${file}:6: TASK-1-4: estimated hours must be a positive integer, got -2`,
      `${file}:7: TASK-1-5: estimated hours must be a positive integer, got "soon"`,
    ]);
  });

  it('reports malformed task and spec ids, and a task id that names another spec', async () => {
    const file = join(ERRORS, 'malformed-id.plan.md');
    await expectPlanIssues(load('malformed-id.plan.md'), [
      `${file}:3: TASK-31: malformed task id (expected TASK-<spec number>-<task number>)`,
      `${file}:4: TASK-5-1: belongs to SPEC-031, so its id must start with TASK-31-`,
      `${file}:5: TASK-31-x: malformed task id (expected TASK-<spec number>-<task number>)`,
      `${file}:7: malformed spec id "SPEC-ab" (expected SPEC-<number>)`,
    ]);
  });

  it('reports unknown, repeated, empty and malformed metadata, naming the key', async () => {
    const file = join(ERRORS, 'metadata.plan.md');
    await expectPlanIssues(load('metadata.plan.md'), [
      `${file}:3: TASK-1-1: unknown metadata key "owner"`,
      `${file}:4: TASK-1-2: metadata key "depends" repeats "after"`,
      `${file}:5: TASK-1-3: metadata key "agent" has no value`,
      `${file}:6: TASK-1-4: malformed metadata "after TASK-1-1" (expected key: value)`,
      `${file}:7: TASK-1-5: "each" and "each-file" both fan the task out; give one`,
      `${file}:8: TASK-1-6: task has no title`,
    ]);
  });

  it('reports strategies and thresholds that do not fit the task', async () => {
    const file = join(ERRORS, 'strategy.plan.md');
    await expectPlanIssues(load('strategy.plan.md'), [
      `${file}:3: TASK-1-1: a strategy applies only to a fan-out task`,
      `${file}:4: TASK-1-2: invalid strategy "eventually" (expected wait_all, fail_fast, best_effort, race)`,
      `${file}:5: TASK-1-3: a threshold applies only to the best_effort strategy`,
      `${file}:6: TASK-1-4: threshold must be above 0 and at most 1, got 1.5`,
      `${file}:7: TASK-1-5: fan-out item "a" is listed twice`,
    ]);
  });

  it('reports a plan without tasks', async () => {
    await expectPlanIssues(load('empty.plan.md'), [`${join(ERRORS, 'empty.plan.md')}:1: the plan has no tasks`]);
  });

  it('collects every problem of a plan in one error, sorted by line, with a readable message', async () => {
    const file = join(ERRORS, 'many.plan.md');
    const expected = [
      `${file}:3: TASK-31-1: unknown metadata key "prio"`,
      `${file}:4: TASK-31-2: estimated hours must be a positive integer, got 0`,
      `${file}:4: TASK-31-2: depends on unknown task TASK-31-9`,
      `${file}:5: TASK-31-3: invalid priority "urgent" (expected high, medium, low or 1–10)`,
      `${file}:5: TASK-31-3: dependency cycle: TASK-31-3 → TASK-31-4 → TASK-31-3`,
      `${file}:7: TASK-31-2: duplicate task id (first defined on line 4)`,
    ];
    const error = await expectPlanIssues(load('many.plan.md'), expected);
    assert.equal(error.message, `6 problems in the plan:\n${expected.map((line) => `  ${line}`).join('\n')}`);
  });

  it('rejects a file type it cannot parse', async () => {
    await writeFiles(temp.path, { 'plan.txt': '- [ ] A task' });
    const file = join(temp.path, 'plan.txt');
    await expectPlanIssues(loadPlan(file), [`${file}:1: unsupported plan file type ".txt" (expected .md, .markdown, .yaml, .yml or .json)`]);
  });
});
