import { StringDecoder } from 'node:string_decoder';

/** Longest line we hold before emitting it anyway, so a stream without newlines cannot grow memory unbounded. */
const MAX_PENDING_CHARS = 1024 * 1024;

/**
 * Turns a byte stream into text lines. A StringDecoder keeps multi-byte UTF-8 characters that
 * straddle chunk boundaries intact; CRLF endings lose their CR so parsers see the same text on
 * every platform.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let newline = this.pending.indexOf('\n');
    while (newline !== -1) {
      this.emit(this.pending.slice(0, newline));
      this.pending = this.pending.slice(newline + 1);
      newline = this.pending.indexOf('\n');
    }
    if (this.pending.length > MAX_PENDING_CHARS) {
      this.emit(this.pending);
      this.pending = '';
    }
  }

  /** Emits whatever is left (a last line without a trailing newline). */
  end(): void {
    this.pending += this.decoder.end();
    if (this.pending.length > 0) this.emit(this.pending);
    this.pending = '';
  }

  private emit(line: string): void {
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}
