import { strict as assert } from 'node:assert';
import type { DisplayStatus } from '../../../src/core';
import { markdownOutline } from '../../../src/core/plan/planOutline';
import { completionSlot } from '../../../src/vscode/plan/completionSlot';
import { planLenses, type LensInputs } from '../../../src/vscode/plan/planLensModel';
import type { ShownTask } from '../../../src/vscode/tree/taskTreeText';

const PLAN = `## SPEC-001: One

- [ ] TASK-1-1: Done {files: a}
- [ ] TASK-1-2: Broken {after: TASK-1-1}
- [ ] TASK-1-3: Waiting
- [ ] TASK-1-4: Working
`;

function row(taskId: string, displayStatus: DisplayStatus, ran: boolean): ShownTask {
  return {
    taskId,
    specId: 'SPEC-001',
    displayStatus,
    parentTaskId: null,
    title: taskId,
    priority: 'medium',
    estimatedHours: 1,
    agent: 'scripted',
    routedBy: null,
    dependsOn: [],
    retryCount: 0,
    errorMessage: null,
    startedAt: ran ? '2026-01-01T00:00:00.000Z' : null,
    latestAttempt: ran
      ? { attemptNumber: 2, durationMs: 187_000, exitCode: 0, worktree: '/w', branch: `orch/${taskId}/a2`, sessionId: null, logPath: '/l.log', costUsd: 0.125, tokensIn: null, tokensOut: null }
      : null,
  };
}

const ROWS = new Map([
  ['TASK-1-1', row('TASK-1-1', 'completed', true)],
  ['TASK-1-2', row('TASK-1-2', 'failed', true)],
  ['TASK-1-3', row('TASK-1-3', 'pending', false)],
  ['TASK-1-4', row('TASK-1-4', 'running', true)],
]);

function inputs(overrides: Partial<LensInputs> = {}): LensInputs {
  return {
    outline: markdownOutline(PLAN),
    imported: true,
    stale: false,
    file: 'plan.md',
    row: (id) => ROWS.get(id),
    review: () => undefined,
    running: false,
    now: Date.parse('2026-01-01T00:01:05.000Z'),
    ...overrides,
  };
}

const byLine = (lenses: ReturnType<typeof planLenses>) => {
  const lines = new Map<number, string[]>();
  for (const lens of lenses) lines.set(lens.line, [...(lines.get(lens.line) ?? []), lens.title]);
  return Object.fromEntries(lines);
};

describe('plan CodeLens models', () => {
  it('before the import: one "Import plan" lens, none for an empty file', () => {
    const lenses = planLenses(inputs({ imported: false }));
    assert.deepEqual(lenses.map((lens) => [lens.line, lens.title, lens.command, lens.args]), [[0, '$(cloud-upload) Import plan', 'agentOrchestrator.importPlan', ['plan.md']]]);
    assert.deepEqual(planLenses(inputs({ imported: false, outline: markdownOutline('# Nothing yet') })), []);
  });

  it('per task: status with the tree\'s icon, attempt, duration, cost, and the actions of its state', () => {
    assert.deepEqual(byLine(planLenses(inputs())), {
      0: ['$(checklist) 1/4 done', '$(run-all) Run Spec'],
      2: ['$(pass-filled) completed · attempt 2 · 3:07 · $0.13', '$(output) Show Log', '$(diff) Review Changes'],
      3: ['$(error) failed · attempt 2 · 3:07 · $0.13', '$(refresh) Retry', '$(output) Show Log', '$(diff) Review Changes'],
      4: ['$(circle-large-outline) pending', '$(play) Run'],
      5: ['$(sync~spin) running · attempt 2 · 1:05 · $0.13', '$(stop) Cancel', '$(output) Show Log'],
    });
    const retry = planLenses(inputs()).find((lens) => lens.title.endsWith('Retry'))!;
    assert.deepEqual([retry.command, retry.args], ['agentOrchestrator.retryFailed', [{ taskId: 'TASK-1-2' }]]);
    const runSpec = planLenses(inputs()).find((lens) => lens.title.endsWith('Run Spec'))!;
    assert.deepEqual(runSpec.args, ['TASK-1-2', ['TASK-1-2', 'TASK-1-3', 'TASK-1-4']]);
  });

  it('during a run: a task not started offers Cancel instead of Run, and no spec offers Run Spec', () => {
    const lines = byLine(planLenses(inputs({ running: true })));
    assert.deepEqual(lines[4], ['$(circle-large-outline) pending', '$(stop) Cancel']);
    assert.deepEqual(lines[0], ['$(checklist) 1/4 done']);
  });

  it('a discarded task offers no review; a stale plan says so at the top; an unknown task says it is not imported', () => {
    const lenses = planLenses(inputs({ stale: true, review: (id) => (id === 'TASK-1-1' ? { state: 'discarded' } : undefined), row: (id) => (id === 'TASK-1-3' ? undefined : ROWS.get(id)) }));
    const lines = byLine(lenses);
    assert.equal(lenses[0].title, '$(warning) plan changed — re-import');
    assert.equal(lenses[0].command, 'agentOrchestrator.importPlan');
    assert.ok(!lines[2].includes('$(diff) Review Changes'));
    assert.deepEqual(lines[4], ['$(circle-large-outline) not imported yet']);
  });
});

describe('plan completion slots', () => {
  it('inside a Markdown task\'s braces: keys, then the values of after, agent and priority', () => {
    assert.deepEqual(completionSlot('- [ ] Title {', 'markdown'), { kind: 'key', used: [] });
    assert.deepEqual(completionSlot('- [ ] Title {depends-on: TASK-1-1; pri', 'markdown'), { kind: 'key', used: ['dependsOn'] });
    assert.deepEqual(completionSlot('1. Title {after: TASK-1-1, TASK-', 'markdown'), { kind: 'after' });
    assert.deepEqual(completionSlot('- [x] Title {est: 2h; agent: cl', 'markdown'), { kind: 'agent' });
    assert.deepEqual(completionSlot('- [ ] Title {Priority: ', 'markdown'), { kind: 'priority' });
    assert.equal(completionSlot('- [ ] Title {files: a}', 'markdown'), undefined, 'after the closing brace');
    assert.equal(completionSlot('- plain bullet {', 'markdown'), undefined, 'prose is no task');
    assert.equal(completionSlot('- [ ] Title {verify: ', 'markdown'), undefined);
  });

  it('in YAML: agent, priority and inline dependsOn values', () => {
    assert.deepEqual(completionSlot('        agent: ', 'yaml'), { kind: 'agent' });
    assert.deepEqual(completionSlot('      - priority: hi', 'yaml'), { kind: 'priority' });
    assert.deepEqual(completionSlot('        dependsOn: [TASK-1-1, ', 'yaml'), { kind: 'after' });
    assert.equal(completionSlot('        title: agent: x', 'yaml'), undefined);
  });
});
