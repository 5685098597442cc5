import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getRequestAuth, getRequestError, realIp } from '@lib/core';
import { LOG_LEVEL } from './log-entry';
import { LogWriter } from './log-writer';

/**
 * Logs every API request the way PocketBase does (`data.type = "request"`): method, url, status, execTime (ms),
 * auth collection (and id with `logs.logAuthId`), userIP and remoteIP (with `logs.logIP`), referer, userAgent,
 * and for an error response its message and details. Errors are level 8 (error), the rest 0 (info).
 */
@Injectable()
export class RequestLogger implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly writer: LogWriter,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onResponse', (request, reply, done) => {
      this.log(request, reply);
      done();
    });
  }

  private log(request: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    const level = status >= 400 ? LOG_LEVEL.error : LOG_LEVEL.info;
    const url = request.url;
    // the services' internal calls (`/api/_internal/…`) are not API requests
    const api =
      url === '/api' || url.startsWith('/api?') || (url.startsWith('/api/') && !url.startsWith('/api/_internal/'));
    if (!this.writer.accepts(level) || !api) {
      return;
    }
    const policy = this.writer.policy;
    const auth = getRequestAuth(request);
    const data: Record<string, unknown> = {
      type: 'request',
      url,
      method: request.method,
      status,
      execTime: Math.round(reply.elapsedTime * 1000) / 1000,
      auth: auth?.collectionName ?? '',
      referer: request.headers.referer ?? '',
      userAgent: request.headers['user-agent'] ?? '',
    };
    if (policy.logAuthId && auth) {
      data.authId = typeof auth.record.id === 'string' ? auth.record.id : '';
    }
    if (policy.logIP) {
      data.userIP = realIp(request.headers, request.ip, policy.proxyHeaders, policy.useLeftmostIP);
      data.remoteIP = request.ip;
    }
    const error = status >= 400 ? getRequestError(request) : null;
    if (error) {
      data.error = error.message;
      if (error.details) {
        data.details = error.details;
      }
    }
    this.writer.write(level, `${request.method} ${url}`, data);
  }
}
