import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { nowString, randomString } from '@lib/core';
import { SettingsService } from '@lib/records';
import { LogRepository } from './log.repository';
import type { LogEntry } from './log-entry';

/** The `logs` settings as the writer applies them. */
export interface LogPolicy {
  /** `logs.maxDays` > 0: entries are kept (0 turns logging off, as in PocketBase). */
  enabled: boolean;
  maxDays: number;
  minLevel: number;
  logIP: boolean;
  logAuthId: boolean;
  /** `trustedProxy`: headers holding the client address (lower-cased), and which end of a list to take. */
  proxyHeaders: string[];
  useLeftmostIP: boolean;
}

const FLUSH_MS = 200;
const FLUSH_AT = 500;
/** Entries kept in memory at most when the database can't take them (the oldest are dropped). */
const MAX_BUFFERED = 20_000;

/**
 * Collects log entries in memory and writes them to the auxiliary database in batches, on a timer, off the
 * request path: a request costs one object in an array. The `logs` settings are re-read at every flush.
 */
@Injectable()
export class LogWriter implements OnModuleInit, OnApplicationShutdown {
  private buffer: LogEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private current: LogPolicy = {
    enabled: true,
    maxDays: 5,
    minLevel: 0,
    logIP: true,
    logAuthId: false,
    proxyHeaders: [],
    useLeftmostIP: false,
  };
  private failures = 0;

  constructor(
    private readonly logs: LogRepository,
    private readonly settings: SettingsService,
  ) {}

  get policy(): LogPolicy {
    return this.current;
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.tick(), FLUSH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    this.flush();
  }

  /** True when an entry of `level` would be kept (callers skip building it otherwise). */
  accepts(level: number): boolean {
    return this.current.enabled && level >= this.current.minLevel;
  }

  write(level: number, message: string, data: Record<string, unknown>): void {
    if (!this.accepts(level)) {
      return;
    }
    this.buffer.push({ id: randomString(15), created: nowString(), level, message, data });
    if (this.buffer.length >= FLUSH_AT) {
      setImmediate(() => this.flush());
    }
  }

  /** Writes what is buffered now (tests and shutdown call it directly). */
  flush(): void {
    if (this.buffer.length === 0) {
      return;
    }
    const batch = this.buffer;
    this.buffer = [];
    try {
      this.logs.insertMany(batch);
      this.failures = 0;
    } catch (error) {
      // Kept for the next tick (busy file, full disk), within bounds; reported on stderr, not through the
      // app logger (whose warnings would come back here).
      this.buffer = [...batch, ...this.buffer].slice(-MAX_BUFFERED);
      if (this.failures++ % 50 === 0) {
        process.stderr.write(`logs: batch of ${batch.length} not written: ${(error as Error).message}\n`);
      }
    }
  }

  private async tick(): Promise<void> {
    this.flush();
    await this.refresh().catch(() => undefined);
  }

  private async refresh(): Promise<void> {
    const settings = await this.settings.get();
    const logs = (settings.logs ?? {}) as Partial<Record<keyof LogPolicy, unknown>>;
    const proxy = (settings.trustedProxy ?? {}) as { headers?: unknown; useLeftmostIP?: unknown };
    const maxDays = Number(logs.maxDays ?? 5);
    this.current = {
      enabled: maxDays > 0,
      maxDays,
      minLevel: Number(logs.minLevel ?? 0),
      logIP: logs.logIP !== false,
      logAuthId: logs.logAuthId === true,
      proxyHeaders: Array.isArray(proxy.headers) ? proxy.headers.map((h) => String(h).toLowerCase()) : [],
      useLeftmostIP: proxy.useLeftmostIP === true,
    };
  }
}
