// Panning and zooming the task graph: the panel (a focusable element holding the SVG) and the
// layer inside it that moves. The wheel zooms at the pointer, a drag pans, + − 0 and the arrows
// work while the graph has focus, and the toolbar has zoom buttons, "Fit" and the zoom level.
// A new drawing is fitted (a big one shown readable from its start, viewport.ts readableView); after that the view stays where the user put it through
// every update, and a resize refits only while the user has not moved it. viewport.ts holds the
// arithmetic; this file holds the events.
import { h, icon } from './dom';
import { centreOn, fitView, isVisible, readableView, keyCommand, panBy, panelHeight, wheelFactor, zoomAt, zoomLabel, ZOOM_STEP, type Size, type View } from './viewport';

/** The panel's height: a small graph takes what it needs, a big one this share of the window. */
const MIN_PANEL_HEIGHT = 160;
const MAX_PANEL_SHARE = 0.62;
/** A press that moves less than this is a click, not a drag. */
const DRAG_THRESHOLD = 4;

export class GraphView {
  readonly panel: HTMLDivElement;
  readonly controls: HTMLDivElement;
  private readonly level: HTMLSpanElement;
  private layer: SVGGElement | undefined;
  private content: Size = { width: 0, height: 0 };
  /** Where a big graph begins (world coordinates): it is first shown readable from there. A small one is fitted whole. */
  private start: { x: number; y: number } | undefined;
  private view: View = { x: 0, y: 0, scale: 1 };
  /** The smallest scale a fit has needed: zooming out stops there (or at MIN_SCALE if that is smaller). */
  private fitScale = 1;
  /** Set by any pan or zoom of the user's; cleared by Fit. While set, resizes keep the view. */
  private moved = false;
  private drag: { x: number; y: number; view: View; active: boolean; pointer: number } | undefined;
  /** The panel's size at the last fit. */
  private fittedFor: Size | undefined;
  /** A drag just ended: the click that follows it must not select the node under the pointer. */
  private swallowClick = false;

  constructor(label: string) {
    this.level = h('span', { class: 'zoom-level', 'data-testid': 'graph-zoom', 'aria-label': 'Zoom level' }, '100%');
    const button = (key: string, text: string, codicon: string, title: string, action: () => void) => {
      const el = h('button', { type: 'button', class: 'secondary icon-button', title, 'aria-label': title, 'data-key': `graph-${key}` }, icon(codicon), text ? ` ${text}` : '');
      el.addEventListener('click', action);
      return el;
    };
    this.controls = h(
      'div',
      { class: 'graph-controls', role: 'toolbar', 'aria-label': 'Graph view' },
      button('zoom-out', '', 'zoom-out', 'Zoom out (−)', () => this.zoomCentre(1 / ZOOM_STEP)),
      this.level,
      button('zoom-in', '', 'zoom-in', 'Zoom in (+)', () => this.zoomCentre(ZOOM_STEP)),
      button('fit', 'Fit', 'screen-full', 'Fit the graph in the panel (0)', () => this.fit()),
    );
    this.panel = h('div', {
      class: 'graph-panel',
      tabindex: 0,
      role: 'group',
      'data-key': 'graph-panel',
      'data-testid': 'graph-panel',
      'aria-label': label,
      'aria-roledescription': 'zoomable graph',
      'aria-keyshortcuts': '+ - 0 ArrowLeft ArrowRight ArrowUp ArrowDown',
    });
    this.listen();
  }

  setLabel(label: string): void {
    this.panel.setAttribute('aria-label', `${label}. Plus and minus zoom, 0 fits, the arrow keys pan.`);
  }

  /** A newly drawn graph: fitted unless the user has moved the previous one (then the view stays). */
  show(layer: SVGGElement, content: Size, start?: { x: number; y: number }): void {
    this.layer = layer;
    this.content = content;
    this.start = start;
    const panel = this.sizePanel();
    if (!this.moved) this.fit(false, panel);
    else this.apply();
  }

  /**
   * Fit the whole graph in the panel; the Fit button and 0 also forget the user's moves. Fitted
   * on its own (a new drawing, a resize) a big graph is shown readable from its start instead
   * (viewport.ts readableView); zooming out still goes as far as the whole of it.
   */
  fit(byUser = true, known?: Size): void {
    if (byUser) this.moved = false;
    // The size sizePanel just set, when it did: reading it back would lay the page out again.
    const panel = known ?? this.panelSize();
    if (panel.width === 0) return; // Not in the document yet: the resize observer fits it once it is.
    this.fittedFor = panel;
    const whole = fitView(this.content, panel);
    this.view = byUser || !this.start ? whole : readableView(this.content, panel, this.start);
    this.fitScale = whole.scale;
    this.apply();
  }

  /** Brings a node (its world rectangle) into view when the keyboard moves to it off screen. */
  reveal(rect: { x: number; y: number; width: number; height: number }): void {
    const panel = this.panelSize();
    if (isVisible(this.view, rect, panel)) return;
    this.view = centreOn(this.view, { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 }, panel);
    this.moved = true;
    this.apply();
  }

  /** The panel lost its graph (no tasks, or too many): nothing to move. */
  clear(): void {
    this.layer = undefined;
    this.content = { width: 0, height: 0 };
    this.moved = false;
  }

  /** Whether the click now being delivered ends a drag (graph.ts then does not select). */
  consumeDragClick(): boolean {
    const swallow = this.swallowClick;
    this.swallowClick = false;
    return swallow;
  }

  private listen(): void {
    const panel = this.panel;
    panel.addEventListener(
      'wheel',
      (event) => {
        if (!this.layer) return;
        event.preventDefault();
        const at = this.pointer(event);
        this.change(zoomAt(this.view, wheelFactor(event.deltaY), at.x, at.y, this.fitScale));
      },
      { passive: false },
    );
    panel.addEventListener('pointerdown', (event) => {
      if (!this.layer || event.button !== 0) return;
      this.drag = { ...this.pointer(event), view: this.view, active: false, pointer: event.pointerId };
    });
    panel.addEventListener('pointermove', (event) => {
      const drag = this.drag;
      if (!drag || drag.pointer !== event.pointerId) return;
      const at = this.pointer(event);
      if (!drag.active && Math.hypot(at.x - drag.x, at.y - drag.y) < DRAG_THRESHOLD) return;
      if (!drag.active) {
        drag.active = true;
        panel.setPointerCapture(event.pointerId);
        panel.classList.add('dragging');
      }
      this.change(panBy(drag.view, at.x - drag.x, at.y - drag.y));
    });
    const end = (event: PointerEvent) => {
      if (!this.drag || this.drag.pointer !== event.pointerId) return;
      this.swallowClick = this.drag.active;
      this.drag = undefined;
      panel.classList.remove('dragging');
      if (panel.hasPointerCapture(event.pointerId)) panel.releasePointerCapture(event.pointerId);
      // A click follows pointerup at once when there is one; a drag that ends elsewhere has none.
      if (this.swallowClick) setTimeout(() => (this.swallowClick = false), 0);
    };
    panel.addEventListener('pointerup', end);
    panel.addEventListener('pointercancel', end);
    panel.addEventListener('keydown', (event) => {
      if (!this.layer || event.altKey || event.ctrlKey || event.metaKey) return;
      const command = keyCommand(event.key);
      if (!command) return;
      event.preventDefault();
      if (command.kind === 'fit') this.fit();
      else if (command.kind === 'zoom') this.zoomCentre(command.factor);
      else this.change(panBy(this.view, command.dx, command.dy));
    });
    // Focusing a node must not scroll the panel itself (it pans instead: reveal()).
    panel.addEventListener('scroll', () => {
      panel.scrollTop = 0;
      panel.scrollLeft = 0;
    });
    new ResizeObserver(() => {
      if (!this.layer) return;
      const panel = this.sizePanel();
      // The resize show() itself made (the panel took the graph's height) is already fitted.
      const fitted = this.fittedFor;
      if (fitted && panel && fitted.width === panel.width && fitted.height === panel.height) return;
      if (!this.moved) this.fit(false, panel);
    }).observe(panel);
  }

  private zoomCentre(factor: number): void {
    const panel = this.panelSize();
    this.change(zoomAt(this.view, factor, panel.width / 2, panel.height / 2, this.fitScale));
  }

  private change(view: View): void {
    this.view = view;
    this.moved = true;
    this.apply();
  }

  private apply(): void {
    this.layer?.setAttribute('transform', `translate(${this.view.x.toFixed(1)} ${this.view.y.toFixed(1)}) scale(${this.view.scale.toFixed(4)})`);
    this.level.textContent = zoomLabel(this.view);
  }

  /**
   * The panel's height follows the graph's (CSSOM, which the CSP allows, not a style attribute).
   * Returns the panel's size as it now is (undefined while it is not in the document).
   */
  private sizePanel(): Size | undefined {
    const width = this.panel.clientWidth;
    if (width === 0) return undefined;
    const height = panelHeight(this.content, width, MIN_PANEL_HEIGHT, Math.max(MIN_PANEL_HEIGHT, window.innerHeight * MAX_PANEL_SHARE));
    if (this.panel.style.height !== `${height}px`) this.panel.style.height = `${height}px`;
    // .graph-panel (main.css) has no padding and a content box: its client height is the height set.
    return { width, height };
  }

  private panelSize(): Size {
    return { width: this.panel.clientWidth, height: this.panel.clientHeight };
  }

  private pointer(event: MouseEvent): { x: number; y: number } {
    const box = this.panel.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }
}
