import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { BadRequestError, InternalSecretGuard, isPlainObject } from '@lib/core';
import type { LogEntry } from '../log-entry';
import { LogPolicySource, type LogPolicy } from '../log-policy';
import { LogRepository } from '../log.repository';
import { REMOTE_LOG_BATCH } from './remote-logs';

const ID = /^[a-z0-9]{1,32}$/;
const CREATED = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/;

/** One entry as a remote process sent it, or null when it isn't one. */
function toEntry(raw: unknown): LogEntry | null {
  if (!isPlainObject(raw)) {
    return null;
  }
  const { id, created, level, message, data } = raw;
  const ok =
    typeof id === 'string' &&
    ID.test(id) &&
    typeof created === 'string' &&
    CREATED.test(created) &&
    Number.isInteger(level) &&
    typeof message === 'string' &&
    isPlainObject(data);
  return ok ? { id, created, level: level as number, message, data } : null;
}

/**
 * `/api/_internal/logs` (records service, behind `NB_INTERNAL_SECRET`): processes without a database — the
 * realtime service with `--records` — hand their request and app log batches to this service's log store
 * (`auxiliary.db`, or `_logs` on PostgreSQL), and read the `logs` policy they apply.
 */
@Controller('api/_internal')
@UseGuards(InternalSecretGuard)
export class LogsInternalController {
  constructor(
    private readonly logs: LogRepository,
    private readonly policy: LogPolicySource,
  ) {}

  @Post('logs')
  @HttpCode(204)
  async append(@Body() body: unknown): Promise<void> {
    const raw = isPlainObject(body) ? body.entries : undefined;
    if (!Array.isArray(raw) || raw.length > REMOTE_LOG_BATCH) {
      throw new BadRequestError(`Expected {entries: [...]} with at most ${REMOTE_LOG_BATCH} log entries.`);
    }
    const entries = raw.map(toEntry);
    if (entries.some((e) => e === null)) {
      throw new BadRequestError('Every entry needs id, created, level, message and data.');
    }
    await this.logs.insertInBackground(entries as LogEntry[]);
  }

  @Get('log-policy')
  async read(): Promise<{ policy: LogPolicy }> {
    return { policy: await this.policy.read() };
  }
}
