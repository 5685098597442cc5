import type { FastifyRequest } from 'fastify';
import { BadRequestError, boolParam, getRequestAuth, headerValues, intParam, queryValues, readBody } from '@lib/core';
import type { ListParams } from './records.service';
import type { RecordRequest } from './record-request';

/** The transport-free request of a record operation. */
export function recordRequest(request: FastifyRequest, context = 'default'): RecordRequest {
  return {
    auth: getRequestAuth(request),
    query: queryValues(request),
    headers: headerValues(request),
    method: request.method,
    context,
  };
}

/** PocketBase's list params: page ≥ 1, perPage default 30 clamped to 1000, integers or a 400. */
export function listParams(query: Record<string, string>): ListParams {
  const page = intParam(query.page, 'page', 1);
  const perPage = intParam(query.perPage, 'perPage', 30);
  const limit = perPage <= 0 ? 30 : Math.min(perPage, 1000);
  if (page > 1 && (page - 1) * limit > Number.MAX_SAFE_INTEGER) {
    throw new BadRequestError('Invalid page value: the page is out of range for this perPage.');
  }
  return {
    page: page <= 0 ? 1 : page,
    perPage: limit,
    sort: query.sort ?? '',
    filter: query.filter ?? '',
    expand: query.expand ?? '',
    skipTotal: boolParam(query.skipTotal, 'skipTotal'),
  };
}

/** A record body with its uploads merged in under their part names (`avatar`, `docs+`, `+docs`). */
export function recordBody(request: FastifyRequest): Record<string, unknown> {
  const { data, files } = readBody(request);
  for (const [key, uploads] of Object.entries(files)) {
    data[key] = [...asList(data[key]), ...uploads];
  }
  return data;
}

/** A batch body: uploads named `requests.N.field` go into the body of request N. */
export function batchBody(request: FastifyRequest): Record<string, unknown> {
  const { data, files } = readBody(request);
  const requests = Array.isArray(data.requests) ? (data.requests as unknown[]) : [];
  for (const [key, uploads] of Object.entries(files)) {
    const match = /^requests\.(\d+)\.(.+)$/.exec(key);
    const item = match ? (requests[Number(match[1])] as { body?: Record<string, unknown> } | undefined) : undefined;
    if (!match || !item || typeof item !== 'object') {
      continue;
    }
    const body = (item.body ??= {});
    body[match[2]] = [...asList(body[match[2]]), ...uploads];
  }
  return data;
}

function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
