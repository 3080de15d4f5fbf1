// Where and when the graph is laid out. A small graph is laid out at once (no flash of an empty
// panel); a big one in the layout worker (layoutWorker.ts), so the frame, the summary and the
// timeline paint first and the panel stays usable; if the worker cannot start (an old CSP, a
// browser without workers) it is laid out on this thread after the first frame instead. Layouts
// are kept by the graph's shape (graphModel.ts structureKey), so a progress update, or folding
// a fan-out back, never runs dagre again. Each layout is measured as the performance entry
// `dashboard-layout` (bench/dashboardBench.ts reads it).
import { layoutGraph, type GraphLayout, type LayoutInput } from './graphModel';
import type { LayoutReply, LayoutRequest } from './layoutWorker';
import LayoutWorker from './layoutWorker?worker&inline';

/** Up to this many nodes dagre takes well under a frame's budget or two: no worker round trip. */
export const SYNC_LAYOUT_MAX = 120;
/** Shapes kept: the current one and a few recent (fan-outs folded and unfolded). */
const CACHE_SIZE = 6;

interface Waiting {
  readonly input: LayoutInput;
  readonly started: number;
  resolve(layout: GraphLayout): void;
}

export class LayoutEngine {
  private readonly cache = new Map<string, GraphLayout>();
  private worker: Worker | undefined;
  private workerFailed = false;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  /** The layout of this shape if it is known. */
  cached(key: string): GraphLayout | undefined {
    const layout = this.cache.get(key);
    if (layout) {
      // Most recently used last, so the oldest goes first.
      this.cache.delete(key);
      this.cache.set(key, layout);
    }
    return layout;
  }

  /** Whether this input is laid out at once (layoutNow) rather than later (layoutLater). */
  static isSmall(input: LayoutInput): boolean {
    return input.nodes.length <= SYNC_LAYOUT_MAX;
  }

  layoutNow(input: LayoutInput): GraphLayout {
    const started = performance.now();
    const layout = layoutGraph(input);
    this.remember(layout, started, input, 'main');
    return layout;
  }

  layoutLater(input: LayoutInput): Promise<GraphLayout> {
    return new Promise((resolve) => {
      const worker = this.startWorker();
      const started = performance.now();
      if (!worker) {
        afterFirstFrame(() => resolve(this.layoutNow(input)));
        return;
      }
      const id = this.nextId++;
      this.waiting.set(id, { input, started, resolve });
      worker.postMessage({ id, input } satisfies LayoutRequest);
    });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }

  private startWorker(): Worker | undefined {
    if (this.worker || this.workerFailed) return this.worker;
    try {
      const worker = new LayoutWorker();
      worker.onmessage = (event: MessageEvent<LayoutReply>) => this.reply(event.data);
      worker.onerror = () => this.fail();
      this.worker = worker;
    } catch {
      this.workerFailed = true;
    }
    return this.worker;
  }

  private reply(reply: LayoutReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if ('error' in reply) {
      // dagre threw in the worker: it would throw here too, but say so where it is seen.
      waiting.resolve(this.layoutNow(waiting.input));
      return;
    }
    this.remember(reply.layout, waiting.started, waiting.input, 'worker');
    waiting.resolve(reply.layout);
  }

  /** The worker died or never loaded (a CSP without worker-src): the graph is laid out here instead. */
  private fail(): void {
    this.workerFailed = true;
    this.worker?.terminate();
    this.worker = undefined;
    const left = [...this.waiting.values()];
    this.waiting.clear();
    for (const waiting of left) afterFirstFrame(() => waiting.resolve(this.layoutNow(waiting.input)));
  }

  private remember(layout: GraphLayout, started: number, input: LayoutInput, where: 'main' | 'worker'): void {
    this.cache.set(input.key, layout);
    while (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    performance.measure('dashboard-layout', { start: started, end: performance.now(), detail: { nodes: input.nodes.length, where } });
  }
}

/** Runs `work` once the frame in progress has painted: a timeout queued from a frame callback runs after that frame. */
export function afterFirstFrame(work: () => void): void {
  requestAnimationFrame(() => setTimeout(work, 0));
}
