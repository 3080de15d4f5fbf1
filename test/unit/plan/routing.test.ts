import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { loadPlan } from '../../../src/core/plan/loadPlan';
import type { RoutingRule } from '../../../src/core/model';
import { routeTask } from '../../../src/core/plan/routing';
import { useTempDir, writeFiles } from './planTestUtils';

const RULES: readonly RoutingRule[] = [
  { keywords: ['frontend', 'css'], agent: 'gemini' },
  { keywords: ['test', 'spec'], agent: 'codex', name: 'tests' },
  { keywords: ['database migration'], agent: 'aider' },
  { keywords: ['c++'], agent: 'claude' },
];

const PLAN = [
  '## SPEC-001: Routing',
  '- [ ] Fix the CSS of the header',
  '- [ ] Write a Test for the parser',
  '- [ ] Use the latest parser version',
  '- [ ] Plan the next step',
  '  Add a Database   Migration for users.',
  '- [ ] Port the C++ bindings',
  '- [ ] Style the frontend tests {agent: copilot}',
  '- [ ] Add unit tests and frontend checks',
].join('\n');

describe('keyword routing', () => {
  const temp = useTempDir();

  it('routes each task: explicit agent, else the first rule with a whole-word keyword in title or prompt, else the default', async () => {
    await writeFiles(temp.path, { 'r.plan.md': PLAN });
    const plan = await loadPlan(join(temp.path, 'r.plan.md'));
    assert.deepEqual(
      plan.tasks.map((task) => routeTask(task, RULES, 'scripted')),
      [
        { agent: 'gemini', matchedRule: 'rule #1 (keywords: frontend, css)', keyword: 'css' },
        { agent: 'codex', matchedRule: 'rule #2 "tests" (keywords: test, spec)', keyword: 'test' },
        { agent: 'scripted', matchedRule: 'default' },
        { agent: 'aider', matchedRule: 'rule #3 (keywords: database migration)', keyword: 'database migration' },
        { agent: 'claude', matchedRule: 'rule #4 (keywords: c++)', keyword: 'c++' },
        { agent: 'copilot', matchedRule: 'explicit' },
        { agent: 'gemini', matchedRule: 'rule #1 (keywords: frontend, css)', keyword: 'frontend' },
      ],
    );
  });

  it('ignores blank keywords and falls back to the default without rules', () => {
    const task = { title: 'Anything', prompt: 'Anything at all', agent: undefined };
    assert.deepEqual(routeTask(task, [{ keywords: ['', '  '], agent: 'never' }], 'scripted'), { agent: 'scripted', matchedRule: 'default' });
    assert.deepEqual(routeTask(task, [], 'scripted'), { agent: 'scripted', matchedRule: 'default' });
  });
});
