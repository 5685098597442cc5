import { Injectable } from '@nestjs/common';
import { RecordsServiceClient } from '@lib/core';
import type { LogEntry } from '../log-entry';
import { DEFAULT_LOG_POLICY, FRESH_EVERY_MS, LogPolicySource, type LogPolicy } from '../log-policy';
import { LogRepository } from '../log.repository';

/** Entries per `POST /api/_internal/logs`: a backlog kept through an outage goes over in several calls. */
export const REMOTE_LOG_BATCH = 1000;

/**
 * The log store of a process without a database (the realtime service with `--records`): its batches go to the
 * records service (`POST /api/_internal/logs`), which writes them to its log store. A failed call rejects, so the
 * writer keeps the batch for its next flush. Reading the logs is the records service's job.
 */
@Injectable()
export class RemoteLogRepository extends LogRepository {
  constructor(private readonly records: RecordsServiceClient) {
    super();
  }

  async insertInBackground(entries: LogEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += REMOTE_LOG_BATCH) {
      await this.records.post('/api/_internal/logs', { entries: entries.slice(i, i + REMOTE_LOG_BATCH) });
    }
  }

  list(): Promise<LogEntry[]> {
    return Promise.reject(this.elsewhere());
  }
  count(): Promise<number> {
    return Promise.reject(this.elsewhere());
  }
  findById(): Promise<LogEntry | null> {
    return Promise.reject(this.elsewhere());
  }
  stats(): Promise<never> {
    return Promise.reject(this.elsewhere());
  }
  deleteBefore(): Promise<number> {
    return Promise.reject(this.elsewhere());
  }
  deleteAll(): Promise<void> {
    return Promise.reject(this.elsewhere());
  }
  readonly inBackups = false;
  backupTo(): Promise<void> {
    return Promise.reject(this.elsewhere());
  }
  /** Nothing held open: every batch is one HTTP call. */
  async close(): Promise<void> {}

  private elsewhere(): Error {
    return new Error('this process has no log store: the records service keeps the logs');
  }
}

/**
 * The `logs` policy as the records service applies it (`GET /api/_internal/log-policy`), asked at most every
 * FRESH_EVERY_MS (the writer reads it every 200 ms: ten calls a second from every such process, each logged, were
 * most of an idle set's work); the last one known while it is unreachable.
 */
@Injectable()
export class RemoteLogPolicySource extends LogPolicySource {
  private last: LogPolicy = DEFAULT_LOG_POLICY;
  private askedAt = -Infinity;

  constructor(private readonly records: RecordsServiceClient) {
    super();
  }

  async read(): Promise<LogPolicy> {
    if (performance.now() - this.askedAt < FRESH_EVERY_MS) {
      return this.last;
    }
    this.askedAt = performance.now();
    try {
      this.last = (await this.records.get<{ policy: LogPolicy }>('/api/_internal/log-policy')).policy;
    } catch {
      // unreachable for now: the writer keeps going on the last policy it had
    }
    return this.last;
  }
}
