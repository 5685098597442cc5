import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { mimeForExt } from './dashboard-mime';

/**
 * The dashboard's CSP. Scripts only from this origin (no inline script, no eval); styles from this
 * origin plus inline style attributes/elements, which CodeMirror and the rich-text editor inject at run
 * time; images also as data:/blob: URLs (upload previews); API calls and realtime only to this origin.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>nestbase</title>
<p>The dashboard has not been built: run <code>npm run build</code>.</p>`;

export interface DashboardPaths {
  /** The built app (vite's outDir): index.html and assets/. */
  distDir: string;
  /** The data directory: `<dataDir>/public/custom.css` and `<dataDir>/public/extensions/*.js`. */
  dataDir: string;
}

/** Where `npm run build` puts the dashboard: dist/dashboard at the repository root. */
export function defaultDashboardDir(): string {
  // This file runs from dist/libs/core/src/platform/.
  return path.resolve(__dirname, '..', '..', '..', '..', 'dashboard');
}

const EXTENSION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}\.js$/;
const COMPRESSIBLE = /\.(js|css|svg|json|map)$/;
const ASSET_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}$/;

function noCache(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-cache, no-store, must-revalidate');
}

function readOrNull(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

/** Lists `<dataDir>/public/extensions/*.js` (sorted), the custom pages the dashboard loads. */
export function listExtensions(dataDir: string): string[] {
  try {
    return fs
      .readdirSync(path.join(dataDir, 'public', 'extensions'))
      .filter((name) => EXTENSION_NAME.test(name))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Serves the dashboard at `/_/`: `index.html` (no-cache, strict CSP), the hashed `assets/` (cached for a
 * year), `custom.css` and the custom pages from the data directory (no-cache). `/_` redirects to `/_/`.
 */
export function installDashboard(fastify: FastifyInstance, paths: DashboardPaths): void {
  const sendIndex = (reply: FastifyReply) => {
    const html = readOrNull(path.join(paths.distDir, 'index.html'));
    return noCache(reply)
      .header('content-security-policy', DASHBOARD_CSP)
      .header('referrer-policy', 'same-origin')
      .type('text/html; charset=utf-8')
      .send(html ?? NOT_BUILT);
  };
  fastify.get('/_', (request, reply) => {
    const query = request.url.indexOf('?');
    return reply.redirect(query === -1 ? '/_/' : `/_/${request.url.slice(query)}`, 301);
  });
  fastify.get('/_/', (_request, reply) => sendIndex(reply));
  fastify.get('/_/index.html', (_request, reply) => sendIndex(reply));
  // Assets are immutable (hashed names): gzipped once, kept in memory.
  const gzipped = new Map<string, Buffer>();
  fastify.get<{ Params: { name: string } }>('/_/assets/:name', (request, reply) => {
    const name = request.params.name;
    const body = ASSET_NAME.test(name) ? readOrNull(path.join(paths.distDir, 'assets', name)) : null;
    if (!body) {
      return reply.status(404).send({ status: 404, message: "The requested resource wasn't found.", data: {} });
    }
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('vary', 'Accept-Encoding')
      .type(mimeForExt(path.extname(name)));
    if (COMPRESSIBLE.test(name) && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      let packed = gzipped.get(name);
      if (!packed) {
        packed = gzipSync(body, { level: 9 });
        gzipped.set(name, packed);
      }
      return reply.header('content-encoding', 'gzip').send(packed);
    }
    return reply.send(body);
  });
  fastify.get('/_/custom.css', (_request, reply) => {
    // An empty sheet when there is none: the page links it unconditionally and a 404 would log an error.
    const css = readOrNull(path.join(paths.dataDir, 'public', 'custom.css'));
    return noCache(reply)
      .type('text/css; charset=utf-8')
      .send(css ?? '');
  });
  fastify.get('/_/extensions.json', (_request, reply) =>
    noCache(reply).send({ extensions: listExtensions(paths.dataDir) }),
  );
  fastify.get<{ Params: { name: string } }>('/_/extensions/:name', (request, reply) => {
    const name = request.params.name;
    const body = EXTENSION_NAME.test(name) ? readOrNull(path.join(paths.dataDir, 'public', 'extensions', name)) : null;
    if (!body) {
      return reply.status(404).send({ status: 404, message: "The requested resource wasn't found.", data: {} });
    }
    return noCache(reply).type('text/javascript; charset=utf-8').send(body);
  });
}
