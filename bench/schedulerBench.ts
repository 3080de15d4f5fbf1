// Scheduling quality in simulation: makespan ÷ lower bound on a fixed set of random DAGs, for the
// real Scheduler (driven by a simulated clock) and for two baselines, plain FIFO and wave-by-wave.
// The schedulers see only the estimates; the simulated agents take the actual durations.
import { buildTaskGraph } from '../src/core/graph';
import type { PlanTask } from '../src/core/model';
import { Scheduler } from '../src/core/scheduler/Scheduler';
import { SimulatedClock } from '../src/core/scheduler/simulatedClock';
import { SimulatedExecutor } from '../src/core/scheduler/simulatedExecutor';
import { planTask } from '../test/support/planTask';
import { seededRandom } from './random';

export const SCHEDULER_BENCH = { dags: 100, tasksPerDag: 50, edgeProbability: 0.1, parallelism: 4, seed: 20261121 } as const;
const HOUR = 1000;

interface Dag {
  readonly tasks: readonly PlanTask[];
  /** Simulated milliseconds each task really takes: estimate × uniform(0.5, 1.5). */
  readonly actual: ReadonlyMap<string, number>;
}

function randomDag(random: () => number, size: number, edgeProbability: number): Dag {
  const tasks: PlanTask[] = [];
  const actual = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    const id = `TASK-1-${i + 1}`;
    const dependsOn = tasks.filter(() => random() < edgeProbability).map((task) => task.id);
    const estimatedHours = 1 + Math.floor(random() * 16);
    actual.set(id, estimatedHours * HOUR * (0.5 + random()));
    tasks.push(planTask(id, { estimatedHours, dependsOn, location: { file: 'bench', line: i + 1 } }));
  }
  return { tasks, actual };
}

/** max(longest chain of actual durations, total actual work ÷ parallelism): no schedule beats it. */
function lowerBound(dag: Dag, parallelism: number): number {
  const finish = new Map<string, number>();
  for (const task of dag.tasks) {
    finish.set(task.id, Math.max(0, ...task.dependsOn.map((d) => finish.get(d)!)) + dag.actual.get(task.id)!);
  }
  const total = [...dag.actual.values()].reduce((a, b) => a + b, 0);
  return Math.max(Math.max(...finish.values()), total / parallelism);
}

async function ourMakespan(dag: Dag, parallelism: number): Promise<number> {
  const clock = new SimulatedClock();
  const executor = new SimulatedExecutor(clock, (task) => ({ durationMs: dag.actual.get(task.id)! }));
  const scheduler = new Scheduler(dag.tasks, executor, { onTransition: () => undefined }, { clock, maxParallel: parallelism, timeoutMs: Number.MAX_SAFE_INTEGER });
  const outcome = await clock.runUntil(scheduler.run());
  if (outcome.status !== 'completed') throw new Error(`simulated run ended ${outcome.status}`);
  return clock.now();
}

/**
 * Greedy list scheduling of `tasks` on `parallelism` slots from time `start`: whenever a slot is
 * free, the ready task that became ready first (then plan order) starts. Returns each finish time.
 */
function fifoSchedule(tasks: readonly PlanTask[], dag: Dag, parallelism: number, start: number): Map<string, number> {
  const inSet = new Set(tasks.map((t) => t.id));
  const finish = new Map<string, number>();
  const readyAt = new Map<string, number>();
  const pending = new Set(tasks.map((t) => t.id));
  const slots: number[] = Array(parallelism).fill(start);
  while (pending.size > 0) {
    for (const task of tasks) {
      if (!pending.has(task.id) || readyAt.has(task.id)) continue;
      const inner = task.dependsOn.filter((d) => inSet.has(d));
      if (inner.every((d) => finish.has(d))) readyAt.set(task.id, Math.max(start, ...inner.map((d) => finish.get(d)!)));
    }
    const slot = slots.indexOf(Math.min(...slots));
    const candidates = tasks.filter((t) => pending.has(t.id) && readyAt.has(t.id));
    // The earliest-ready task; if none is ready by the time the slot frees, the slot waits for it.
    const next = candidates.reduce((best, t) => (readyAt.get(t.id)! < readyAt.get(best.id)! ? t : best));
    const begin = Math.max(slots[slot], readyAt.get(next.id)!);
    finish.set(next.id, begin + dag.actual.get(next.id)!);
    slots[slot] = finish.get(next.id)!;
    pending.delete(next.id);
  }
  return finish;
}

function fifoMakespan(dag: Dag, parallelism: number): number {
  return Math.max(...fifoSchedule(dag.tasks, dag, parallelism, 0).values());
}

/** Level by level with a barrier: level k+1 starts when every task of level k has finished. */
function wavesMakespan(dag: Dag, parallelism: number): number {
  const byId = new Map(dag.tasks.map((t) => [t.id, t]));
  let time = 0;
  for (const level of buildTaskGraph(dag.tasks).levels) {
    time = Math.max(time, ...fifoSchedule(level.map((id) => byId.get(id)!), dag, parallelism, time).values());
  }
  return time;
}

export interface SchedulerBenchResult {
  readonly ratio_to_lower_bound: number;
  readonly fifo_ratio_to_lower_bound: number;
  readonly waves_ratio_to_lower_bound: number;
  readonly worst_ratio_to_lower_bound: number;
  readonly dags: number;
  readonly tasks_per_dag: number;
  readonly parallelism: number;
  readonly seconds: number;
}

export async function runSchedulerBench(): Promise<SchedulerBenchResult> {
  const { dags, tasksPerDag, edgeProbability, parallelism, seed } = SCHEDULER_BENCH;
  const random = seededRandom(seed);
  const started = performance.now();
  const ours: number[] = [];
  const fifo: number[] = [];
  const waves: number[] = [];
  for (let i = 0; i < dags; i++) {
    const dag = randomDag(random, tasksPerDag, edgeProbability);
    const bound = lowerBound(dag, parallelism);
    ours.push((await ourMakespan(dag, parallelism)) / bound);
    fifo.push(fifoMakespan(dag, parallelism) / bound);
    waves.push(wavesMakespan(dag, parallelism) / bound);
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    ratio_to_lower_bound: mean(ours),
    fifo_ratio_to_lower_bound: mean(fifo),
    waves_ratio_to_lower_bound: mean(waves),
    worst_ratio_to_lower_bound: Math.max(...ours),
    dags,
    tasks_per_dag: tasksPerDag,
    parallelism,
    seconds: (performance.now() - started) / 1000,
  };
}
