// Shared by the plan tests: where the fixtures are, temp plan files, and exact error checks.

import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Plan } from '../../../src/core/model';
import { formatPlanIssue, PlanValidationError } from '../../../src/core/plan/planErrors';

/** Relative to the working directory, as a user would name the file; the build copies no fixtures into out/. */
export const FIXTURES = relative(process.cwd(), join(__dirname, '../../../../test/fixtures/plans'));

/** A fresh temporary folder per test, removed afterwards; call from a `describe`. */
export function useTempDir(): { readonly path: string } {
  const state = { path: '' };
  beforeEach(async () => {
    state.path = await mkdtemp(join(tmpdir(), 'plan-test-'));
  });
  afterEach(async () => {
    await rm(state.path, { recursive: true, force: true });
  });
  return state;
}

export async function writeFiles(root: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), text);
  }
}

/** Awaits a load that must fail and compares every formatted issue, in order. */
export async function expectPlanIssues(loading: Promise<Plan>, expected: readonly string[]): Promise<PlanValidationError> {
  const error = await loading.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof PlanValidationError, `expected a PlanValidationError, got ${String(error)}`);
  assert.deepEqual(error.issues.map(formatPlanIssue), expected);
  return error;
}
