import { Injectable, Logger } from '@nestjs/common';
import { BadRequestError, type RequestAuth } from '@lib/core';
import type { CollectionModel } from '@lib/schema';
import {
  CollectionsRegistry,
  RecordHooks,
  type RecordData,
  type RecordRequest,
  type RecordRequestEvent as RequestPort,
  type RecordWriteEvent,
} from '@lib/records';
import { AFTER_ERROR, forCollection, HookRegistry } from './hook-registry';
import { HookDataService } from './hook-data.service';
import { runChain } from './hook-chain';
import { HookRecord } from './hook-record';
import { HookResponse } from './hook-response';
import type { HookRequestInfo, RecordEvent, RecordRequestEvent } from './hook-types';

/** The hooks lib's side of the records lib's `RecordHooks` port: write hooks, after-commit hooks, request hooks. */
@Injectable()
export class RecordHookRunner extends RecordHooks {
  private readonly logger = new Logger('hooks');

  constructor(
    private readonly registry: HookRegistry,
    private readonly data: HookDataService,
    private readonly collections: CollectionsRegistry,
  ) {
    super();
  }

  override async write(port: RecordWriteEvent, persist: () => Promise<RecordData>): Promise<RecordData> {
    const c = port.collection;
    const chain = forCollection(this.registry.write[port.action], c);
    const after = forCollection(this.registry.after[port.action], c);
    const failed = this.registry.handlers<RecordEvent>(AFTER_ERROR[port.action], c);
    if (chain.length === 0 && after.length === 0 && failed.length === 0) {
      return persist();
    }
    const tracking = { changed: port.changed, errors: port.errors, isNew: port.action === 'create' };
    const event: RecordEvent = {
      app: this.data.api(port.uow),
      action: port.action,
      record: new HookRecord(c, port.data, port.original, tracking),
      collection: { id: c.id, name: c.name, type: c.type },
      auth: this.auth(port.request.auth),
      request: info(port.request),
      next: async () => undefined,
    };
    let saved: RecordData | undefined;
    try {
      await runChain(chain, event, async () => {
        saved = await persist();
        event.record.markStored(saved);
      });
    } catch (error) {
      if (failed.length > 0) {
        // as PocketBase: once the failed write rolled back, so what they write stays
        const e: RecordEvent = { ...event, app: this.data.api(null), error, next: async () => undefined };
        port.uow.onRollback.push(() => this.runHandlers(failed, e, `${AFTER_ERROR[port.action]} of ${c.name}`));
      }
      throw error;
    }
    if (saved === undefined) {
      throw new BadRequestError('The operation was stopped by a hook.');
    }
    if (after.length > 0) {
      const stored = saved;
      port.uow.afterCommit.push(() => this.runAfter(after, { ...event, app: this.data.api(null) }, stored));
    }
    return saved;
  }

  override hasWriteHooks(c: CollectionModel, action: RecordWriteEvent['action']): boolean {
    return (
      forCollection(this.registry.write[action], c).length > 0 ||
      forCollection(this.registry.after[action], c).length > 0 ||
      this.registry.handlers(AFTER_ERROR[action], c).length > 0
    );
  }

  override async request<T>(port: RequestPort, handle: (event: RequestPort) => Promise<T>): Promise<T> {
    const c = this.collections.findCollection(port.collection);
    const chain = c ? forCollection(this.registry.request[port.kind], c) : [];
    if (!c || chain.length === 0) {
      return handle(port);
    }
    let status = 0;
    const event: RecordRequestEvent = {
      app: this.data.api(null),
      kind: port.kind,
      collection: { id: c.id, name: c.name, type: c.type },
      auth: this.auth(port.request.auth),
      request: info(port.request),
      recordId: port.kind === 'auth' ? undefined : port.id,
      body: port.body,
      record: port.record ? new HookRecord(c, port.record, port.record) : undefined,
      response: undefined,
      json: (code, body) => {
        status = code;
        event.response = body;
      },
      next: async () => undefined,
    };
    const reached = await runChain(chain, event, async () => {
      event.response = await handle({ ...port, body: event.body });
    });
    if (status !== 0 || !reached) {
      throw new HookResponse(status || 400, status ? event.response : stopped());
    }
    return event.response as T;
  }

  /** Runs each handler (a failure is logged, the next one still runs). */
  private async runHandlers(handlers: ((e: RecordEvent) => unknown)[], e: RecordEvent, what: string): Promise<void> {
    for (const handler of handlers) {
      try {
        await handler(e);
      } catch (error) {
        this.logger.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
  }

  private async runAfter(handlers: ((e: RecordEvent) => unknown)[], event: RecordEvent, saved: RecordData) {
    const e: RecordEvent = { ...event, record: new HookRecord(event.record.collectionModel(), { ...saved }, saved) };
    for (const handler of handlers) {
      try {
        await handler(e);
      } catch (error) {
        this.logger.error(
          `after-${event.action} hook of ${event.collection.name}/${e.record.id} failed (the record is saved): ${
            error instanceof Error ? (error.stack ?? error.message) : String(error)
          }`,
        );
      }
    }
  }

  private auth(auth: RequestAuth | null): HookRecord | null {
    const c = auth && auth.record.id ? this.collections.findCollection(auth.collectionId) : undefined;
    return c && auth ? new HookRecord(c, { ...auth.record }, auth.record) : null;
  }
}

function info(req: RecordRequest): HookRequestInfo {
  return { method: req.method, headers: req.headers, query: req.query, context: req.context };
}

function stopped() {
  return { status: 400, message: 'The request was stopped by a hook.', data: {} };
}
