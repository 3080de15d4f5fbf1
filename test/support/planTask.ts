// The one way tests build a PlanTask by hand. Its defaults are what the plan parser reads from a
// bare checklist line (`- [ ] Title`): medium priority, 1 hour, no dependencies, no files, not
// done, the prompt equal to the title, and the spec the id names (TASK-31-2 → SPEC-031). A test
// passes every field its assertions depend on, so a reader sees them at the call.
import type { PlanTask } from '../../src/core/model';
import { formatSpecId, parseTaskId } from '../../src/core/plan/ids';

/** Where a hand-built task says it comes from, unless the test gives a location. */
const TEST_PLAN_LOCATION = { file: 'test.plan.md', line: 1 } as const;

export function planTask(id: string, overrides: Partial<PlanTask> = {}): PlanTask {
  const parts = parseTaskId(id);
  const title = overrides.title ?? `Task ${id}`;
  return {
    id,
    // A malformed id (a test of the validation) keeps a spec the test must name itself.
    specId: parts ? formatSpecId(parts.spec) : 'SPEC-000',
    title,
    prompt: title,
    priority: 'medium',
    estimatedHours: 1,
    dependsOn: [],
    agent: undefined,
    files: [],
    verify: undefined,
    parentId: undefined,
    strategy: undefined,
    threshold: undefined,
    fanOut: undefined,
    done: false,
    location: TEST_PLAN_LOCATION,
    ...overrides,
  };
}
