// A stand-in OAuth2 token endpoint: records what a server posts to it (the client secret among it) and refuses.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class TokenCatcher {
  readonly posts: URLSearchParams[] = [];
  /** The client secret of each post: HTTP Basic's password (tried first, as PocketBase does) or the form field. */
  readonly secrets: (string | null)[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<TokenCatcher> {
    const server = createServer();
    const catcher = new TokenCatcher(server);
    server.on('request', (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
        const password = basic ? Buffer.from(basic, 'base64').toString().split(':').slice(1).join(':') : null;
        catcher.posts.push(form);
        catcher.secrets.push(password === null ? form.get('client_secret') : decodeURIComponent(password));
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return catcher;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
