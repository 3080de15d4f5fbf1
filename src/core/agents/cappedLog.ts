import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { corkForThisTick } from '../corkForThisTick';

export const DEFAULT_LOG_HEAD_BYTES = 1024 * 1024;
export const DEFAULT_LOG_TAIL_BYTES = 1024 * 1024;

/**
 * A per-agent log that never grows past head + tail bytes. The head is written as it arrives
 * (so the file can be followed live); once it is full, lines go to an in-memory ring holding
 * the most recent `tailBytes`, which is written after a marker line on close. The start of a run
 * (what it was asked, how it set out) and its end (why it failed) are what people read.
 */
export class CappedLog {
  private readonly stream: WriteStream;
  private headBytes = 0;
  private readonly ring: string[] = [];
  private ringBytes = 0;
  private omittedBytes = 0;
  private omittedLines = 0;
  private failed = false;

  constructor(
    readonly path: string,
    private readonly headLimit = DEFAULT_LOG_HEAD_BYTES,
    private readonly tailLimit = DEFAULT_LOG_TAIL_BYTES,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { flags: 'w' });
    // A log that cannot be written must not take the agent run down with it.
    this.stream.on('error', () => {
      this.failed = true;
    });
  }

  /** True once something had to be left out. */
  get truncated(): boolean {
    return this.omittedBytes > 0;
  }

  writeLine(line: string): void {
    if (this.failed) return;
    const text = `${line}\n`;
    const bytes = Buffer.byteLength(text);
    if (this.ring.length === 0 && this.headBytes + bytes <= this.headLimit) {
      this.headBytes += bytes;
      // The lines of one chunk of output arrive in one tick: one file-system request, not one each.
      corkForThisTick(this.stream);
      this.stream.write(text);
      return;
    }
    this.ring.push(text);
    this.ringBytes += bytes;
    while (this.ringBytes > this.tailLimit && this.ring.length > 0) {
      const dropped = this.ring.shift() as string;
      const droppedBytes = Buffer.byteLength(dropped);
      this.ringBytes -= droppedBytes;
      this.omittedBytes += droppedBytes;
      this.omittedLines += 1;
    }
  }

  async close(): Promise<void> {
    if (!this.failed) {
      if (this.omittedBytes > 0) {
        this.stream.write(
          `[agent-orchestrator] log cut: ${this.omittedBytes} bytes (${this.omittedLines} lines) omitted here; ` +
            `the first ${this.headBytes} and the last ${this.ringBytes} bytes are kept\n`,
        );
      }
      for (const text of this.ring) this.stream.write(text);
    }
    this.ring.length = 0;
    await new Promise<void>((resolve) => this.stream.end(() => resolve()));
  }
}
