import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
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

@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof RawBodyError) {
      void reply.status(error.status).header('content-type', 'application/json; charset=utf-8').send(error.body);
      return;
    }
    const envelope = toEnvelope(error);
    setRequestError(host.switchToHttp().getRequest(), {
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
