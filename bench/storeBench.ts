// The store ("Engine part 1"): importing and creating a 1,000-task plan, the cost of a status
// update, and the cost of a flush once the event trace is large. Everything runs in-process on
// the real OrchestratorStore with its default batching; each part uses a fresh database file.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Plan, TaskStatus } from '../src/core/model';
import { loadPlan } from '../src/core/plan/loadPlan';
import { OrchestratorStore, type ParallelTaskInput } from '../src/core/store';
import type { StoreDatabase } from '../src/core/store/database';
import { largeMarkdownPlan } from './planFixtures';
import { median, removeDir, round, tempDir, yieldToEventLoop } from './util';

export const STORE_BENCH = { specs: 10, tasksPerSpec: 100, transitions: 3_000, eventBatch: 1_000, importRepeats: 3, eventCheckpoints: [10_000, 100_000], flushRepeats: 3 } as const;

export interface ImportCreateResult {
  readonly maxParallel: number;
  readonly calls: number;
  readonly load_ms: number;
  readonly save_ms: number;
  readonly create_ms: number;
  /** load + save + create, in memory (what the brief calls import + create). */
  readonly total_ms: number;
  /** ...plus awaiting the flushes they triggered, so the result is on disk. */
  readonly durable_ms: number;
  readonly total_samples_ms?: number[];
}

export interface FlushCheckpoint {
  readonly events: number;
  /** Median of `flushRepeats` forced flushes, each after one more event. */
  readonly flush_ms: number;
  readonly flush_samples_ms: number[];
  readonly db_bytes: number;
  /**
   * The host thread's own time per flush (event-loop utilisation's active time while the flush
   * is awaited): with the store worker, posting the request and taking the answer. Median.
   */
  readonly flush_main_thread_ms: number;
  /** The longest event-loop delay seen during a flush (monitorEventLoopDelay, 1 ms resolution). Max over the samples. */
  readonly flush_loop_delay_max_ms: number;
  /** Whether the store worker owned the file at this size (diskWriter.ts). */
  readonly in_worker: boolean;
  /** Before the worker: export() on the host's thread, the part of a flush that blocked it. Median. */
  readonly host_export_ms: number;
  /** The event-loop delay that blocking export caused. Max over the samples. */
  readonly host_export_loop_delay_max_ms: number;
}

export interface StoreBenchResult {
  readonly plan: { readonly tasks: number; readonly dependencies: number; readonly bytes: number };
  readonly importCreate: readonly ImportCreateResult[];
  readonly transitions: {
    readonly count: number;
    /** Synchronous loop: the transaction in memory only (flushes are queued, not yet run). Median of rounds. */
    readonly in_memory_us: number;
    readonly in_memory_mean_us: number;
    /** Event loop turn after each one, so batched flushes run; final flush included. Median of rounds. */
    readonly with_flush_us: number;
    readonly with_flush_mean_us: number;
    readonly with_flush_flushes: number;
    /** running → completed, which flushes at once (terminal state), same loop. */
    readonly terminal_with_flush_us: number;
    readonly terminal_flushes: number;
  };
  readonly events: {
    /** recordEvent per call, including its share of the batched flushes while writing. */
    readonly record_event_us: number;
    readonly checkpoints: readonly FlushCheckpoint[];
  };
  readonly seconds: number;
}

/** The sample with the median total; all samples' totals are kept alongside. */
function medianRun(samples: readonly ImportCreateResult[]): ImportCreateResult {
  const sorted = [...samples].sort((a, b) => a.total_ms - b.total_ms);
  return { ...sorted[Math.floor(sorted.length / 2)], total_samples_ms: samples.map((s) => round(s.total_ms, 1)) };
}

function inputs(plan: Plan): ParallelTaskInput[] {
  return plan.tasks.map((task) => ({ task_id: task.id, spec_id: task.specId, priority: task.priority, estimated_hours: task.estimatedHours }));
}

async function openStore(dir: string): Promise<OrchestratorStore> {
  return OrchestratorStore.open(OrchestratorStore.defaultPath(dir));
}

/** loadPlan + savePlan + createParallelTasks for every task, in batches of `maxParallel`. */
async function importAndCreate(planFile: string, dir: string, maxParallel: number): Promise<{ result: ImportCreateResult; store: OrchestratorStore; plan: Plan }> {
  const store = await openStore(dir);
  const t0 = performance.now();
  const plan = await loadPlan(planFile, { baseDir: dir });
  const t1 = performance.now();
  store.savePlan(plan);
  const t2 = performance.now();
  const all = inputs(plan);
  let calls = 0;
  for (let i = 0; i < all.length; i += maxParallel) {
    const created = store.createParallelTasks(all.slice(i, i + maxParallel), 'orch-20260101-000000-bench', maxParallel);
    if (!created.success) throw new Error(`createParallelTasks failed: ${created.message}`);
    calls++;
  }
  const t3 = performance.now();
  await store.flush();
  const t4 = performance.now();
  return {
    result: { maxParallel, calls, load_ms: t1 - t0, save_ms: t2 - t1, create_ms: t3 - t2, total_ms: t3 - t0, durable_ms: t4 - t0 },
    store,
    plan,
  };
}

/**
 * Moves every task through `targets`, one round per target. Returns µs per transition: the median
 * over the rounds (a burst of load on a shared machine then spoils one round, not the figure) and
 * the overall mean; and how many flushes ran. With `yieldEach`, the event loop turns after every
 * transition, so the batched flushes run as in a real run, and the final flush counts too.
 */
async function transitions(
  store: OrchestratorStore,
  ids: readonly string[],
  targets: readonly TaskStatus[],
  yieldEach: boolean,
): Promise<{ us: number; mean_us: number; flushes: number; count: number }> {
  const flushesBefore = store.stats().flushes;
  const roundUs: number[] = [];
  let totalMs = 0;
  for (const [round, to] of targets.entries()) {
    const started = performance.now();
    for (const id of ids) {
      store.transition(id, to, { reason: 'bench', runId: 'orch-20260101-000000-bench' });
      if (yieldEach) await yieldToEventLoop();
    }
    if (yieldEach && round === targets.length - 1) await store.flush();
    const elapsed = performance.now() - started;
    totalMs += elapsed;
    roundUs.push((elapsed * 1000) / ids.length);
  }
  if (!yieldEach) await store.flush(); // not timed: leave nothing pending for the next part
  const count = ids.length * targets.length;
  return { us: median(roundUs), mean_us: (totalMs * 1000) / count, flushes: store.stats().flushes - flushesBefore, count };
}

interface FlushSample {
  readonly wallMs: number;
  readonly threadMs: number;
  readonly delayMaxMs: number;
}

/** Runs `work` with an event-loop delay monitor on; a few ms after it too, so a late timer is seen. */
async function measured(work: () => Promise<void> | void): Promise<FlushSample> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 5));
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  const threadMs = performance.eventLoopUtilization(elu).active;
  await new Promise((resolve) => setTimeout(resolve, 5));
  histogram.disable();
  return { wallMs, threadMs, delayMaxMs: histogram.max / 1e6 };
}

async function forcedFlush(store: OrchestratorStore, n: number): Promise<FlushSample> {
  await store.flush(); // drain whatever the batching queued
  store.recordEvent({ kind: 'bench_flush_marker', detail: { n } });
  return measured(() => store.flush());
}

/** The store's database, to time the old path's export() on the host's copy. */
function databaseOf(store: OrchestratorStore): StoreDatabase {
  return (store as unknown as { database: StoreDatabase }).database;
}

async function eventsAndFlushes(dir: string): Promise<StoreBenchResult['events']> {
  const store = await openStore(dir);
  try {
    const checkpoints: FlushCheckpoint[] = [];
    let written = 0;
    let writingMs = 0;
    for (const target of STORE_BENCH.eventCheckpoints) {
      while (written < target) {
        const batch = Math.min(STORE_BENCH.eventBatch, target - written);
        const started = performance.now();
        for (let i = 0; i < batch; i++) {
          const n = written + i;
          store.recordEvent({
            kind: 'status_changed',
            runId: 'orch-20260101-000000-bench',
            taskId: `TASK-${1 + (n % 10)}-${1 + (n % 100)}`,
            fromStatus: 'spawned',
            toStatus: 'running',
            detail: { reason: 'a slot is free and the task is ready', assignedAgent: 'scripted', routedBy: 'default', n },
          });
        }
        await yieldToEventLoop(); // the batched flushes run here, as they would in a real run
        writingMs += performance.now() - started;
        written += batch;
      }
      const samples: FlushSample[] = [];
      for (let r = 0; r < STORE_BENCH.flushRepeats; r++) samples.push(await forcedFlush(store, r));
      const exports: FlushSample[] = [];
      for (let r = 0; r < STORE_BENCH.flushRepeats; r++) exports.push(await measured(() => void databaseOf(store).read((db) => db.export())));
      checkpoints.push({
        events: target,
        flush_ms: median(samples.map((s) => s.wallMs)),
        flush_samples_ms: samples.map((s) => round(s.wallMs, 1)),
        db_bytes: statSync(store.path).size,
        flush_main_thread_ms: median(samples.map((s) => s.threadMs)),
        flush_loop_delay_max_ms: Math.max(...samples.map((s) => s.delayMaxMs)),
        in_worker: databaseOf(store).worker !== undefined,
        host_export_ms: median(exports.map((s) => s.wallMs)),
        host_export_loop_delay_max_ms: Math.max(...exports.map((s) => s.delayMaxMs)),
      });
    }
    return { record_event_us: (writingMs * 1000) / written, checkpoints };
  } finally {
    await store.close();
  }
}

export async function runStoreBench(log: (line: string) => void = () => undefined): Promise<StoreBenchResult> {
  const started = performance.now();
  const root = tempDir('store');
  try {
    const generated = largeMarkdownPlan(STORE_BENCH.specs, STORE_BENCH.tasksPerSpec);
    const planFile = join(root, 'bench.plan.md');
    writeFileSync(planFile, generated.markdown);

    // (a) import + create, both ways the createParallelTasks contract allows: 250 calls of 4, or one call of 1,000.
    // One untimed pass first so both variants run on warmed-up code; then the median of 3 each.
    await (await importAndCreate(planFile, join(root, 'a-warmup'), 4)).store.close();
    const importCreate: ImportCreateResult[] = [];
    let batched: Awaited<ReturnType<typeof importAndCreate>> | undefined;
    for (const maxParallel of [generated.tasks, 4]) {
      const samples: ImportCreateResult[] = [];
      for (let r = 0; r < STORE_BENCH.importRepeats; r++) {
        const run = await importAndCreate(planFile, join(root, `a-${maxParallel}-${r}`), maxParallel);
        samples.push(run.result);
        // The last 4-at-a-time import is kept open for the status updates below.
        if (maxParallel === 4 && r === STORE_BENCH.importRepeats - 1) batched = run;
        else await run.store.close();
      }
      importCreate.push(medianRun(samples));
    }
    if (!batched) throw new Error('no batched import');
    log(`import + create: ${importCreate.map((r) => `${r.calls}×${r.maxParallel} ${r.total_ms.toFixed(0)} ms`).join(', ')}`);

    // (b) status updates on the 1,000 spawned tasks of the batched import.
    const { store } = batched;
    const ids = batched.plan.tasks.map((t) => t.id);
    const rounds = Math.ceil(STORE_BENCH.transitions / ids.length);
    const cycle = (n: number): TaskStatus[] => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'running' : 'spawned'));
    // spawned → running → spawned → running (a requeue is the only non-terminal way back).
    const inMemory = await transitions(store, ids, cycle(rounds), false);
    // running → spawned → running → spawned, yielding after each one.
    const withFlush = await transitions(store, ids, cycle(rounds + 1).slice(1), true);
    // Start them again if they ended spawned (untimed), then finish them: each flushes at once.
    if (store.getTask(ids[0])?.status === 'spawned') await transitions(store, ids, ['running'], false);
    const terminal = await transitions(store, ids, ['completed'], true);
    await store.close();
    log(`transitions: ${inMemory.us.toFixed(1)} µs in memory, ${withFlush.us.toFixed(1)} µs with batched flushes`);

    // (c) flushes of a large event trace.
    const events = await eventsAndFlushes(join(root, 'c-events'));
    log(`flush: ${events.checkpoints.map((c) => `${c.events} events ${c.flush_ms.toFixed(1)} ms`).join(', ')}`);
    for (const c of events.checkpoints) {
      log(
        `flush at ${c.events} events (${c.in_worker ? 'worker' : 'host thread'}): host thread ${c.flush_main_thread_ms.toFixed(2)} ms, loop delay max ${c.flush_loop_delay_max_ms.toFixed(1)} ms; ` +
          `before (export on the host): ${c.host_export_ms.toFixed(1)} ms, loop delay max ${c.host_export_loop_delay_max_ms.toFixed(1)} ms`,
      );
    }

    return {
      plan: { tasks: generated.tasks, dependencies: generated.dependencies, bytes: Buffer.byteLength(generated.markdown) },
      importCreate,
      transitions: {
        count: inMemory.count,
        in_memory_us: inMemory.us,
        in_memory_mean_us: inMemory.mean_us,
        with_flush_us: withFlush.us,
        with_flush_mean_us: withFlush.mean_us,
        with_flush_flushes: withFlush.flushes,
        terminal_with_flush_us: terminal.us,
        terminal_flushes: terminal.flushes,
      },
      events,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    removeDir(root);
  }
}
