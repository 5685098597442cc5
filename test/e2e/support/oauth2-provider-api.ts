// The parts of a provider's API that oauth2-mock-server has no route for, on a second free 127.0.0.1 port:
// GraphQL user queries sent as POST (Linear, monday.com), the secondary email lists (GitHub, Gitea and
// Bitbucket: `<user>/emails`; Gitee: `/emails` beside `/user`), a `/user` endpoint those live next to, and an
// avatar image. Each answers for the sign-in whose access token the mock issued (401 for any other).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';

import { freePort } from '@lib/testing';

import { makeImage } from './images';
import { mock } from './oauth2-mock';

export class ProviderApi {
  /** The last GraphQL request: its JSON body and headers. */
  lastGraphql: { body: unknown; headers: Record<string, unknown> } = { body: null, headers: {} };
  /** How many times the avatar was fetched. */
  avatarHits = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly avatar: Buffer,
  ) {
    server.on('request', (req, res) => void this.handle(req, res));
  }

  static async start(): Promise<ProviderApi> {
    const avatar = await makeImage(8, 8, 'png');
    const server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return new ProviderApi(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, avatar);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** A key set with the mock's key ids and algorithms but other keys: what a forged id_token meets. */
  private async impostorKeys(): Promise<{ keys: Record<string, unknown>[] }> {
    const real = (await (await fetch(`${mock().url}/jwks`)).json()) as { keys: Record<string, unknown>[] };
    const keys = real.keys.map((k) => {
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return { ...publicKey.export({ format: 'jwk' }), kid: k.kid, alg: k.alg, use: 'sig' };
    });
    return { keys };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const path = (req.url ?? '').split('?')[0];
    if (path === '/jwks-impostor') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await this.impostorKeys()));
      return;
    }
    if (path === '/avatar.png') {
      this.avatarHits += 1;
      res.writeHead(200, { 'content-type': 'image/png' }).end(this.avatar);
      return;
    }
    const shape = mock().shapeFor(String(req.headers.authorization ?? ''));
    if (!shape) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
      return;
    }
    let body: unknown;
    if (req.method === 'POST' && path === '/graphql') {
      this.lastGraphql = { body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: { ...req.headers } };
      body = shape.userinfo;
    } else if (req.method === 'GET' && path === '/user') {
      body = shape.userinfo;
    } else if (req.method === 'GET' && (path === '/user/emails' || path === '/emails') && shape.emails) {
      body = shape.emails;
    }
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

let current: ProviderApi | undefined;

/** Starts the provider API before this file's tests and stops it after them (with useOAuth2Mock). */
export function useProviderApi(): void {
  before(async () => {
    current = await ProviderApi.start();
  });
  after(async () => {
    await current?.stop();
    current = undefined;
  });
}

export function providerApi(): ProviderApi {
  if (!current) {
    throw new Error('the provider API is not running (useProviderApi)');
  }
  return current;
}
