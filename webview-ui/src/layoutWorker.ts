// The layout worker: dagre on a big graph takes seconds (tens of seconds at 1,000 tasks), which
// on the webview's own thread would freeze the panel; here it runs beside it. One request at a
// time: { id, input } in, { id, layout, ms } or { id, error } out. Vite inlines this file into
// main.js as a blob worker (layoutEngine.ts), since a webview cannot start a worker from the
// extension's resource origin; the CSP allows `worker-src blob:` for it (src/vscode/dashboard/webviewHtml.ts).
import { layoutGraph, type GraphLayout, type LayoutInput } from './graphModel';

export interface LayoutRequest {
  readonly id: number;
  readonly input: LayoutInput;
}

export type LayoutReply = { readonly id: number; readonly layout: GraphLayout; readonly ms: number } | { readonly id: number; readonly error: string };

const scope = self as unknown as { onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null; postMessage(reply: LayoutReply): void };

scope.onmessage = (event) => {
  const { id, input } = event.data;
  const started = performance.now();
  try {
    const layout = layoutGraph(input);
    scope.postMessage({ id, layout, ms: performance.now() - started });
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
