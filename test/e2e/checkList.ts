// Runs the e2e checks one after another: each prints passed/failed, and a screenshot of the
// workbench is saved after it either way, so a failure can be seen, not only read about.
// A failed check does not stop the list; the later checks say how much still works.
import { stripVTControlCharacters } from 'node:util';
import { summaryLine } from '../support/summaryLine';
import { withDeadline } from '../runners/teardown';

export class CheckList {
  private passed = 0;
  private failed = 0;
  /** Set once there is a page to photograph. */
  screenshot: ((name: string) => Promise<void>) | undefined;

  async check(name: string, body: () => Promise<void>, timeoutMs = 45_000): Promise<boolean> {
    const number = this.passed + this.failed + 1;
    let problem: string | undefined;
    try {
      await withDeadline(body(), timeoutMs, `check "${name}"`);
    } catch (error) {
      problem = firstLines((error as Error).message, 6);
    }
    if (problem === undefined) {
      this.passed++;
      console.log(`  ✔ ${name}`);
    } else {
      this.failed++;
      console.log(`  ✘ ${name}\n${indent(problem)}`);
    }
    try {
      await this.screenshot?.(`${String(number).padStart(2, '0')}-${slug(name)}`);
    } catch (error) {
      console.log(`    (no screenshot: ${firstLines((error as Error).message, 1)})`);
    }
    return problem === undefined;
  }

  /** Counts a check that could not run because an earlier step failed. */
  fail(name: string, why: string): void {
    this.failed++;
    console.log(`  ✘ ${name}\n${indent(why)}`);
  }

  get failures(): number {
    return this.failed;
  }

  summary(): string {
    return summaryLine({ passed: this.passed, failed: this.failed, skipped: 0 });
  }
}

/** The start of an error message, without Playwright's terminal colour codes. */
function firstLines(text: string, count: number): string {
  return stripVTControlCharacters(text)
    .split('\n')
    .slice(0, count)
    .join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
