// dashboard.first_paint_ms_1000 and dashboard.layout_ms_1000: the dashboard with a 1,000-task plan
// in a real browser (Debian's Chromium driven by playwright-core, as the e2e tests do). The built
// webview bundle (dist/webview/) is served under the extension's own HTML shell and CSP
// (src/vscode/dashboard/webviewHtml.ts) from a made-up origin, and a stand-in for VS Code's
// webview API answers the app's `ready` with a `state` message, as the host does
// (src/shared/protocol.ts). Each sample is a fresh page:
//   state posted navigation start → the stand-in posts the state (page, styles and bundle
//                loaded, the app said `ready`): the part of first paint the app's render is not
//   first paint  navigation start → the first frame painted after the app rendered that state
//                (a timeout queued from a frame callback runs just after the frame); that frame
//                must show the summary, the graph's area and the timeline, or the run fails
//   graph drawn  navigation start → the first frame with the graph's nodes in it
//   layout       the app's own `dashboard-layout` measure (dagre, worker or page thread)
//   longest task the longest main-thread task (PerformanceObserver longtask): how long the
//                panel could not answer a click or a key
// Target: first paint ≤ 300 ms at 1,000 tasks. `node out/bench/dashboardBench.js [bundle-dir…]`
// runs it alone (each extra folder, e.g. an older build of dist/webview, is measured the same way,
// for a before/after) and adds its keys to bench/results.json; `npm run bench` runs it with the rest.
// BENCH_DASHBOARD_TASKS=400 measures another plan size (printed only: the keys are for 1,000).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { DashboardAttempt, DashboardState, DashboardTaskView, DisplayStatus } from '../src/shared/protocol';
import { dashboardHtml } from '../src/vscode/dashboard/webviewHtml';
import { launchChromium } from '../test/runners/browser';
import { median, REPO_ROOT, round } from './util';

export const DASHBOARD_BENCH = { tasks: 1000, samples: Number(process.env.BENCH_DASHBOARD_SAMPLES) || 5, targetFirstPaintMs: 300, viewport: { width: 1400, height: 900 } } as const;

export interface DashboardSample {
  /** Navigation start → the page's first byte arrived (the browser's part, before any of ours). */
  readonly page_received_ms: number;
  /** Navigation start → the stand-in posted the state (page, styles and bundle loaded, app said ready). */
  readonly state_posted_ms: number;
  /** Navigation start → the app's `state` handler returned. */
  readonly state_handled_ms: number;
  readonly first_paint_ms: number;
  /** What that first frame showed: timeline bars and graph nodes drawn in it. */
  readonly first_frame_bars: number;
  readonly first_frame_nodes: number;
  readonly graph_drawn_ms: number | undefined;
  readonly layout_ms: number | undefined;
  readonly layout_where: string | undefined;
  readonly longest_task_ms: number;
  readonly nodes: number;
}

export interface DashboardBundleResult {
  readonly bundle: string;
  readonly tasks: number;
  readonly samples: DashboardSample[];
  readonly state_posted_ms: number;
  readonly first_paint_ms: number;
  readonly graph_drawn_ms: number | undefined;
  readonly layout_ms: number | undefined;
  readonly longest_task_ms: number;
  readonly nodes: number;
  /** What the page showed in the graph's place when it drew no nodes. */
  readonly notice: string | undefined;
}

/** A deterministic pseudo-random sequence (the same plan every run). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

/**
 * A plan of `count` tasks in specs of 50, as a run in progress shows it: each task waits for one
 * or two of the ten before it in its spec, a few for a task of the previous spec; the first
 * third completed (with durations and attempts on the timeline), a few running, the rest pending.
 * The run's clock ends at `now` (the page's clock when it renders): the running attempts' bars
 * reach to the page's present, so a run that ended months before `now` would squash every bar
 * into the timeline's first pixels.
 */
export function bigDashboardState(count: number, now: number = Date.now()): DashboardState {
  // Timestamps are worked out from 0, then moved so that the run's last moment is `now` less 5 s.
  const T0 = 0;
  const random = lcg(42);
  const perSpec = 50;
  const maxParallel = 8;
  const tasks: DashboardTaskView[] = [];
  const timeline: DashboardAttempt[] = [];
  const slotFree = Array.from({ length: maxParallel }, () => T0);
  for (let i = 0; i < count; i++) {
    const spec = Math.floor(i / perSpec) + 1;
    const index = (i % perSpec) + 1;
    const taskId = `TASK-${spec}-${index}`;
    const dependsOn = new Set<string>();
    if (index > 1) {
      const links = 1 + Math.floor(random() * 2);
      for (let k = 0; k < links; k++) dependsOn.add(`TASK-${spec}-${Math.max(1, index - 1 - Math.floor(random() * 10))}`);
    }
    if (spec > 1 && random() < 0.05) dependsOn.add(`TASK-${spec - 1}-${1 + Math.floor(random() * perSpec)}`);
    const status: DisplayStatus = i < count / 3 ? 'completed' : i < count / 3 + maxParallel ? 'running' : 'pending';
    const durationMs = status === 'completed' ? Math.round(20_000 + random() * 200_000) : null;
    if (status !== 'pending') {
      const slot = i % maxParallel;
      const startedAt = slotFree[slot]!;
      const endedAt = durationMs === null ? null : startedAt + durationMs;
      slotFree[slot] = endedAt ?? startedAt;
      timeline.push({ taskId, attempt: 1, slot, startedAt, endedAt, outcome: status === 'completed' ? 'completed' : null, agent: 'scripted' });
    }
    tasks.push({
      taskId,
      specId: `SPEC-${String(spec).padStart(3, '0')}`,
      title: `Task ${index} of spec ${spec}: change module ${i % 37}`,
      status,
      priority: 'medium',
      estimatedHours: 1 + (i % 5),
      dependsOn: [...dependsOn],
      parentId: null,
      agent: status === 'pending' ? null : 'scripted',
      progress: status === 'running' ? { step: 2, total: 5, message: 'editing' } : null,
      startedAt: null,
      completedAt: null,
      durationMs,
      attempts: status === 'pending' ? 0 : 1,
      retryCount: 0,
      error: null,
      exitCode: status === 'completed' ? 0 : null,
      costUsd: null,
      tokensIn: null,
      tokensOut: null,
      worktree: null,
      branch: null,
      sessionId: null,
      hasLog: false,
      review: null,
    });
  }
  const shift = now - (Math.max(...slotFree) + 5_000);
  const at = (t: number) => t + shift;
  for (const [i, a] of timeline.entries()) timeline[i] = { ...a, startedAt: at(a.startedAt), endedAt: a.endedAt === null ? null : at(a.endedAt) };
  return {
    extensionVersion: 'bench',
    workspaceName: 'bench',
    generatedAt: now,
    mode: 'writer',
    running: false,
    paused: false,
    trusted: true,
    specs: [],
    tasks,
    run: { runId: 'orch-bench', status: 'interrupted', startedAt: at(T0), endedAt: now, strategy: 'wait_all', maxParallel, summaryMd: null, metrics: null },
    timeline,
    overlaps: [],
  };
}

/**
 * Stands in for VS Code's webview API: answers `ready` with the state, as the host does, and
 * marks the frames the bench measures. It listens for the state twice: first (added before the
 * app's bundle loads, so it runs before the app's handler; listeners on window run in the order
 * they were added), to ask for the next frame before the app does, so the timeout that marks that
 * frame's paint is queued ahead of any work the app defers from its own frame callbacks (which
 * would otherwise run first and make the mark late); and after the app's handler (added when the
 * app says ready), to mark when the handler returned.
 */
function stubScript(): string {
  return `
(() => {
  // The state is JSON text in a data block of the page (pageHtml), parsed when the app asks for
  // it: VS Code hands the webview the host's message as data, never as script, so neither a
  // 1,000-task object literal nor a string literal holding it may be compiled with the page; a
  // data block is only tokenized. (Fetched from the bench's process on ready instead, through a
  // Playwright binding, it took 400-800 ms to arrive.)
  const stateJson = () => document.getElementById('bench-state').textContent;
  window.__bench = { longest: 0, firstFrame: undefined };
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__bench.longest = Math.max(window.__bench.longest, e.duration); }).observe({ type: 'longtask', buffered: true });
  } catch {}
  // Each mark is also logged: the bench waits for that message rather than polling the page, since
  // a poll is a script of Playwright's run in the page, which could land between the frame and its
  // mark (its first run compiles for ~50 ms).
  const afterFrame = (name, onFrame) => requestAnimationFrame(() => {
    onFrame?.();
    setTimeout(() => {
      performance.mark(name);
      console.log(name);
    }, 0);
  });
  // What the first frame after the state shows (read in the frame callback, just before it paints):
  // the summary, the graph's area and the timeline must all be there for it to count as painted.
  const shown = () => {
    const app = document.getElementById('app');
    const box = (testid) => {
      const el = app.querySelector('[data-testid="' + testid + '"]');
      return el !== null && el.getBoundingClientRect().height > 0;
    };
    return { summary: box('dashboard-summary'), graph: box('dashboard-graph'), timeline: box('dashboard-timeline'), timelineBars: app.querySelectorAll('[data-testid="dashboard-timeline"] .bar').length, nodes: app.querySelectorAll('[data-testid="graph-node"]').length };
  };
  let answered = false;
  const onState = (event) => {
    if (event.data?.type !== 'state') return;
    window.removeEventListener('message', onState);
    afterFrame('bench-first-paint', () => (window.__bench.firstFrame = shown()));
  };
  window.addEventListener('message', onState);
  window.acquireVsCodeApi = () => ({
    getState: () => undefined,
    // VS Code's own setState serialises the state to JSON on the page's thread: so does this one.
    setState: (saved) => void JSON.stringify(saved),
    postMessage: (message) => {
      if (message.type !== 'ready' || answered) return;
      answered = true;
      window.addEventListener('message', () => performance.mark('bench-state-handled'), { once: true });
      new MutationObserver((_, observer) => {
        if (!document.querySelector('[data-testid="graph-node"]')) return;
        observer.disconnect();
        afterFrame('bench-graph-drawn');
      }).observe(document.getElementById('app'), { childList: true, subtree: true });
      const post = () => {
        performance.mark('bench-state-posted');
        window.postMessage({ type: 'state', seq: 1, state: JSON.parse(stateJson()) }, '*');
      };
      // The data block comes after main.js (pageHtml): the app says ready before it is parsed.
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', post, { once: true });
      else post();
    },
  });
})();`;
}

/** The extension's own HTML shell and CSP, with the stand-in added under the same nonce. */
export function pageHtml(state: DashboardState, origin: string): string {
  const uri = (file: string) => ({ toString: () => `${origin}/${file}` });
  const html = dashboardHtml({ cspSource: origin } as never, uri('main.js') as never, uri('main.css') as never);
  const nonce = /nonce="([^"]+)"/.exec(html)?.[1];
  if (!nonce) throw new Error('dashboardHtml: no script nonce in the shell');
  // Not executed, so the CSP does not apply to it; `<` escaped so the text cannot end the block.
  const data = `<script type="application/json" id="bench-state">${JSON.stringify(state).replace(/</g, '\\u003c')}</script>`;
  // The stand-in goes first in <head>, as VS Code defines acquireVsCodeApi before the page's own
  // scripts; the data block last in <body>. Anywhere before main.js either would hold back the
  // request for main.js, which the shell itself does not: a script after a pending stylesheet
  // waits for it, and the parser yields within a 500 KB block before reaching the script tag.
  const stub = `<script nonce="${nonce}">${stubScript()}</script>`;
  if (!html.includes('</body>')) throw new Error('dashboardHtml: no </body> in the shell');
  return html.replace('</body>', `  ${data}\n</body>`).replace('<link rel="stylesheet"', `${stub}\n  <link rel="stylesheet"`);
}

// Run in the page, as functions (Playwright calls them through the debugger, which the page's
// CSP does not stop, where a string would be eval'd); this project's Node typings have no DOM.
interface PageGlobals {
  readonly document: { querySelector(selector: string): { textContent: string | null } | null; querySelectorAll(selector: string): { length: number } };
  readonly __bench: { longest: number; firstFrame: FirstFrame | undefined };
}

interface FirstFrame {
  readonly summary: boolean;
  readonly graph: boolean;
  readonly timeline: boolean;
  readonly timelineBars: number;
  readonly nodes: number;
}

/** The graph is drawn, or a notice stands in its place. */
function graphSettled(): boolean {
  const g = globalThis as unknown as PageGlobals;
  return performance.getEntriesByName('bench-graph-drawn').length > 0 || g.document.querySelector('[data-testid="dashboard-graph"] .empty:not([aria-busy])') !== null;
}

function readFigures(): DashboardSample & { notice: string | undefined; first_frame_missing: string[] } {
  const g = globalThis as unknown as PageGlobals;
  const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime;
  const layout = performance.getEntriesByName('dashboard-layout')[0] as unknown as { duration: number; detail?: { where?: string } } | undefined;
  const frame = g.__bench.firstFrame;
  const navigation = (performance as unknown as { getEntriesByType(type: string): { responseStart: number }[] }).getEntriesByType('navigation')[0];
  return {
    page_received_ms: navigation?.responseStart ?? Number.NaN,
    state_posted_ms: at('bench-state-posted') ?? Number.NaN,
    state_handled_ms: at('bench-state-handled') ?? Number.NaN,
    first_paint_ms: at('bench-first-paint') ?? Number.NaN,
    first_frame_bars: frame?.timelineBars ?? 0,
    first_frame_nodes: frame?.nodes ?? 0,
    first_frame_missing: frame ? (['summary', 'graph', 'timeline'] as const).filter((part) => !frame[part]) : ['frame'],
    graph_drawn_ms: at('bench-graph-drawn'),
    layout_ms: layout?.duration,
    layout_where: layout?.detail?.where,
    longest_task_ms: g.__bench.longest,
    nodes: g.document.querySelectorAll('[data-testid="graph-node"]').length,
    notice: g.document.querySelector('[data-testid="dashboard-graph"] .empty')?.textContent ?? undefined,
  };
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf' };

/** Where the bench serves the page (shell from `html()`, the rest from `bundle`): the origin is its cspSource. */
export interface DashboardServer {
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Serves the dashboard's page and bundle on loopback, as a static server does: the browser
 * loads them as it would any page. (Playwright's request interception, used before, sent every
 * request through the bench's process and back over the debugging protocol: 40-55 ms for each of
 * the page, `main.css` and `main.js`, a cost no webview has.)
 */
export async function serveDashboard(bundle: string, html: () => string): Promise<DashboardServer> {
  const server = createServer((request, response) => {
    const file = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname.slice(1));
    const body = file === '' || file === 'index.html' ? Buffer.from(html()) : !file.includes('..') && existsSync(join(bundle, file)) ? readFileSync(join(bundle, file)) : undefined;
    if (!body) return void response.writeHead(404).end('not found');
    response.writeHead(200, { 'content-type': TYPES[extname(file || 'index.html')] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function sample(browser: Browser, bundle: string, tasks: number): Promise<DashboardSample & { notice: string | undefined; first_frame_missing: string[] }> {
  // Made for each sample: the run in it ends now, so its running bars reach no further than now.
  let html = '';
  const server = await serveDashboard(bundle, () => html);
  html = pageHtml(bigDashboardState(tasks), server.origin);
  const context = await browser.newContext({ viewport: DASHBOARD_BENCH.viewport });
  try {
    const page = await context.newPage();
    const painted = page.waitForEvent('console', { predicate: (message) => message.text() === 'bench-first-paint', timeout: 60_000 });
    await page.goto(`${server.origin}/index.html`, { waitUntil: 'commit' });
    await painted;
    // The graph, or a notice in its place; then a moment for the longest task to be reported.
    await page.waitForFunction(graphSettled, undefined, { timeout: 180_000 });
    await page.waitForTimeout(300);
    return await page.evaluate(readFigures);
  } finally {
    await context.close();
    await server.close();
  }
}

export async function runDashboardBench(log: (line: string) => void, bundles: readonly string[] = [join(REPO_ROOT, 'dist', 'webview')], tasks: number = DASHBOARD_BENCH.tasks): Promise<DashboardBundleResult[]> {
  const browser = await launchChromium();
  const results: DashboardBundleResult[] = [];
  try {
    for (const bundle of bundles) {
      if (!existsSync(join(bundle, 'main.js'))) throw new Error(`${bundle}: no main.js (build the webview first: node scripts/build.mjs)`);
    }
    // Bundles take turns, sample by sample: on a busy machine the load drifts over minutes, and
    // a before/after would otherwise compare one stretch of it with another.
    const taken = bundles.map(() => ({ samples: [] as DashboardSample[], notice: undefined as string | undefined }));
    for (let i = 0; i < DASHBOARD_BENCH.samples; i++) {
      for (const [b, bundle] of bundles.entries()) {
        const s = await sample(browser, bundle, tasks);
        // A "first paint" that lacks the summary, the graph's area or the timeline is not one.
        if (s.first_frame_missing.length > 0) throw new Error(`${bundle}: the first frame after the state did not show ${s.first_frame_missing.join(', ')}`);
        taken[b]!.notice = s.nodes === 0 ? s.notice : undefined;
        taken[b]!.samples.push({ page_received_ms: round(s.page_received_ms, 1), state_posted_ms: round(s.state_posted_ms, 1), state_handled_ms: round(s.state_handled_ms, 1), first_paint_ms: round(s.first_paint_ms, 1), first_frame_bars: s.first_frame_bars, first_frame_nodes: s.first_frame_nodes, graph_drawn_ms: s.graph_drawn_ms === undefined ? undefined : round(s.graph_drawn_ms, 1), layout_ms: s.layout_ms === undefined ? undefined : round(s.layout_ms, 1), layout_where: s.layout_where, longest_task_ms: round(s.longest_task_ms, 1), nodes: s.nodes });
        log(`${bundle} (${tasks} tasks) #${i + 1}: page received ${s.page_received_ms.toFixed(0)} ms, state posted ${s.state_posted_ms.toFixed(0)} ms, handled ${s.state_handled_ms.toFixed(0)} ms, first paint ${s.first_paint_ms.toFixed(0)} ms (${s.first_frame_bars} bars, ${s.first_frame_nodes} nodes), graph ${s.graph_drawn_ms?.toFixed(0) ?? '—'} ms, layout ${s.layout_ms?.toFixed(0) ?? '—'} ms (${s.layout_where ?? '—'}), longest task ${s.longest_task_ms.toFixed(0)} ms, ${s.nodes} nodes`);
      }
    }
    for (const [b, bundle] of bundles.entries()) {
      const { samples, notice } = taken[b]!;
      const mid = (pick: (s: DashboardSample) => number | undefined) => {
        const values = samples.map(pick).filter((v): v is number => v !== undefined);
        return values.length === samples.length ? round(median(values), 1) : undefined;
      };
      results.push({ bundle, tasks, samples, state_posted_ms: mid((s) => s.state_posted_ms)!, first_paint_ms: mid((s) => s.first_paint_ms)!, graph_drawn_ms: mid((s) => s.graph_drawn_ms), layout_ms: mid((s) => s.layout_ms), longest_task_ms: mid((s) => s.longest_task_ms)!, nodes: samples[0]?.nodes ?? 0, notice });
    }
  } finally {
    await browser.close();
  }
  return results;
}

/** The flat keys of bench/results.json (the first bundle's figures: this build's). */
export function dashboardKeys(r: DashboardBundleResult): Record<string, unknown> {
  return {
    'dashboard.first_paint_ms_1000': r.first_paint_ms,
    'dashboard.layout_ms_1000': r.layout_ms,
    'dashboard.graph_drawn_ms_1000': r.graph_drawn_ms,
    'dashboard.longest_task_ms_1000': r.longest_task_ms,
    'dashboard.nodes_drawn_1000': r.nodes,
    'dashboard.first_paint_target_pass': r.first_paint_ms <= DASHBOARD_BENCH.targetFirstPaintMs,
  };
}

if (require.main === module) {
  const extra = process.argv.slice(2);
  const log = (line: string) => process.stdout.write(`  ${line}\n`);
  const tasks = Number(process.env.BENCH_DASHBOARD_TASKS) || DASHBOARD_BENCH.tasks;
  runDashboardBench(log, [join(REPO_ROOT, 'dist', 'webview'), ...extra], tasks)
    .then((results) => {
      for (const r of results) {
        process.stdout.write(`${r.bundle}: state posted ${r.state_posted_ms} ms, first paint ${r.first_paint_ms} ms, graph drawn ${r.graph_drawn_ms ?? '—'} ms, layout ${r.layout_ms ?? '—'} ms, longest task ${r.longest_task_ms} ms, ${r.nodes} nodes${r.notice ? ` (${r.notice})` : ''}\n`);
      }
      if (tasks !== DASHBOARD_BENCH.tasks) return;
      const file = join(REPO_ROOT, 'bench', 'results.json');
      const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
      const details = { ...((previous.details as Record<string, unknown> | undefined) ?? {}), dashboard: results };
      const targets = { ...((previous.targets as Record<string, unknown> | undefined) ?? {}), 'dashboard.first_paint_ms_1000': `<= ${DASHBOARD_BENCH.targetFirstPaintMs}` };
      writeFileSync(file, `${JSON.stringify({ ...previous, ...dashboardKeys(results[0]!), targets, details }, null, 2)}\n`);
      process.stdout.write(`→ ${file}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`dashboard bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
