import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '@lib/core';
import { DOCS_CSP, DOCS_HTML, DOCS_INIT_JS } from './docs-page';

/** The files of swagger-ui-dist the page uses, by name, with their types. Nothing else is served. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer | null;
}

/** `/api/docs`: Swagger UI from the installed swagger-ui-dist package (no CDN), on /api/openapi.json. */
@Controller('api/docs')
export class DocsController {
  private readonly assets = new Map<string, Asset>();

  @Get()
  page(@Res() reply: FastifyReply) {
    return reply
      .header('content-security-policy', DOCS_CSP)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(DOCS_HTML);
  }

  @Get('init.js')
  init(@Res() reply: FastifyReply) {
    return reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(DOCS_INIT_JS);
  }

  @Get(':name')
  asset(@Param('name') name: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const asset = this.load(name);
    reply.header('cache-control', 'public, max-age=86400').header('vary', 'Accept-Encoding').type(asset.type);
    if (asset.gzipped && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      return reply.header('content-encoding', 'gzip').send(asset.gzipped);
    }
    return reply.send(asset.body);
  }

  /** An asset read (and gzipped) once, on its first request. */
  private load(name: string): Asset {
    const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!type) {
      throw new NotFoundError();
    }
    let asset = this.assets.get(name);
    if (!asset) {
      const body = readFileSync(join(swaggerUiDir(), name));
      asset = { type, body, gzipped: type.startsWith('image/') ? null : gzipSync(body) };
      this.assets.set(name, asset);
    }
    return asset;
  }
}

/** Where the swagger-ui-dist package is installed. */
function swaggerUiDir(): string {
  return join(require.resolve('swagger-ui-dist/package.json'), '..');
}
