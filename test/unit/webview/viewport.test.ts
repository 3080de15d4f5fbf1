// The graph's view arithmetic: fitting a graph in its panel, zooming at the pointer, panning, the
// keys, and the panel's height.
import * as assert from 'node:assert/strict';
import { centreOn, FIT_PADDING, fitView, isVisible, keyCommand, MAX_SCALE, MIN_SCALE, panBy, panelHeight, READABLE_SCALE, readableView, wheelFactor, zoomAt, zoomLabel, ZOOM_STEP, type View } from '../../../webview-ui/src/viewport';

/** Where a world point lands on screen. */
function screen(view: View, x: number, y: number): { x: number; y: number } {
  return { x: x * view.scale + view.x, y: y * view.scale + view.y };
}

describe('webview: graph viewport', () => {
  it('fits a big graph inside the panel, centred, with padding on the tighter side', () => {
    const view = fitView({ width: 4000, height: 1000 }, { width: 1000, height: 600 });
    assert.equal(view.scale, (1000 - 2 * FIT_PADDING) / 4000);
    const topLeft = screen(view, 0, 0);
    const bottomRight = screen(view, 4000, 1000);
    assert.ok(Math.abs(topLeft.x - FIT_PADDING) < 1e-9, `left edge at ${topLeft.x}`);
    assert.ok(Math.abs(1000 - bottomRight.x - FIT_PADDING) < 1e-9);
    assert.ok(Math.abs(topLeft.y - (600 - bottomRight.y)) < 1e-9, 'centred vertically');
    assert.ok(isVisible(view, { x: 0, y: 0, width: 4000, height: 1000 }, { width: 1000, height: 600 }));
  });

  it('never enlarges a small graph past its natural size when fitting', () => {
    const view = fitView({ width: 300, height: 100 }, { width: 1000, height: 600 });
    assert.equal(view.scale, 1);
    assert.deepEqual(screen(view, 150, 50), { x: 500, y: 300 });
  });

  it('first shows a graph whole when its words stay readable, else readable from its start (left, top), to be panned', () => {
    const panel = { width: 1000, height: 600 };
    const small = { width: 1200, height: 500 };
    assert.deepEqual(readableView(small, panel), fitView(small, panel), 'fits at a readable scale: the whole graph');
    const big = { width: 4200, height: 3600 };
    assert.ok(fitView(big, panel).scale < READABLE_SCALE);
    const view = readableView(big, panel);
    assert.equal(view.scale, READABLE_SCALE);
    assert.deepEqual(screen(view, 0, 0), { x: FIT_PADDING, y: FIT_PADDING }, 'the graph starts at the panel\'s top left');
    // From the start given: that world point at the panel's top left.
    assert.deepEqual(screen(readableView(big, panel, { x: 100, y: 1500 }), 100, 1500), { x: FIT_PADDING, y: FIT_PADDING });
    // Wide but short: the start on the left, centred in height.
    const long = readableView({ width: 9000, height: 400 }, panel);
    assert.equal(long.x, FIT_PADDING);
    assert.equal(long.y, (600 - 400 * READABLE_SCALE) / 2);
    // Zooming out from it still reaches the whole graph's fit.
    assert.equal(zoomAt(view, 0.0001, 0, 0, fitView(big, panel).scale).scale, Math.min(fitView(big, panel).scale, MIN_SCALE));
  });

  it('zooms at the pointer: the world point under it stays under it, within the scale limits', () => {
    const start: View = { x: 40, y: -20, scale: 0.5 };
    const before = { x: (300 - start.x) / start.scale, y: (200 - start.y) / start.scale };
    const zoomed = zoomAt(start, 1.6, 300, 200);
    assert.equal(zoomed.scale, 0.8);
    const after = screen(zoomed, before.x, before.y);
    assert.ok(Math.abs(after.x - 300) < 1e-9 && Math.abs(after.y - 200) < 1e-9, JSON.stringify(after));
    assert.equal(zoomAt(start, 100, 0, 0).scale, MAX_SCALE);
    assert.equal(zoomAt(start, 0.0001, 0, 0).scale, MIN_SCALE);
    // A huge graph fitted below MIN_SCALE can still be zoomed out to its fit.
    assert.equal(zoomAt({ x: 0, y: 0, scale: 0.03 }, 0.5, 0, 0, 0.02).scale, 0.02);
  });

  it('pans by the drag and centres on a point', () => {
    assert.deepEqual(panBy({ x: 10, y: 20, scale: 2 }, 5, -7), { x: 15, y: 13, scale: 2 });
    const centred = centreOn({ x: 0, y: 0, scale: 0.5 }, { x: 1000, y: 400 }, { width: 800, height: 600 });
    assert.deepEqual(screen(centred, 1000, 400), { x: 400, y: 300 });
    assert.equal(isVisible({ x: 0, y: 0, scale: 1 }, { x: 790, y: 10, width: 20, height: 20 }, { width: 800, height: 600 }), false);
  });

  it('maps + − 0 and the arrows, and nothing else', () => {
    assert.deepEqual(keyCommand('+'), { kind: 'zoom', factor: ZOOM_STEP });
    assert.deepEqual(keyCommand('='), { kind: 'zoom', factor: ZOOM_STEP });
    assert.deepEqual(keyCommand('-'), { kind: 'zoom', factor: 1 / ZOOM_STEP });
    assert.deepEqual(keyCommand('0'), { kind: 'fit' });
    const right = keyCommand('ArrowRight');
    assert.ok(right?.kind === 'pan' && right.dx < 0 && right.dy === 0, 'ArrowRight shows what is to the right: the graph moves left');
    const up = keyCommand('ArrowUp');
    assert.ok(up?.kind === 'pan' && up.dy > 0 && up.dx === 0);
    assert.equal(keyCommand('Enter'), undefined);
    assert.equal(keyCommand('a'), undefined);
  });

  it('turns a wheel notch into one bounded zoom step, in the right direction', () => {
    assert.ok(wheelFactor(-100) > 1 && wheelFactor(100) < 1);
    assert.equal(wheelFactor(-10_000), wheelFactor(-120));
    assert.ok(Math.abs(wheelFactor(0) - 1) < 1e-12);
    assert.equal(zoomLabel({ x: 0, y: 0, scale: 0.456 }), '46%');
  });

  it('sizes the panel to the graph at the width-fitting scale, between its bounds', () => {
    // 2000 × 300 in a 1000-wide panel: the scale is ~0.488, so ~146 + padding.
    assert.equal(panelHeight({ width: 2000, height: 300 }, 1000, 100, 500), Math.round(300 * ((1000 - 2 * FIT_PADDING) / 2000) + 2 * FIT_PADDING));
    assert.equal(panelHeight({ width: 200, height: 50 }, 1000, 160, 500), 160);
    assert.equal(panelHeight({ width: 800, height: 5000 }, 1000, 160, 500), 500);
  });
});
