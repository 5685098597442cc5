import * as fs from 'node:fs';
import { LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { ApiErrorFilter, toEnvelope } from './api-error.filter';
import { installBodyParsers } from './request-body';

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  silent: [],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

export interface AppOptions {
  /** Serve `config.publicDir` at `/` (the standalone app and the gateway do). */
  servePublicDir?: boolean;
}

/**
 * Creates a Nest application on Fastify with what every nestbase app shares: body parsers,
 * PocketBase's error envelope, security headers, CORS and shutdown hooks.
 */
export async function createApp(module: Type<unknown>, config: AppConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimit, logger: false, routerOptions: { maxParamLength: 1000 } });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: LEVELS[config.logLevel],
    abortOnError: false,
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  await installBodyParsers(fastify, config.bodyLimit);
  fastify.setErrorHandler((error, _request, reply) => {
    const envelope = toEnvelope(error);
    void reply.status(envelope.status).send(envelope);
  });
  fastify.addHook('onSend', async (_request, reply) => {
    reply.header('X-XSS-Protection', '1; mode=block');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'SAMEORIGIN');
  });
  await app.register((await import('@fastify/cors')).default, {
    origin: true,
    methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'],
  });
  if (options.servePublicDir && fs.existsSync(config.publicDir)) {
    app.useStaticAssets({ root: config.publicDir, prefix: '/', wildcard: true });
  }
  app.useGlobalFilters(new ApiErrorFilter());
  return app;
}
