// Sends a generated request exactly as generated (node:http: the path is not normalized, the body bytes are
// as built) and judges the answer: never a 5xx but a declared 503 in the envelope, the envelope on every JSON
// error, and nothing the rules hide in an answer to anyone but the superuser.
import { request as httpRequest } from 'node:http';

import type { FuzzRequest } from './requests';
import type { World } from './world';

export interface FuzzAnswer {
  status: number;
  contentType: string;
  text: string;
}

const TIMEOUT_MS = 60_000;

/** The request on a fresh connection; a transport failure (reset, timeout) is an answer of status 0. */
export function send(baseUrl: string, req: FuzzRequest, world: World): Promise<FuzzAnswer> {
  const base = new URL(baseUrl);
  const headers: Record<string, string> = { ...req.headers, connection: 'close' };
  const token = world.tokens[req.auth];
  if (token !== undefined) {
    headers.authorization = token;
  }
  if (req.body !== undefined) {
    headers['content-length'] = String(req.body.length);
  }
  return new Promise((resolve) => {
    const done = (answer: FuzzAnswer) => resolve(answer);
    const out = httpRequest(
      { host: base.hostname, port: base.port, method: req.method, path: req.target, headers, timeout: TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => done({ status: 0, contentType: '', text: `response error: ${e.message}` }));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    out.on('timeout', () => out.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    out.on('error', (e) => done({ status: 0, contentType: '', text: `request error: ${e.message}` }));
    out.end(req.body);
  });
}

/**
 * The errors that are not the envelope, as in PocketBase: the OAuth2 redirect's pages (HTML for the browser that
 * lands there) and an unsatisfiable byte range of a file (416, no body).
 */
function declaredOther(req: FuzzRequest, status: number): boolean {
  const path = req.target.split('?')[0];
  return path === '/api/oauth2-redirect' || (status === 416 && path.startsWith('/api/files/'));
}

function isEnvelope(text: string, status: number): boolean {
  try {
    const body = JSON.parse(text) as { status?: unknown; message?: unknown; data?: unknown };
    return (
      body.status === status &&
      typeof body.message === 'string' &&
      typeof body.data === 'object' &&
      body.data !== null &&
      !Array.isArray(body.data)
    );
  } catch {
    return false;
  }
}

/** What is wrong with `answer` to `req` (empty: nothing). */
export function problems(req: FuzzRequest, answer: FuzzAnswer, world: World): string[] {
  const out: string[] = [];
  const { status } = answer;
  if (status === 0) {
    out.push(`no HTTP answer (${answer.text})`);
  } else if (status >= 500 && !(status === 503 && isEnvelope(answer.text, 503))) {
    out.push(`answered ${status}`);
  }
  if (status === 415) {
    out.push('answered 415 where PocketBase answers 400');
  }
  if (status >= 400 && req.method !== 'HEAD' && !isEnvelope(answer.text, status) && !declaredOther(req, status)) {
    out.push(`a ${status} answer outside the {status, message, data} envelope`);
  }
  if (req.auth !== 'superuser') {
    for (const marker of world.markers) {
      if (answer.text.includes(marker)) {
        out.push(`showed ${marker.split('_')[0]} data to a non-superuser (${req.auth})`);
      }
    }
  }
  return out;
}

/** A readable account of a failing request and its answer. */
export function describeFailure(req: FuzzRequest, answer: FuzzAnswer, found: string[]): string {
  const body = req.body === undefined ? '(none)' : JSON.stringify(req.body.toString('utf8').slice(0, 600));
  return [
    `${found.join('; ')}`,
    `  request: ${req.method} ${req.target.slice(0, 600)}`,
    `  auth: ${req.auth}, headers: ${JSON.stringify(req.headers)}`,
    `  body: ${body}`,
    `  answer: ${answer.status} ${answer.contentType} ${answer.text.slice(0, 600)}`,
  ].join('\n');
}
