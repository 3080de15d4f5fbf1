import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

/**
 * The dashboard's HTML shell. Strict CSP: nothing by default, scripts only with this load's
 * nonce, styles and fonts only from the extension's own webview origin, no eval. `worker-src
 * blob:` is for the graph's layout worker only: a webview cannot start a worker from the
 * extension's resource origin (another origin than the webview's), so the bundle (itself loaded
 * with the nonce) starts the worker's code, which it carries inline, from a blob URL it makes
 * (webview-ui/src/layoutEngine.ts). Without it the layout runs on the page's thread instead.
 */
export function dashboardHtml(webview: vscode.Webview, scriptUri: vscode.Uri, styleUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    'worker-src blob:',
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${styleUri.toString()}">
  <title>Agent Orchestrator</title>
</head>
<body>
  <main id="app" aria-live="polite"></main>
  <script nonce="${nonce}" src="${scriptUri.toString()}"></script>
</body>
</html>`;
}
