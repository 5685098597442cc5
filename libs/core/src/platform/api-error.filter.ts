import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, RawBodyError } from '../errors/api-error';
import { capEcho, echo } from '../errors/echo';
import { setRequestError } from '../contracts/request-error';

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Something went wrong while processing your request.',
  401: 'Missing or invalid authentication.',
  403: 'You are not allowed to perform this request.',
  404: "The requested resource wasn't found.",
  413: 'Request entity too large.',
  414: 'Request URI too long.',
  429: 'Too Many Requests.',
  500: 'Something went wrong while processing your request.',
};

export interface ErrorEnvelope {
  status: number;
  message: string;
  data: Record<string, unknown>;
}

const logger = new Logger('ApiError');

/** Maps anything thrown while handling a request to PocketBase's `{ status, message, data }`. */
export function toEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof ApiError) {
    return { status: error.status, message: echo(error.message), data: capEcho(error.data) as Record<string, unknown> };
  }
  if (outOfSpace(error)) {
    logger.error(`out of storage space: ${error instanceof Error ? error.message : String(error)}`);
    return { status: 507, message: 'Not enough storage space on the server.', data: {} };
  }
  let status = 500;
  if (error instanceof HttpException) {
    status = error.getStatus();
  } else if (error && typeof error === 'object' && 'statusCode' in error) {
    status = Number((error as { statusCode: number }).statusCode) || 500;
  } else if (error instanceof SyntaxError) {
    status = 400;
  }
  if (status === 415) {
    // An unreadable or unsupported content type, however it got here (Fastify's own error, or Nest's
    // HttpException around it): PocketBase answers 400.
    return { status: 400, message: 'Unsupported Content-Type.', data: {} };
  }
  if (status >= 500) {
    logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    status = 500;
  }
  return { status, message: DEFAULT_MESSAGES[status] ?? DEFAULT_MESSAGES[400], data: {} };
}

/**
 * A full disk (or quota) under the data dir, from any layer: SQLite's SQLITE_FULL (TypeORM keeps it as
 * `driverError`), a file write's ENOSPC/EDQUOT, possibly wrapped as a `cause`. Nothing was stored: a 507.
 */
function outOfSpace(error: unknown): boolean {
  let current = error as { code?: unknown; cause?: unknown; driverError?: unknown } | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const code = typeof current.code === 'string' ? current.code : '';
    if (code === 'ENOSPC' || code === 'EDQUOT' || code.startsWith('SQLITE_FULL')) {
      return true;
    }
    current = (current.driverError ?? current.cause) as typeof current;
  }
  return false;
}

@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof RawBodyError) {
      void reply.status(error.status).header('content-type', 'application/json; charset=utf-8').send(error.body);
      return;
    }
    const envelope = toEnvelope(error);
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    // An error before the body was read in full (a failed upload): the rest of the body is still on the
    // socket, so this connection can't carry another request. Say so, or the client reuses it and is reset.
    if (request?.raw && !request.raw.complete) {
      void reply.header('connection', 'close');
    }
    setRequestError(request, {
      message: envelope.message,
      details: details(error, envelope.data),
    });
    void reply.status(envelope.status).header('content-type', 'application/json; charset=utf-8').send(envelope);
  }
}

/** The request log's `details`: the field errors of a 4xx, the original message of anything else. */
function details(error: unknown, data: Record<string, unknown>): string {
  if (error instanceof ApiError) {
    return Object.keys(data).length > 0 ? JSON.stringify(data) : '';
  }
  return error instanceof Error ? error.message : String(error);
}
