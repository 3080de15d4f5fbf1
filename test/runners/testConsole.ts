// Turns the workbench's browser console into the test run's output. In a test run the web
// workbench logs the extension host's console calls through its log service, exactly like its
// own messages: console.log('%c INFO', 'color: …', format, ...args). So the suite's lines are
// taken from the first line the suite prints up to its summary line, only from log-service
// messages (not Chromium's own "Failed to load resource" and the like), and printf-formatted
// here the way the extension host would have. Everything goes to a log file as well.
import * as fs from 'node:fs';
import { format } from 'node:util';
import type { ConsoleMessage } from 'playwright-core';
import { SUITE_START_PREFIX } from '../integration/suiteOutput';
import { isSummaryLine } from '../support/summaryLine';

const LOG_SERVICE_PREFIX = /^%c\s*(TRACE|DEBUG|INFO|WARN|ERR)\s*$/;

type Phase = 'before' | 'running' | 'after';

export class TestConsole {
  private readonly log: number;
  private phase: Phase = 'before';
  private pending: Promise<void> = Promise.resolve();
  private readonly errorsBeforeStart: string[] = [];

  constructor(logFile: string) {
    this.log = fs.openSync(logFile, 'w');
  }

  /** True once the suite printed its first line. */
  get sawStart(): boolean {
    return this.phase !== 'before';
  }

  onMessage(message: ConsoleMessage): void {
    // Reading a message's arguments is asynchronous; the queue keeps lines in order.
    this.pending = this.pending.then(() => this.handle(message));
  }

  onPageError(error: Error): void {
    this.pending = this.pending.then(() => this.write('pageerror', error.stack ?? error.message));
  }

  /**
   * Waits until the messages received so far are handled and, if the suite started, until its
   * summary line arrived: console messages may trail the exit call by a moment.
   */
  async settle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    do {
      await this.pending;
      if (this.phase !== 'running') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (Date.now() < deadline);
  }

  /** Error lines logged before the suite started: why a suite that never ran failed. */
  errorsBeforeSuite(): readonly string[] {
    return this.errorsBeforeStart;
  }

  close(): void {
    fs.closeSync(this.log);
  }

  private async handle(message: ConsoleMessage): Promise<void> {
    const logged = await fromLogService(message);
    const text = logged?.text ?? message.text();
    this.write(message.type(), text);
    if (!logged) return;
    if (this.phase === 'before' && text.startsWith(SUITE_START_PREFIX)) this.phase = 'running';
    if (this.phase === 'running') {
      const stream = logged.level === 'ERR' ? process.stderr : process.stdout;
      stream.write(`${text}\n`);
      if (isSummaryLine(text)) this.phase = 'after';
    } else if (this.phase === 'before' && logged.level === 'ERR') {
      this.errorsBeforeStart.push(text);
    }
  }

  private write(type: string, text: string): void {
    try {
      fs.writeSync(this.log, `[${type}] ${text}\n`);
    } catch {
      // Closed during teardown: late workbench messages are not worth keeping.
    }
  }
}

/** The level and printf-formatted text of a log-service message; undefined for other messages. */
async function fromLogService(message: ConsoleMessage): Promise<{ level: string; text: string } | undefined> {
  let values: unknown[];
  try {
    values = await Promise.all(message.args().map((arg) => arg.jsonValue()));
  } catch {
    return undefined;
  }
  const level = typeof values[0] === 'string' ? LOG_SERVICE_PREFIX.exec(values[0])?.[1] : undefined;
  if (!level || values.length < 3) return undefined;
  // values[1] is the CSS for the "%c"; the message and its printf arguments follow.
  return { level, text: format(...values.slice(2)) };
}
