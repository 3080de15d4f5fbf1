// Plan files the benchmarks generate: a large Markdown plan with dependencies for the store, and
// a plan of independent no-op tasks for the end-to-end run.
import { seededRandom } from './random';

export interface GeneratedPlan {
  readonly markdown: string;
  readonly tasks: number;
  readonly dependencies: number;
}

const PRIORITIES = ['high', 'medium', 'low'] as const;

/**
 * `specs` × `tasksPerSpec` tasks, ids TASK-<spec>-<n>. About a third of the tasks depend on one or
 * two of the 20 tasks before them (across specs too), so the plan is a real DAG, not a list.
 */
export function largeMarkdownPlan(specs = 10, tasksPerSpec = 100, seed = 1000): GeneratedPlan {
  const random = seededRandom(seed);
  const ids: string[] = [];
  const lines = ['# Benchmark plan', '', `Generated: ${specs * tasksPerSpec} tasks in ${specs} specifications.`, ''];
  let dependencies = 0;
  for (let s = 1; s <= specs; s++) {
    lines.push(`## SPEC-${String(s).padStart(3, '0')}: Area ${s}`, '', `Everything about area ${s}.`, '');
    for (let t = 1; t <= tasksPerSpec; t++) {
      const id = `TASK-${s}-${t}`;
      const meta = [`priority: ${PRIORITIES[Math.floor(random() * 3)]}`, `est: ${1 + Math.floor(random() * 8)}h`];
      if (ids.length > 0 && random() < 0.35) {
        const window = ids.slice(-20);
        const deps = new Set<string>();
        const count = random() < 0.7 ? 1 : 2;
        while (deps.size < Math.min(count, window.length)) deps.add(window[Math.floor(random() * window.length)]);
        dependencies += deps.size;
        meta.unshift(`after: ${[...deps].join(', ')}`);
      }
      lines.push(`- [ ] ${id}: Implement part ${t} of area ${s} {${meta.join('; ')}}`);
      lines.push(`  Write the code for part ${t}, with tests, and keep the public API stable.`);
      ids.push(id);
    }
    lines.push('');
  }
  return { markdown: `${lines.join('\n')}\n`, tasks: ids.length, dependencies };
}

/** `count` independent tasks whose prompt is a single `echo`: the scripted agent does nothing. */
export function noopMarkdownPlan(count: number): string {
  const lines = ['# No-op plan', '', '## SPEC-001: No-op tasks', ''];
  for (let i = 1; i <= count; i++) lines.push(`- [ ] TASK-1-${i}: echo no-op ${i} {est: 1h}`);
  return `${lines.join('\n')}\n`;
}
