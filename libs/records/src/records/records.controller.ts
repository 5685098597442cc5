import { Controller, Delete, Get, HttpCode, Inject, Optional, Param, Patch, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { listParams, recordBody, recordRequest } from './http-request';
import { NO_RECORD_HOOKS, RecordHooks, type RecordRequestEvent, type RecordRequestKind } from './record-hooks';
import { RecordsService } from './records.service';

/** `?expand=`, read from the request's query values (made once per request, in `recordRequest`). */
function expandOf(e: RecordRequestEvent): string {
  return e.request.query.expand ?? '';
}

@Controller('api/collections/:collection/records')
export class RecordsController {
  private readonly hooks: RecordHooks;

  constructor(
    private readonly records: RecordsService,
    @Optional() @Inject(RecordHooks) hooks: RecordHooks | null = null,
  ) {
    this.hooks = hooks ?? NO_RECORD_HOOKS;
  }

  @Get()
  async list(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return await this.around('list', c, req, undefined, (e) =>
      this.records.list(c, listParams(e.request.query), e.request),
    );
  }

  @Get(':id')
  async view(@Param('collection') c: string, @Param('id') id: string, @Req() req: FastifyRequest) {
    return await this.around('view', c, req, id, (e) => this.records.view(c, id, expandOf(e), e.request));
  }

  @Post()
  @HttpCode(200)
  async create(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return await this.around('create', c, req, undefined, (e) =>
      this.records.create(c, e.body!, expandOf(e), e.request),
    );
  }

  @Patch(':id')
  async update(@Param('collection') c: string, @Param('id') id: string, @Req() req: FastifyRequest) {
    return await this.around('update', c, req, id, (e) => this.records.update(c, id, e.body!, expandOf(e), e.request));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('collection') c: string, @Param('id') id: string, @Req() req: FastifyRequest): Promise<void> {
    await this.around('delete', c, req, id, (e) => this.records.delete(c, id, e.request));
  }

  /** Runs an operation inside the request hooks (`onRecordsListRequest` …), which may change its response. */
  private around<T>(
    kind: RecordRequestKind,
    collection: string,
    http: FastifyRequest,
    id: string | undefined,
    handle: (e: RecordRequestEvent) => Promise<T>,
  ): Promise<T> {
    const body = kind === 'create' || kind === 'update' ? recordBody(http) : undefined;
    return this.hooks.request({ kind, collection, id, http, request: recordRequest(http), body }, handle);
  }
}
