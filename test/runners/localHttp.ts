// Small HTTP helpers for talking to a local server: pick a port, fetch a page, wait for an answer.
import * as http from 'node:http';
import * as net from 'node:net';

/** A port that was free a moment ago (the OS picks it); callers retry if they lose the race. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** GET without following redirects; rejects on connection errors and after `timeoutMs`. */
export function httpGet(url: string, timeoutMs = 5000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

/**
 * Polls `url` until it answers with status 200. Gives up after `timeoutMs`, or as soon as
 * `stillStarting()` returns false (the server process died: waiting longer cannot help).
 */
export async function waitForHttpOk(url: string, timeoutMs: number, stillStarting: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (!stillStarting()) throw new Error(`server exited before ${url} answered`);
    try {
      const answer = await httpGet(url, 2000);
      if (answer.status === 200) return;
      lastProblem = `status ${answer.status}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastProblem})`);
}
