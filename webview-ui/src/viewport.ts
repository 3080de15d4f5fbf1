// The task graph's view: where the laid-out graph sits in its panel (a translation and a scale,
// screen = world × scale + offset), and how fitting, zooming at a point, panning and the keyboard
// change it. graphView.ts applies it to the SVG and wires the wheel, drag and keys; this file
// touches no DOM, so it is tested in plain Node (test/unit/webview/).

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface View {
  readonly x: number;
  readonly y: number;
  readonly scale: number;
}

/** Zooming stops here: closer than twice the natural size helps nobody. */
export const MAX_SCALE = 2;
/** And here, unless fitting a huge graph needs smaller still. */
export const MIN_SCALE = 0.05;
/** Room between the graph and the panel's border when fitted. */
export const FIT_PADDING = 12;
/** One press of + or −, or one button click. */
export const ZOOM_STEP = 1.25;
/** One press of an arrow key moves the graph this many pixels. */
export const PAN_STEP = 60;

export type KeyCommand = { readonly kind: 'zoom'; readonly factor: number } | { readonly kind: 'fit' } | { readonly kind: 'pan'; readonly dx: number; readonly dy: number };

/**
 * The whole graph in the panel, centred: never larger than its natural size (a small plan keeps
 * readable text), as small as it takes for a big one.
 */
export function fitView(content: Size, panel: Size, padding = FIT_PADDING): View {
  const room = { width: Math.max(1, panel.width - 2 * padding), height: Math.max(1, panel.height - 2 * padding) };
  const scale = content.width > 0 && content.height > 0 ? Math.min(1, room.width / content.width, room.height / content.height) : 1;
  return { scale, x: (panel.width - content.width * scale) / 2, y: (panel.height - content.height * scale) / 2 };
}

/** A drawn graph is first shown no smaller than this, so its words can be read. */
export const READABLE_SCALE = 0.6;

/**
 * How a newly drawn graph is first shown: the whole of it (fitView) if that keeps its words
 * readable; otherwise at READABLE_SCALE with `start` (a world point: where the plan begins, the
 * first column's top node) at the panel's top left, in each direction the graph does not fit
 * (it is centred in one it fits), for the user to pan or zoom out (Fit shows all).
 */
export function readableView(content: Size, panel: Size, start: { readonly x: number; readonly y: number } = { x: 0, y: 0 }, padding = FIT_PADDING, readable = READABLE_SCALE): View {
  const fitted = fitView(content, panel, padding);
  if (fitted.scale >= readable) return fitted;
  const x = content.width * readable <= panel.width - 2 * padding ? (panel.width - content.width * readable) / 2 : padding - start.x * readable;
  const y = content.height * readable <= panel.height - 2 * padding ? (panel.height - content.height * readable) / 2 : padding - start.y * readable;
  return { scale: readable, x, y };
}

/**
 * The panel's height for a graph: the graph's height at the scale that fits the panel's width
 * (so a small plan takes no more room than it needs), between `min` and `max`.
 */
export function panelHeight(content: Size, panelWidth: number, min: number, max: number, padding = FIT_PADDING): number {
  const scale = content.width > 0 ? Math.min(1, Math.max(1, panelWidth - 2 * padding) / content.width) : 1;
  return Math.round(Math.min(max, Math.max(min, content.height * scale + 2 * padding)));
}

/** Zoom by `factor` keeping the world point under (px, py) where it is; `minScale` lets a fitted huge graph zoom out as far as its fit. */
export function zoomAt(view: View, factor: number, px: number, py: number, minScale = MIN_SCALE): View {
  const scale = clamp(view.scale * factor, Math.min(minScale, MIN_SCALE), MAX_SCALE);
  const applied = scale / view.scale;
  return { scale, x: px - (px - view.x) * applied, y: py - (py - view.y) * applied };
}

export function panBy(view: View, dx: number, dy: number): View {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/** The view moved so the world point sits in the panel's centre, at the same scale. */
export function centreOn(view: View, point: { readonly x: number; readonly y: number }, panel: Size): View {
  return { ...view, x: panel.width / 2 - point.x * view.scale, y: panel.height / 2 - point.y * view.scale };
}

/** Whether a world rectangle is wholly on screen. */
export function isVisible(view: View, rect: { readonly x: number; readonly y: number } & Size, panel: Size): boolean {
  const left = rect.x * view.scale + view.x;
  const top = rect.y * view.scale + view.y;
  return left >= 0 && top >= 0 && left + rect.width * view.scale <= panel.width && top + rect.height * view.scale <= panel.height;
}

/** The zoom indicator's text. */
export function zoomLabel(view: View): string {
  return `${Math.round(view.scale * 100)}%`;
}

/** The graph's keys: + and − zoom, 0 fits, arrows pan (the graph moves the way the arrow points at what is beyond). */
export function keyCommand(key: string): KeyCommand | undefined {
  switch (key) {
    case '+':
    case '=':
      return { kind: 'zoom', factor: ZOOM_STEP };
    case '-':
    case '_':
      return { kind: 'zoom', factor: 1 / ZOOM_STEP };
    case '0':
      return { kind: 'fit' };
    case 'ArrowLeft':
      return { kind: 'pan', dx: PAN_STEP, dy: 0 };
    case 'ArrowRight':
      return { kind: 'pan', dx: -PAN_STEP, dy: 0 };
    case 'ArrowUp':
      return { kind: 'pan', dx: 0, dy: PAN_STEP };
    case 'ArrowDown':
      return { kind: 'pan', dx: 0, dy: -PAN_STEP };
    default:
      return undefined;
  }
}

/** A wheel's delta as a zoom factor: smooth for touchpads (small deltas), one step per mouse notch. */
export function wheelFactor(deltaY: number): number {
  return Math.exp(-clamp(deltaY, -120, 120) * 0.0018);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
