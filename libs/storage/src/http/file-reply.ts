import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FileRequestHeaders, FileResponse } from './file-response';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The conditional and range headers of a file request. */
export function fileRequestHeaders(request: FastifyRequest): FileRequestHeaders {
  return {
    range: header(request, 'range'),
    ifRange: header(request, 'if-range'),
    ifNoneMatch: header(request, 'if-none-match'),
    ifModifiedSince: header(request, 'if-modified-since'),
  };
}

/** Writes a file answer; the body is streamed, never buffered. */
export function sendFile(reply: FastifyReply, response: FileResponse): void {
  void reply.status(response.status).headers(response.headers);
  void (response.body ? reply.send(response.body) : reply.send());
}
