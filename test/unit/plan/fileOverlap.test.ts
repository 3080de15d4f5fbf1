import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { loadPlan } from '../../../src/core/plan/loadPlan';
import { filesOverlap } from '../../../src/core/plan/fileOverlap';
import { FIXTURES } from './planTestUtils';

describe('filesOverlap', () => {
  const cases: readonly [a: string, b: string, overlap: boolean][] = [
    ['src/api/**', 'src/api/**', true],
    ['src/api/users.ts', 'src/api/**', true],
    ['src/api/users.ts', 'src/api/*.ts', true],
    ['src/api/users.ts', 'src/web/*.ts', false],
    ['src/api', 'src/api/users.ts', true],
    ['src/api/', 'src/api/deep/er/x.ts', true],
    ['src/api', 'src/apiary/x.ts', false],
    ['src/**', 'src/api/*.ts', true],
    ['src/**/*.ts', 'src/**/*.test.ts', true],
    ['src/**/*.ts', 'src/**/*.md', false],
    ['src/*/index.ts', 'src/api/**', true],
    ['src/*.ts', 'src/api/x.ts', false],
    ['src/{api,web}/**', 'src/web/page.ts', true],
    ['src/{api,web}/**', 'src/db/**', false],
    ['*.{ts,md}', 'README.md', true],
    ['**/*.ts', 'src/.hidden/x.ts', true],
    ['./package.json', 'package.json', true],
    ['package.json', 'package-lock.json', false],
    ['test/a*.ts', 'test/b*.ts', false],
    ['test/a*.ts', 'test/*z.ts', true],
  ];
  for (const [a, b, overlap] of cases) {
    it(`${a} ${overlap ? 'overlaps' : 'does not overlap'} ${b}, both ways`, () => {
      assert.equal(filesOverlap([a], [b]), overlap);
      assert.equal(filesOverlap([b], [a]), overlap);
    });
  }

  it('compares every pattern of one task with every pattern of the other; no patterns touch nothing', () => {
    assert.equal(filesOverlap(['docs/**', 'src/db/**'], ['src/web/**', 'src/db/schema.sql']), true);
    assert.equal(filesOverlap(['docs/**', 'src/db/**'], ['src/web/**']), false);
    assert.equal(filesOverlap([], ['**']), false);
    assert.equal(filesOverlap(['  '], ['**']), false);
  });

  it('lets the demo plan’s independent tasks run together and keeps the overlapping ones apart', async () => {
    const byId = new Map((await loadPlan(join(FIXTURES, 'demo.plan.md'))).tasks.map((task) => [task.id, task.files]));
    assert.equal(filesOverlap(byId.get('TASK-1-2')!, byId.get('TASK-1-3')!), false);
    assert.equal(filesOverlap(byId.get('TASK-1-1')!, ['src/**']), true);
    assert.equal(filesOverlap(byId.get('TASK-2-3')!, ['.ci/run']), true);
  });
});
