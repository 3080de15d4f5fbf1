import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomHex } from '../randomHex';
import type { Scheduler } from '../scheduler/Scheduler';

/** What another process (the CLI, another window) may ask of the process that runs the plan. */
export type ControlRequest =
  | { readonly command: 'pause' }
  | { readonly command: 'resume' }
  | { readonly command: 'cancel'; readonly taskId: string }
  | { readonly command: 'cancelAll' };

function isControlRequest(value: unknown): value is ControlRequest {
  if (typeof value !== 'object' || value === null) return false;
  const { command, taskId } = value as { command?: unknown; taskId?: unknown };
  if (command === 'cancel') return typeof taskId === 'string';
  return command === 'pause' || command === 'resume' || command === 'cancelAll';
}

/**
 * Requests travel as small files in `<orchestrator folder>/control/`: only the run's process
 * writes the database (single writer), so a `cancel` from another terminal cannot change a row
 * itself. Each request is written to a temp name and renamed, so the reader never sees half a file.
 */
export async function sendControlRequest(controlDir: string, request: ControlRequest): Promise<void> {
  await mkdir(controlDir, { recursive: true });
  const name = `${Date.now()}-${randomHex(4)}`;
  const temp = join(controlDir, `.${name}.tmp`);
  await writeFile(temp, JSON.stringify(request), 'utf8');
  await rename(temp, join(controlDir, `${name}.json`));
}

/** Polls the control folder while a run is active and hands each request over once, in order. */
export class ControlChannelReader {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly controlDir: string,
    private readonly onRequest: (request: ControlRequest) => void,
    private readonly onInvalid: (file: string, problem: string) => void,
    private readonly intervalMs = 300,
  ) {}

  async start(): Promise<void> {
    // Requests left from an earlier run are stale: a cancel meant for it must not hit this one.
    await rm(this.controlDir, { recursive: true, force: true });
    await mkdir(this.controlDir, { recursive: true });
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const names = (await readdir(this.controlDir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
      for (const name of names) {
        const file = join(this.controlDir, name);
        const text = await readFile(file, 'utf8').catch(() => undefined);
        await rm(file, { force: true });
        if (text === undefined) continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          this.onInvalid(name, 'not JSON');
          continue;
        }
        if (!isControlRequest(parsed)) {
          this.onInvalid(name, 'not a known request');
          continue;
        }
        try {
          this.onRequest(parsed);
        } catch (error) {
          // E.g. `cancel` of a task outside the run: thrown from a timer, it would end the process.
          this.onInvalid(name, error instanceof Error ? error.message : String(error));
        }
      }
    } finally {
      this.busy = false;
    }
  }
}

/** What a request does to the run in this process (none, when no run is going on). */
export function applyControlRequest(scheduler: Scheduler | undefined, request: ControlRequest): void {
  if (!scheduler) return;
  switch (request.command) {
    case 'pause':
      return scheduler.pause();
    case 'resume':
      return scheduler.resume();
    case 'cancel':
      return scheduler.cancel(request.taskId);
    case 'cancelAll':
      return scheduler.cancelAll();
  }
}
