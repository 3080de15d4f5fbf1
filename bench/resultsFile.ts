// For a bench run alone (`node out/bench/<name>.js`): merge its flat keys, targets and details
// into bench/results.json, keeping what `npm run bench` wrote there for the others.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './util';

export function mergeIntoResults(keys: Record<string, unknown>, targets: Record<string, string>, details: Record<string, unknown>): string {
  const file = join(REPO_ROOT, 'bench', 'results.json');
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const merged = {
    ...previous,
    ...keys,
    targets: { ...((previous.targets as Record<string, unknown> | undefined) ?? {}), ...targets },
    details: { ...((previous.details as Record<string, unknown> | undefined) ?? {}), ...details },
  };
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  return file;
}
