import { Injectable } from '@nestjs/common';
import { intParam, NotFoundError } from '@lib/core';
import { Database } from '@lib/database';
import { QueryCompiler } from '@lib/query';
import type { LogEntry, LogStat } from './log-entry';
import { LogRepository } from './log.repository';
import { LogsQuery } from './logs-query';

export interface LogsPage {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: LogEntry[];
}

/** `GET /api/logs`, `/api/logs/stats`, `/api/logs/{id}` over the log store. */
@Injectable()
export class LogsService {
  private readonly query: LogsQuery;

  constructor(
    private readonly logs: LogRepository,
    compiler: QueryCompiler,
    database: Database,
  ) {
    this.query = new LogsQuery(compiler, database.engine);
  }

  async list(params: Record<string, string>): Promise<LogsPage> {
    const page = Math.max(1, intParam(params.page, 'page', 1));
    const asked = intParam(params.perPage, 'perPage', 30);
    const perPage = asked <= 0 ? 30 : Math.min(asked, 1000);
    const where = this.query.filter(params.filter);
    const orderBy = this.query.sort(params.sort);
    const items = await this.logs.list(where, orderBy, perPage, (page - 1) * perPage);
    if (['1', 't', 'true'].includes((params.skipTotal ?? '').toLowerCase())) {
      return { page, perPage, totalItems: -1, totalPages: -1, items };
    }
    const totalItems = await this.logs.count(where);
    return { page, perPage, totalItems, totalPages: Math.ceil(totalItems / perPage), items };
  }

  stats(params: Record<string, string>): Promise<LogStat[]> {
    return this.logs.stats(this.query.filter(params.filter));
  }

  async view(id: string): Promise<LogEntry> {
    const entry = await this.logs.findById(id);
    if (!entry) {
      throw new NotFoundError();
    }
    return entry;
  }

  truncate(): Promise<void> {
    return this.logs.deleteAll();
  }
}
