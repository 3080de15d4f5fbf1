// The measured part of the host bench (index.ts): Run All through the real command, with
// perf_hooks.monitorEventLoopDelay over exactly the run, plus a 5 ms timer that keeps the
// longest gaps and when they happened, so a stall can be matched with what the run was doing,
// and the child processes the host started with its thread's time inside spawn() (a fork).
// Optionally a CPU profile of the run via node:inspector (in-process: code-server gives no way
// to pass --cpu-prof to its extension host).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import { monitorEventLoopDelay, type EventLoopUtilization } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { meterSpawns } from '../../bench/spawnMeter';
import type { RunResult } from '../../src/core';
import type { TestingApi } from '../integration/helpers';
import { HOST_BENCH, type HostBenchResult, type Stall } from './protocol';

const STALL_MS = 30;
const TICK_MS = 5;

export async function measureRun(api: TestingApi, profileFile: string | undefined): Promise<HostBenchResult> {
  const profiler = profileFile ? await startProfiler() : undefined;
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const stalls: Stall[] = [];
  const started = performance.now();
  let last = started;
  const ticker = setInterval(() => {
    const now = performance.now();
    const gap = now - last - TICK_MS;
    if (gap >= STALL_MS) stalls.push({ at_ms: Math.round(last - started), ms: Math.round(gap) });
    last = now;
  }, TICK_MS);
  const control = startControl();
  const store = storeProbe(api);
  const cpuStart = process.cpuUsage();
  histogram.enable();
  const spawns = meterSpawns();
  let run: RunResult | undefined;
  try {
    run = await vscode.commands.executeCommand<RunResult>('agentOrchestrator.runAll');
  } finally {
    histogram.disable();
    clearInterval(ticker);
  }
  const spawned = spawns.stop();
  const runMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const controlDelay = await control.stop();
  const flushed = store.stop();
  if (profiler) await profiler.stop(profileFile!);
  const tasks = api.model.tasks();
  const completed = tasks.filter((task) => task.displayStatus === 'completed').length;
  // Why any task did not complete: the bench's figures are only comparable for a complete run.
  const notCompleted = tasks.filter((task) => task.displayStatus !== 'completed').map((task) => `${task.taskId} ${task.displayStatus}: ${task.errorMessage ?? ''}`.slice(0, 500));
  const toMs = (ns: number) => Math.round(ns / 1e4) / 100;
  return {
    tasks: HOST_BENCH.tasks,
    completed,
    max_parallel: HOST_BENCH.maxParallel,
    prefilled_events: HOST_BENCH.prefilledEvents,
    run_status: run?.status ?? 'none',
    run_ms: Math.round(runMs),
    event_loop_delay_p50_ms: toMs(histogram.percentile(50)),
    event_loop_delay_p99_ms: toMs(histogram.percentile(99)),
    event_loop_delay_max_ms: toMs(histogram.max),
    event_loop_delay_mean_ms: toMs(histogram.mean),
    longest_stalls: [...stalls].sort((a, b) => b.ms - a.ms).slice(0, 20),
    stalls_over_threshold: stalls.length,
    stall_threshold_ms: STALL_MS,
    extension_host_pid: process.pid,
    spawns: spawned,
    git_extension: vscode.workspace.getConfiguration('git').get<boolean>('enabled', true),
    host_rss_mib: Math.round(process.memoryUsage().rss / 1024 ** 2),
    not_completed: notCompleted,
    host_cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    control_event_loop_delay_p99_ms: controlDelay.p99,
    control_event_loop_delay_max_ms: controlDelay.max,
    store_flushes: flushed.flushes,
    store_db_mib: flushed.dbMib,
    store_worker_busy_ms: flushed.workerBusyMs,
  };
}

interface StoreInternals {
  stats(): { flushes: number; lastFlushBytes: number | undefined };
  readonly database?: { readonly worker?: { readonly thread?: { readonly performance: { eventLoopUtilization(previous?: EventLoopUtilization): EventLoopUtilization } } } };
}

/**
 * The store's flushes over the run and the busy time of its worker thread (which exports and
 * writes the file): CPU the host's process spends that its thread does not. Read through the
 * store's private parts: a bench may, the product does not need to.
 */
function storeProbe(api: TestingApi): { stop(): { flushes: number; dbMib: number; workerBusyMs: number | undefined } } {
  const store = api.session.orchestrator?.store as unknown as StoreInternals | undefined;
  const before = store?.stats().flushes ?? 0;
  const thread = () => store?.database?.worker?.thread;
  const startThread = thread();
  const elu = startThread?.performance.eventLoopUtilization();
  return {
    stop() {
      const stats = store?.stats();
      const now = thread();
      // The worker may start during the run (at the first big flush): then its whole life counts.
      const busy = now ? (now === startThread && elu ? now.performance.eventLoopUtilization(elu) : now.performance.eventLoopUtilization()).active : undefined;
      return { flushes: (stats?.flushes ?? 0) - before, dbMib: Math.round(((stats?.lastFlushBytes ?? 0) / 1024 ** 2) * 10) / 10, workerBusyMs: busy === undefined ? undefined : Math.round(busy) };
    },
  };
}

// The control: an idle Node process on the same machine, measuring its own event loop over the
// same run. Whatever delay it sees is the machine's (a CPU shared by the agents, git, the editor
// and the browser), not this extension's work; the host's figures are to be read against it.
const CONTROL_SCRIPT = `
const { monitorEventLoopDelay } = require('node:perf_hooks');
const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
process.stdin.resume();
process.stdin.on('end', () => {
  h.disable();
  process.stdout.write(JSON.stringify({ p99: Math.round(h.percentile(99) / 1e4) / 100, max: Math.round(h.max / 1e4) / 100 }));
});`;

function startControl(): { stop(): Promise<{ p99: number; max: number }> } {
  const child = spawn(process.execPath, ['-e', CONTROL_SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    async stop() {
      child.stdin.end();
      await closed;
      try {
        return JSON.parse(out) as { p99: number; max: number };
      } catch {
        return { p99: -1, max: -1 };
      }
    },
  };
}

async function startProfiler(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 1000 });
  await post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
