import type { FastifyRequest } from 'fastify';
import { recordRequest, type RecordRequest } from '@lib/records';

/** A record request plus the client's address: login alerts fingerprint md5(IP + User-Agent). */
export interface ClientRequest extends RecordRequest {
  ip?: string;
}

/** `recordRequest(req)` with the client IP (Fastify's `request.ip`, which honours `trustProxy`). */
export function clientRequest(request: FastifyRequest, context = 'default'): ClientRequest {
  return { ...recordRequest(request, context), ip: request.ip };
}
