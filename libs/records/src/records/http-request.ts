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
  return {
    page: page <= 0 ? 1 : page,
    perPage: perPage <= 0 ? 30 : Math.min(perPage, 1000),
    sort: query.sort ?? '',
    filter: query.filter ?? '',
    expand: query.expand ?? '',
    skipTotal: boolParam(query.skipTotal, 'skipTotal'),
  };
}

/** A record body; file uploads are refused until file storage exists (issue: files). */
export function recordBody(request: FastifyRequest): Record<string, unknown> {
  const { data, files } = readBody(request);
  if (Object.keys(files).length > 0) {
    throw new BadRequestError('File uploads are not supported by this server yet.');
  }
  return data;
}
