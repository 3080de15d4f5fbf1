// A second process using the store, driven by the tests over the IPC channel of `fork`.
// Each message is { id, cmd, args }; each reply is { id, ok, result } or { id, ok: false, error }.
import { OrchestratorStore } from '../../../src/core/store';
import type { Plan } from '../../../src/core/model';
import type { ParallelTaskInput } from '../../../src/core/store';

interface Command {
  readonly id: number;
  readonly cmd: string;
  readonly args: Record<string, unknown>;
}

let store: OrchestratorStore | undefined;
let crashBeforeRename = false;

function opened(): OrchestratorStore {
  if (!store) throw new Error('no store open');
  return store;
}

function counts(s: OrchestratorStore): Record<string, number> {
  return { events: s.listEvents().length, tasks: s.listTasks().length, orchestratorTasks: s.listOrchestratorTasks().length };
}

const handlers: Record<string, (args: Record<string, unknown>) => unknown> = {
  async open(args) {
    store = await OrchestratorStore.open(String(args.path), {
      lock: { staleMs: Number(args.staleMs ?? 5_000), heartbeatMs: Number(args.heartbeatMs ?? 500) },
      // Lets a test kill this process after the temp file is written but before the rename.
      hooks: { afterTempWritten: () => { if (crashBeforeRename) process.kill(process.pid, 'SIGKILL'); } },
    });
    return { readOnly: store.readOnly, pid: process.pid };
  },
  savePlan: (args) => opened().savePlan(args.plan as Plan),
  createParallelTasks: (args) => opened().createParallelTasks(args.tasks as ParallelTaskInput[], String(args.instanceId)),
  transition: (args) => opened().transition(String(args.taskId), args.to as never),
  recordEvents(args) {
    for (let i = 0; i < Number(args.count); i++) opened().recordEvent({ kind: String(args.kind), detail: { i } });
    return counts(opened());
  },
  /** Waits to become the writer, appends `count` events one transaction each, then closes. */
  async appendAsWriter(args) {
    const s = opened();
    while (!(await s.tryBecomeWriter())) await new Promise((resolve) => setTimeout(resolve, 20));
    for (let i = 0; i < Number(args.count); i++) {
      s.recordEvent({ kind: String(args.kind), detail: { i } });
      // Yield so background flushes and the other processes interleave with these writes.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await s.close();
    store = undefined;
    return true;
  },
  counts: () => counts(opened()),
  tryWrite() {
    try {
      opened().recordEvent({ kind: 'child_write' });
      return { threw: false };
    } catch (error) {
      return { threw: true, name: (error as Error).name, message: (error as Error).message };
    }
  },
  refresh: () => opened().refresh(),
  tryBecomeWriter: () => opened().tryBecomeWriter(),
  flush: () => opened().flush(),
  armCrashBeforeRename() {
    crashBeforeRename = true;
    return true;
  },
  async close() {
    await opened().close();
    store = undefined;
    return true;
  },
};

process.on('message', (message: Command) => {
  void (async () => {
    try {
      const handler = handlers[message.cmd];
      if (!handler) throw new Error(`unknown command ${message.cmd}`);
      process.send?.({ id: message.id, ok: true, result: (await handler(message.args)) ?? null });
    } catch (error) {
      process.send?.({ id: message.id, ok: false, error: { name: (error as Error).name, message: (error as Error).message } });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
