// The plan the host bench runs: HOST_BENCH.tasks short scripted tasks in specs of 20, every
// fourth task after the one before it (so the run has dependencies to schedule, yet keeps all
// slots busy). Each agent reports progress and cost, writes one file and sleeps a little:
// short, so the orchestrator's own work per task (worktree, status, events, tree, report)
// dominates the host's load, as it would at the end of many real tasks.
export function hostBenchPlan(tasks: number, sleepMs: number): string {
  const perSpec = 20;
  const lines = ['# Host bench plan', ''];
  for (let spec = 1; spec <= Math.ceil(tasks / perSpec); spec++) {
    lines.push(`## SPEC-${String(spec).padStart(3, '0')}: Batch ${spec}`, '');
    for (let n = 1; n <= perSpec && (spec - 1) * perSpec + n <= tasks; n++) {
      const id = `TASK-${spec}-${n}`;
      const after = n % 4 === 0 ? `; after: TASK-${spec}-${n - 1}` : '';
      const file = `bench/s${spec}/t${n}.txt`;
      lines.push(
        `- [ ] ${id}: Bench task ${spec}.${n} {files: ${file}${after}}`,
        `  progress 1/2 writing ${file}`,
        `  write ${file}: task ${spec}.${n}`,
        `  sleep ${sleepMs}ms`,
        `  progress 2/2 done`,
        `  cost 0.01 tokens 100/20`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
