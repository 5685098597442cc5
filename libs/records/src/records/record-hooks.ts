import type { FieldErrors } from '@lib/core';
import type { CollectionModel } from '@lib/schema';
import type { RecordData } from './record-codec';
import type { UnitOfWork } from './record-deps';
import type { RecordRequest } from './record-request';

/** A record write about to happen inside its transaction: what hooks see and may change. */
export interface RecordWriteEvent {
  action: 'create' | 'update' | 'delete';
  collection: CollectionModel;
  /** The record as it will be written (the body already applied); hooks change it in place. */
  data: RecordData;
  /** The fields the write sets; a field a hook sets joins it, so it is validated and relation-checked. */
  changed: Set<string>;
  /** Field errors found so far; a hook that sets a field replaces that field's error. */
  errors: FieldErrors;
  /** The stored record before an update or delete; null on create. */
  original: RecordData | null;
  request: RecordRequest;
  uow: UnitOfWork;
}

export type RecordRequestKind = 'list' | 'view' | 'create' | 'update' | 'delete' | 'auth';

/** An API request on records, around the service call: hooks may change the body before and the response after. */
export interface RecordRequestEvent {
  kind: RecordRequestKind;
  /** The collection id or name of the URL. */
  collection: string;
  /** The record id of the URL (view, update, delete) or the authenticated record's (auth). */
  id?: string;
  /** The transport request (a FastifyRequest for HTTP). */
  http: unknown;
  request: RecordRequest;
  /** The request body (create, update); hooks may change it before the operation. */
  body?: Record<string, unknown>;
  /** The authenticated record (auth requests). */
  record?: RecordData;
}

/**
 * The records lib's extension point, implemented by the hooks lib. `write` wraps a record write inside
 * its transaction (`persist` validates and writes, returning the stored record); `request` wraps an API
 * request (`handle` performs it with the possibly changed event and returns the response body).
 */
export abstract class RecordHooks {
  abstract write(event: RecordWriteEvent, persist: () => Promise<RecordData>): Promise<RecordData>;
  abstract request<T>(event: RecordRequestEvent, handle: (event: RecordRequestEvent) => Promise<T>): Promise<T>;

  /**
   * Whether `write` would run any hook (in the transaction or after its commit) for this action on this
   * collection. False lets a create without other work skip the transaction (see `DirectCreate`); an
   * implementation that can't tell answers true.
   */
  hasWriteHooks(_collection: CollectionModel, _action: RecordWriteEvent['action']): boolean {
    return true;
  }
}

/** No hooks: the operation runs as is. */
export class NoRecordHooks extends RecordHooks {
  override write(_event: RecordWriteEvent, persist: () => Promise<RecordData>): Promise<RecordData> {
    return persist();
  }

  override request<T>(event: RecordRequestEvent, handle: (event: RecordRequestEvent) => Promise<T>): Promise<T> {
    return handle(event);
  }

  override hasWriteHooks(): boolean {
    return false;
  }
}

export const NO_RECORD_HOOKS: RecordHooks = new NoRecordHooks();
