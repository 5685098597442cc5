import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyReply } from 'fastify';
import { openBaselineDb, type BaselineDb, type DriverName, type Row } from './baseline-db';

/**
 * The raw baseline: plain Fastify and one SQLite driver running the SQL nestbase runs for the same
 * three endpoints of a `posts` collection whose rules are `owner = @request.auth.id`, with no
 * framework in between. Usage: `node dist/bench/records/baseline-server.js <port> <dbfile> <driver>`.
 */

interface Context {
  db: BaselineDb;
  postsId: string;
  usersId: string;
  authSecret: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function newId(): string {
  let out = '';
  while (out.length < 15) {
    for (const b of randomBytes(24)) {
      if (b < 252 && out.length < 15) {
        out += ALPHABET[b % 36];
      }
    }
  }
  return out;
}

const now = (): string => new Date().toISOString().replace('T', ' ');

/** PocketBase's token check: HS256 over `tokenKey + collection secret`, after one user lookup by id. */
async function authUser(ctx: Context, header: string | undefined): Promise<Row | null> {
  if (!header) {
    return null;
  }
  const token = header.replace(/^bearer\s+/i, '').trim();
  const [head, body, sig] = token.split('.');
  if (!head || !body || !sig) {
    return null;
  }
  let claims: { id?: unknown; type?: unknown; collectionId?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return null;
  }
  if (claims.type !== 'auth' || claims.collectionId !== ctx.usersId || typeof claims.id !== 'string') {
    return null;
  }
  const user = await ctx.db.get('SELECT "r".* FROM "users" "r" WHERE "r"."id" = ? LIMIT 1', [claims.id]);
  if (!user) {
    return null;
  }
  const expected = createHmac('sha256', String(user.tokenKey) + ctx.authSecret)
    .update(`${head}.${body}`)
    .digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return null;
  }
  if (typeof claims.exp === 'number' && claims.exp < Date.now() / 1000) {
    return null;
  }
  return user;
}

function exportPost(ctx: Context, row: Row): Record<string, unknown> {
  return {
    collectionId: ctx.postsId,
    collectionName: 'posts',
    id: row.id,
    title: row.title,
    views: row.views,
    owner: row.owner,
    created: row.created,
    updated: row.updated,
  };
}

const notFound = (reply: FastifyReply) =>
  reply.code(404).send({ status: 404, message: "The requested resource wasn't found.", data: {} });

/** The needle of a `title ~ '...'` filter, the only filter shape the benchmark sends. */
function likeNeedle(filter: string | undefined): string | null {
  const m = /^\s*title\s*~\s*'([^']*)'\s*$/.exec(filter ?? '');
  return m ? `%${m[1].replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
}

async function main(): Promise<void> {
  const [portArg, file, driverArg] = process.argv.slice(2);
  if (!portArg || !file || (driverArg !== 'better-sqlite3' && driverArg !== 'sqlite3')) {
    process.stderr.write('usage: baseline-server <port> <dbfile> <better-sqlite3|sqlite3>\n');
    process.exit(2);
  }
  const driver: DriverName = driverArg;
  const db = await openBaselineDb(driver, file);
  const posts = await db.get('SELECT id FROM _collections WHERE name = ?', ['posts']);
  const users = await db.get('SELECT id, data FROM _collections WHERE name = ?', ['users']);
  if (!posts || !users) {
    throw new Error('collections posts/users missing');
  }
  const ctx: Context = {
    db,
    postsId: String(posts.id),
    usersId: String(users.id),
    authSecret: (JSON.parse(String(users.data)) as { authToken: { secret: string } }).authToken.secret,
  };

  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024 });
  app.get('/api/health', async () => ({ code: 200, message: 'API is healthy.', data: {} }));

  app.get<{ Querystring: { filter?: string; sort?: string; perPage?: string; page?: string } }>(
    '/api/collections/posts/records',
    async (request) => {
      const user = await authUser(ctx, request.headers.authorization);
      const perPage = Math.min(500, Math.max(1, Number(request.query.perPage ?? 30) || 30));
      const page = Math.max(1, Number(request.query.page ?? 1) || 1);
      if (!user) {
        return { page, perPage, totalItems: 0, totalPages: 0, items: [] };
      }
      const needle = likeNeedle(request.query.filter);
      const where = needle === null ? '"r"."owner" = ?' : `"r"."owner" = ? AND "r"."title" LIKE ? ESCAPE '\\'`;
      const params = needle === null ? [user.id] : [user.id, needle];
      const order = request.query.sort === '-created' ? ' ORDER BY "r"."created" DESC' : '';
      const rows = await db.all(`SELECT "r".* FROM "posts" "r" WHERE ${where}${order} LIMIT ? OFFSET ?`, [
        ...params,
        perPage,
        (page - 1) * perPage,
      ]);
      const count = await db.get(`SELECT COUNT(*) AS "n" FROM "posts" "r" WHERE ${where}`, params);
      const totalItems = Number(count?.n ?? 0);
      return {
        page,
        perPage,
        totalItems,
        totalPages: Math.ceil(totalItems / perPage),
        items: rows.map((r) => exportPost(ctx, r)),
      };
    },
  );

  app.get<{ Params: { id: string } }>('/api/collections/posts/records/:id', async (request, reply) => {
    const user = await authUser(ctx, request.headers.authorization);
    if (!user) {
      return notFound(reply);
    }
    const row = await db.get('SELECT "r".* FROM "posts" "r" WHERE "r"."id" = ? AND "r"."owner" = ? LIMIT 1', [
      request.params.id,
      user.id,
    ]);
    return row ? exportPost(ctx, row) : notFound(reply);
  });

  app.post<{ Body: { title?: string; views?: number; owner?: string } }>(
    '/api/collections/posts/records',
    async (request, reply) => {
      const user = await authUser(ctx, request.headers.authorization);
      if (!user) {
        return reply.code(400).send({ status: 400, message: 'Failed to create record.', data: {} });
      }
      const body = request.body ?? {};
      const id = newId();
      const stamp = now();
      await db.run(
        'INSERT INTO "posts" ("id", "title", "views", "owner", "created", "updated") VALUES (?, ?, ?, ?, ?, ?)',
        [
          id,
          typeof body.title === 'string' ? body.title : '',
          Number(body.views ?? 0) || 0,
          typeof body.owner === 'string' ? body.owner : '',
          stamp,
          stamp,
        ],
      );
      const row = await db.get('SELECT "r".* FROM "posts" "r" WHERE "r"."id" = ? LIMIT 1', [id]);
      return exportPost(ctx, row!);
    },
  );

  const shutdown = () => {
    app
      .close()
      .then(() => db.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  await app.listen({ port: Number(portArg), host: '127.0.0.1' });
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline-server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
