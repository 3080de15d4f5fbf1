// The dashboard app: waits for nothing but the DOM, says `ready`, then renders every `state` the
// host posts. It keeps the graph's SVG between updates (only restyled), restores the last state
// and selection after a reload, and keeps keyboard focus where it was across re-renders. The
// selected task's changed files arrive in their own message when its details open.
import '@vscode/codicons/dist/codicon.css';
import './main.css';
import { RETRYABLE_STATUSES, type DashboardCommand, type DashboardState, type HostToWebviewMessage, type WebviewToHostMessage } from '../../src/shared/protocol';
import type { ChangesEntry } from './changesModel';
import { applyStatePatch, StatePatchMismatch } from '../../src/shared/statePatch';
import { renderDetails } from './details';
import { h, icon } from './dom';
import { STATUS_LABELS } from './format';
import { TaskGraph } from './graph';
import { afterFirstFrame } from './layoutEngine';
import { renderOverlaps } from './overlaps';
import { renderSummary } from './summary';
import { renderTimeline, type TimelineView } from './timeline';

interface VsCodeApi {
  postMessage(message: WebviewToHostMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface Persisted {
  readonly state: DashboardState | undefined;
  readonly selected: string | null;
}

const OUTPUT_LINES = 60;
const vscode = acquireVsCodeApi();
const root = document.getElementById('app')!;
const outputs = new Map<string, string[]>();
/** Each task's changed files as the host last sent them (while its details were open). */
const changes = new Map<string, ChangesEntry>();
const persisted = (vscode.getState() ?? {}) as Partial<Persisted>;
let state: DashboardState | undefined = persisted.state;
/**
 * The number of the host's state this page holds. None while a whole state is on its way: at the
 * start (the page says `ready` when it loads) and after a patch it could not apply (resync).
 */
let seq: number | undefined;
let selected: string | null = persisted.selected ?? null;
let ticker: number | undefined;
/** Whether summary.md is expanded; kept across re-renders. */
let summaryOpen = false;

const send = (message: WebviewToHostMessage) => vscode.postMessage(message);
const runCommand = (command: DashboardCommand, taskId?: string) => send({ type: 'runCommand', command, taskId });
const graph = new TaskGraph(
  (taskId) => select(taskId),
  () => render(),
);

/**
 * The page's parts. The graph's element stays where it is across renders: moved out and back in,
 * a big graph's thousands of SVG elements would be styled and laid out again from scratch on
 * every render (every second while a run goes on). Everything around it is rebuilt in slots
 * (`display: contents`, so the layout is as if they were not there).
 */
const slot = () => h('div', { class: 'slot' });
const topSlot = slot();
const graphHead = slot();
const graphTail = slot();
const detailsSlot = slot();
const timelineSlot = slot();
const mainArea = h('div', { class: 'main' }, h('section', { class: 'graph-section', 'aria-label': 'Task graph' }, graphHead, graph.element, graphTail), detailsSlot);

function select(taskId: string | null): void {
  selected = taskId;
  save();
  send({ type: 'selectTask', taskId });
  render();
  if (taskId) graph.focus(taskId);
}

let saveQueued = false;
/**
 * VS Code's setState serialises the whole state (hundreds of KB for a big plan) on this thread:
 * done at most once a frame, after it has painted, so the first paint never waits for it.
 */
function save(): void {
  if (saveQueued) return;
  saveQueued = true;
  afterFirstFrame(() => {
    saveQueued = false;
    vscode.setState({ state, selected } satisfies Persisted);
  });
}

function toolbar(current: DashboardState): HTMLElement {
  const bar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Run actions' });
  const writer = current.mode === 'writer';
  const hasTasks = current.tasks.length > 0;
  const add = (key: string, label: string, codicon: string, command: DashboardCommand, primary = false) => {
    const button = h('button', { type: 'button', class: primary ? 'primary' : 'secondary', 'data-key': `toolbar-${key}` }, icon(codicon), ` ${label}`);
    button.addEventListener('click', () => runCommand(command));
    bar.append(button);
  };
  if (current.running) {
    if (current.paused) add('resume', 'Resume', 'debug-continue', 'agentOrchestrator.resume', true);
    else add('pause', 'Pause', 'debug-pause', 'agentOrchestrator.pause');
    add('cancel', 'Cancel All', 'stop-circle', 'agentOrchestrator.cancelAll');
  } else {
    if (writer && hasTasks && current.trusted) add('run', 'Run All', 'run-all', 'agentOrchestrator.runAll', true);
    if (writer && current.trusted && current.tasks.some((t) => RETRYABLE_STATUSES.has(t.status))) add('retry', 'Retry Failed', 'debug-restart', 'agentOrchestrator.retryFailed');
    if (current.mode !== 'readOnly') add('import', 'Import Plan…', 'file-add', 'agentOrchestrator.importPlan', !hasTasks);
  }
  if (current.run?.summaryMd) add('export', 'Export Summary', 'export', 'agentOrchestrator.exportSummary');
  return bar;
}

function banners(current: DashboardState): HTMLElement[] {
  const list: HTMLElement[] = [];
  if (!current.trusted) list.push(h('p', { class: 'banner warn', role: 'status' }, icon('shield'), ' This workspace is not trusted: agents will not run here. Plans and reports can still be viewed.'));
  // "Running this plan" only while a run is in progress (the host counts only a live lock owner's run).
  if (current.mode === 'readOnly' && current.running) list.push(h('p', { class: 'banner info', role: 'status' }, icon('lock'), ' Another window or process is running this plan; this dashboard follows it read-only.'));
  else if (current.mode === 'readOnly') list.push(h('p', { class: 'banner info', role: 'status' }, icon('lock'), ' Another window or process has this workspace\'s database open; this dashboard is read-only until it closes.'));
  if (current.mode === 'none') list.push(h('p', { class: 'banner info', role: 'status' }, icon('info'), ' No plan has been imported into this workspace yet.'));
  return list;
}

function legend(withOverlaps: boolean, criticalPathLength: string | undefined): HTMLElement {
  const shown = ['pending', 'spawned', 'running', 'completed', 'failed', 'timed_out', 'blocked', 'cancelled'] as const;
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Status colours' },
    ...shown.map((status) => h('li', {}, h('span', { class: `swatch status-${status}`, 'aria-hidden': 'true' }), STATUS_LABELS[status])),
    withOverlaps ? h('li', {}, h('span', { class: 'overlap-swatch', 'aria-hidden': 'true' }), 'same files changed') : null,
    criticalPathLength
      ? h(
          'li',
          { 'data-testid': 'legend-critical-path', title: 'The longest chain of dependent tasks: each task counts its actual duration once it has run, its estimated hours before.' },
          h('span', { class: 'critical-swatch', 'aria-hidden': 'true' }),
          `critical path (${criticalPathLength})`,
        )
      : null,
  );
}

function render(): void {
  if (!state) {
    root.replaceChildren(h('p', { class: 'empty' }, 'Loading…'));
    return;
  }
  const current = state;
  // Asked for before anything below defers work to after this frame, so the mark comes first.
  markFirstPaint();
  const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.key;
  // Scrolled areas (the timeline) keep their place through the once-a-second re-render.
  const scrolled = [...root.querySelectorAll<HTMLElement>('[data-scroll-key]')].map((el) => [el.dataset.scrollKey!, el.scrollLeft, el.scrollTop] as const);
  const task = current.tasks.find((t) => t.taskId === selected);
  // A state saved by an older version of the dashboard has no overlaps.
  const overlaps = current.overlaps ?? [];
  graph.update(current.tasks, selected, overlaps);
  const now = Date.now();
  if (mainArea.parentElement !== root) root.replaceChildren(topSlot, mainArea, timelineSlot);
  topSlot.replaceChildren(
    h(
      'header',
      { class: 'top' },
      h('div', { class: 'title' }, h('h1', {}, 'Agent Orchestrator'), h('span', { class: 'meta', 'data-testid': 'dashboard-meta' }, `${current.workspaceName ?? 'No folder'} · ${current.tasks.length} task(s) · v${current.extensionVersion}`)),
      toolbar(current),
    ),
    ...banners(current),
    renderSummary(current, now, summaryOpen, (open) => (summaryOpen = open)),
  );
  mainArea.className = task ? 'main with-details' : 'main';
  graphHead.replaceChildren(h('div', { class: 'section-head' }, h('h2', {}, 'Task graph'), legend(overlaps.length > 0, graph.criticalPathLength)));
  const overlapList = renderOverlaps(overlaps, (taskId) => select(taskId));
  graphTail.replaceChildren(
    ...(overlapList ? [overlapList] : []),
    ...(task ? [] : [h('p', { class: 'hint' }, 'Select a task (click it, or Tab to it and press Enter) to see its details and the last lines of its output.')]),
  );
  detailsSlot.replaceChildren(
    ...(task
      ? [
          renderDetails(task, outputs.get(task.taskId) ?? [], changes.get(task.taskId), current.running, current.mode === 'readOnly', {
            run: (command, taskId) => runCommand(command, taskId),
            openReview: (taskId) => send({ type: 'openReview', taskId }),
            close: () => select(null),
          }),
        ]
      : []),
  );
  timelineSlot.replaceChildren(renderTimeline(current.run, current.timeline, now, (taskId) => select(taskId), timelineView(scrolled)));
  for (const [key, left, top] of scrolled) {
    const el = root.querySelector<HTMLElement>(`[data-scroll-key="${CSS.escape(key)}"]`);
    if (el) el.scrollTo(left, top);
  }
  if (focusKey) root.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusKey)}"]`)?.focus({ preventScroll: true });
  updateTicker(current);
}

/** The timeline's part in view: where it was scrolled to, as wide as the window (no layout is read). */
function timelineView(scrolled: ReadonlyArray<readonly [string, number, number]>): TimelineView {
  const left = scrolled.find(([key]) => key === 'timeline')?.[1] ?? 0;
  return { left, width: window.innerWidth };
}

/**
 * `dashboard-first-paint`: when the first state's frame (summary, timeline, the graph or its
 * "laying out" line) has painted; a timeout queued from a frame callback runs just after that
 * frame. bench/dashboardBench.ts reads it.
 */
let firstPaintMarked = false;
function markFirstPaint(): void {
  if (firstPaintMarked) return;
  firstPaintMarked = true;
  afterFirstFrame(() => performance.mark('dashboard-first-paint'));
}

/** While a run goes on, running bars and elapsed times grow once a second without host messages. */
function updateTicker(current: DashboardState): void {
  if (current.running && ticker === undefined) ticker = window.setInterval(render, 1000);
  else if (!current.running && ticker !== undefined) {
    window.clearInterval(ticker);
    ticker = undefined;
  }
}

/** A new state from the host, whole or patched. */
function receive(next: DashboardState): void {
  state = next;
  if (selected && !state.tasks.some((t) => t.taskId === selected)) selected = null;
  save();
  render();
}

function resync(): void {
  // A whole state is already on its way: the patches sent before it all miss, one `ready` is enough.
  if (seq === undefined) return;
  seq = undefined;
  send({ type: 'ready' });
}

window.addEventListener('message', (event: MessageEvent<HostToWebviewMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'state':
      seq = message.seq;
      receive(message.state);
      return;
    case 'statePatch': {
      // A patch for a state this page does not hold (it was rebuilt, or a message was lost):
      // `ready` again makes the host send the whole state.
      if (!state || seq !== message.base) return resync();
      let next: DashboardState;
      try {
        next = applyStatePatch(state, message.patch);
      } catch (error) {
        if (error instanceof StatePatchMismatch) return resync();
        throw error;
      }
      seq = message.seq;
      receive(next);
      return;
    }
    case 'output': {
      const lines = message.reset ? [...message.lines] : [...(outputs.get(message.taskId) ?? []), ...message.lines];
      outputs.set(message.taskId, lines.slice(-OUTPUT_LINES));
      if (message.taskId === selected) render();
      return;
    }
    case 'changes':
      changes.set(message.taskId, { changes: message.changes, error: message.error });
      if (message.taskId === selected) render();
      return;
    case 'select':
      if (state?.tasks.some((t) => t.taskId === message.taskId)) select(message.taskId);
      return;
  }
});

window.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && selected) select(null);
});

render();
send({ type: 'ready' });
if (selected) send({ type: 'selectTask', taskId: selected });
