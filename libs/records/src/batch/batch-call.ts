import { BadRequestError, decodeUrlPart } from '@lib/core';
import type { RecordRequest } from '../records/record-request';

export interface BatchItem {
  method?: unknown;
  url?: unknown;
  headers?: unknown;
  body?: unknown;
}

/**
 * What one batch item asks for: its action on a collection's record (an upsert's id: its body's `id`, when a
 * non-empty string), with the request it runs as.
 */
export type BatchCall = {
  collection: string;
  data: Record<string, unknown>;
  query: Record<string, string>;
  req: RecordRequest;
} & (
  | { action: 'create'; id?: undefined }
  | { action: 'upsert'; id: string | undefined }
  | { action: 'update' | 'delete'; id: string }
);

const RECORDS_URL = /^\/api\/collections\/([^/?#]+)\/records(?:\/([^/?#]+))?\/?(?:\?(.*))?$/;

/** Reads a batch item (its shape already checked); throws the 400 of an unknown url or action. */
export function batchCall(item: BatchItem, outer: RecordRequest): BatchCall {
  const method = typeof item?.method === 'string' ? item.method.toUpperCase() : '';
  const url = typeof item?.url === 'string' && item.url.length <= 2000 ? item.url : '';
  const match = RECORDS_URL.exec(url);
  if (!match) {
    throw new BadRequestError('Invalid batch request url.');
  }
  const collection = decodeUrlPart(match[1], 'batch request url');
  const id = match[2] === undefined ? undefined : decodeUrlPart(match[2], 'batch request url');
  const query = Object.fromEntries(new URLSearchParams(match[3] ?? ''));
  const headers = { ...outer.headers };
  if (item.headers && typeof item.headers === 'object') {
    for (const [k, v] of Object.entries(item.headers as Record<string, unknown>)) {
      if (k.toLowerCase() !== 'authorization') {
        headers[k.toLowerCase().replace(/-/g, '_')] = String(v);
      }
    }
  }
  const req: RecordRequest = { ...outer, query, headers, method, context: 'batch' };
  const data =
    item.body && typeof item.body === 'object' && !Array.isArray(item.body)
      ? (item.body as Record<string, unknown>)
      : {};
  const call = { collection, data, query, req };
  if (method === 'POST' && !id) {
    return { action: 'create', ...call };
  }
  if (method === 'PUT' && !id) {
    const given = typeof data.id === 'string' && data.id !== '' ? data.id : undefined;
    return { action: 'upsert', id: given, ...call };
  }
  if (method === 'PATCH' && id) {
    return { action: 'update', id, ...call };
  }
  if (method === 'DELETE' && id) {
    return { action: 'delete', id, ...call };
  }
  throw new BadRequestError('Unsupported batch request action.');
}
