import { prettyLine } from './pretty-line';

/**
 * Lines are gathered and written at most every FLUSH_MS (or at 64 KiB), not once per line nor per event-loop
 * turn: stdout is usually a pipe, and each write on it goes through the stream's async write path (a few µs of
 * CPU), which a busy proxy turning its loop once per request paid per request. At exit what is held is written.
 */
const FLUSH_MS = 10;
const BATCH_BYTES = 64 * 1024;
/**
 * What stdout may hold unwritten: a pipe read slower than lines are made (a log collector behind, a stopped
 * `| less`, a process at 18,000 requests a second: ~5 MB of access lines a second) would otherwise grow the process
 * without bound, as Node's stream keeps every write it was given. Past it new lines are dropped and counted, and
 * one `warn` line says how many once the stream has drained: a bounded log loss rather than memory, as pino's own
 * `maxLength` does.
 */
export const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

/** Where the log lines go: stdout, or any stream (tests). */
export interface LogStream {
  write(chunk: string): boolean;
  readonly writableLength: number;
  once(event: 'drain', listener: () => void): unknown;
}

export class LogOutput {
  private pending = '';
  private scheduled = false;
  private dropped = 0;
  private waitingForDrain = false;

  constructor(
    private readonly pretty: boolean,
    private readonly service: () => string,
    private readonly stream: LogStream = process.stdout,
  ) {
    process.once('exit', () => this.flush());
  }

  write(line: string): void {
    this.pending += this.pretty ? prettyLine(line) : line;
    if (this.pending.length >= BATCH_BYTES) {
      this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => this.flush(), FLUSH_MS).unref();
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending === '') {
      return;
    }
    const out = this.pending;
    this.pending = '';
    if (this.stream.writableLength + out.length > MAX_BACKLOG_BYTES) {
      this.drop(out);
      return;
    }
    this.stream.write(out);
  }

  /** Lines dropped so far and not yet reported. */
  droppedLines(): number {
    return this.dropped;
  }

  private drop(out: string): void {
    this.dropped += out.split('\n').length - 1;
    if (this.waitingForDrain) {
      return;
    }
    this.waitingForDrain = true;
    this.stream.once('drain', () => {
      this.waitingForDrain = false;
      const line = JSON.stringify({
        level: 'warn',
        time: new Date().toISOString(),
        service: this.service(),
        dropped: this.dropped,
        msg: `${this.dropped} log lines dropped: the output was not read as fast as they were written`,
      });
      this.dropped = 0;
      this.stream.write(this.pretty ? prettyLine(`${line}\n`) : `${line}\n`);
    });
  }
}
