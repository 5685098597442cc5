import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Clock, formatDate, randomString } from '@lib/core';
import { LogRepository } from './log.repository';
import type { LogEntry } from './log-entry';
import { DEFAULT_LOG_POLICY, LogPolicySource, type LogPolicy } from './log-policy';

let counter = 0;
/** The millisecond `idTime` is of (a busy server logs several entries per millisecond: it is made once each). */
let idMs = -1;
let idTime = '';

/**
 * A 15-character `[a-z0-9]` id like PocketBase's, but rising with time (milliseconds in base 36, a counter, a
 * random tail): new rows go to the end of the primary-key index instead of random places in it. Real time, not
 * the injected clock's (which only dates the entries): a moved test clock must not reorder the index.
 */
function logId(): string {
  counter = (counter + 1) % 1296;
  const ms = Date.now();
  if (ms !== idMs) {
    idMs = ms;
    idTime = ms.toString(36).padStart(9, '0');
  }
  return `${idTime}${counter.toString(36).padStart(2, '0')}${randomString(4)}`;
}

const FLUSH_MS = 200;
const FLUSH_AT = 500;
/** Entries kept in memory at most when the database can't take them (the oldest are dropped). */
const MAX_BUFFERED = 20_000;

/**
 * Collects log entries in memory and writes them to the log store in batches, on a timer, off the
 * request path: a request costs one object in an array. The policy (`logs` settings) is re-read at every flush.
 */
@Injectable()
export class LogWriter implements OnModuleInit, OnApplicationShutdown {
  private buffer: LogEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private current: LogPolicy = DEFAULT_LOG_POLICY;
  private failures = 0;
  private inflight: Promise<void> = Promise.resolve();
  /** `created` of the entries written in the clock's millisecond `createdMs` (formatted once per millisecond). */
  private createdMs = -1;
  private created = '';

  constructor(
    private readonly logs: LogRepository,
    private readonly source: LogPolicySource,
    private readonly clock: Clock,
  ) {}

  get policy(): LogPolicy {
    return this.current;
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    // A save here applies at once (a request right after `PATCH /api/settings` is logged under the new policy);
    // other processes' saves on the next tick.
    this.source.onChange?.(() => void this.refresh().catch(() => undefined));
    this.timer = setInterval(() => void this.tick(), FLUSH_MS);
    this.timer.unref();
  }

  /** Stops the timer; the module flushes the rest before it closes the store. */
  onApplicationShutdown(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** True when an entry of `level` would be kept (callers skip building it otherwise). */
  accepts(level: number): boolean {
    return this.current.enabled && level >= this.current.minLevel;
  }

  write(level: number, message: string, data: Record<string, unknown>): void {
    if (!this.accepts(level)) {
      return;
    }
    const ms = this.clock.now();
    if (ms !== this.createdMs) {
      this.createdMs = ms;
      this.created = formatDate(new Date(ms));
    }
    this.buffer.push({ id: logId(), created: this.created, level, message, data });
    if (this.buffer.length >= FLUSH_AT) {
      void this.flush();
    }
  }

  /**
   * Hands what is buffered to the store's writer thread; resolves once everything handed over so far is
   * committed (the thread writes batches in order). A failed batch is kept for the next flush.
   */
  flush(): Promise<void> {
    if (this.buffer.length === 0) {
      return this.inflight;
    }
    const batch = this.buffer;
    this.buffer = [];
    this.inflight = this.logs.insertInBackground(batch).then(
      () => {
        this.failures = 0;
      },
      (error: Error) => {
        // Kept for the next tick (busy file, full disk), within bounds; reported on stderr, not through the
        // app logger (whose warnings would come back here).
        this.buffer = [...batch, ...this.buffer].slice(-MAX_BUFFERED);
        if (this.failures++ % 50 === 0) {
          process.stderr.write(`logs: batch of ${batch.length} not written: ${error.message}\n`);
        }
      },
    );
    return this.inflight;
  }

  private async tick(): Promise<void> {
    await Promise.all([this.flush(), this.refresh().catch(() => undefined)]);
  }

  /** Reads the policy now (a job about to apply it: the logs clean-up's `maxDays`) and returns it. */
  async refresh(): Promise<LogPolicy> {
    this.current = await this.source.read();
    return this.current;
  }
}
