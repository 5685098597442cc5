import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyReply } from 'fastify';
import { openBaselineDb, type BaselineDb, type DriverName, type Row } from './baseline-db';

/**
 * The raw baseline: plain Fastify and one SQLite driver running the SQL nestbase runs for the same
 * endpoints of a `todos` collection whose rules are `owner = @request.auth.id` (list with and without totals,
 * view, create) and the users' auth-refresh, with no framework in between. Usage: `node dist/bench/records/baseline-server.js <port> <dbfile> <driver>`.
 */

interface Context {
  db: BaselineDb;
  todosId: string;
  usersId: string;
  authSecret: string;
  authDuration: number;
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

function exportTodo(ctx: Context, row: Row): Record<string, unknown> {
  return {
    collectionId: ctx.todosId,
    collectionName: 'todos',
    id: row.id,
    title: row.title,
    completed: row.completed === 1,
    owner: row.owner,
    created: row.created,
    updated: row.updated,
  };
}

/** The user as its own auth-refresh shows it: every column but the hidden ones, booleans as booleans. */
function exportUser(ctx: Context, row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = { collectionId: ctx.usersId, collectionName: 'users' };
  for (const [name, value] of Object.entries(row)) {
    if (name !== 'password' && name !== 'tokenKey') {
      out[name] = name === 'verified' || name === 'emailVisibility' ? value === 1 : value;
    }
  }
  return out;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function signToken(ctx: Context, user: Row): string {
  const claims = { id: user.id, type: 'auth', collectionId: ctx.usersId, refreshable: true, exp: 0 };
  claims.exp = Math.floor(Date.now() / 1000) + ctx.authDuration;
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const key = String(user.tokenKey) + ctx.authSecret;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

const notFound = (reply: FastifyReply) =>
  reply.code(404).send({ status: 404, message: "The requested resource wasn't found.", data: {} });

/** The WHERE nestbase's rule `owner = @request.auth.id` and filter `completed=false` compile to. */
const LIST_WHERE = ' WHERE (("r"."owner" = COALESCE(?, \'\')) AND ("r"."completed" = 0))';

async function main(): Promise<void> {
  const [portArg, file, driverArg] = process.argv.slice(2);
  if (!portArg || !file || !['better-sqlite3', 'sqlite3', 'pg'].includes(driverArg)) {
    process.stderr.write('usage: baseline-server <port> <dbfile|postgres url> <better-sqlite3|sqlite3|pg>\n');
    process.exit(2);
  }
  const driver = driverArg as DriverName;
  const db = await openBaselineDb(driver, file);
  const todos = await db.get('SELECT id FROM _collections WHERE name = ?', ['todos']);
  const users = await db.get('SELECT id, data FROM _collections WHERE name = ?', ['users']);
  if (!todos || !users) {
    throw new Error('collections todos/users missing');
  }
  const authToken = (JSON.parse(String(users.data)) as { authToken: { secret: string; duration: number } }).authToken;
  const ctx: Context = {
    db,
    todosId: String(todos.id),
    usersId: String(users.id),
    authSecret: authToken.secret,
    authDuration: authToken.duration,
  };

  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024 });
  app.get('/api/health', async () => ({ code: 200, message: 'API is healthy.', data: {} }));

  app.get<{ Querystring: { perPage?: string; page?: string; skipTotal?: string } }>(
    '/api/collections/todos/records',
    async (request) => {
      const user = await authUser(ctx, request.headers.authorization);
      const perPage = Math.min(1000, Math.max(1, Number(request.query.perPage ?? 30) || 30));
      const page = Math.max(1, Number(request.query.page ?? 1) || 1);
      if (!user) {
        return { page, perPage, totalItems: 0, totalPages: 0, items: [] };
      }
      const rows = await db.all(
        `SELECT "r".* FROM "todos" "r"${LIST_WHERE} ORDER BY "r"."created" DESC LIMIT ? OFFSET ?`,
        [user.id, perPage, (page - 1) * perPage],
      );
      const skip = request.query.skipTotal === '1' || request.query.skipTotal === 'true';
      const count = skip ? null : await db.get(`SELECT COUNT(*) AS "n" FROM "todos" "r"${LIST_WHERE}`, [user.id]);
      const totalItems = count ? Number(count.n) : -1;
      const totalPages = count ? Math.ceil(totalItems / perPage) : -1;
      return { page, perPage, totalItems, totalPages, items: rows.map((r) => exportTodo(ctx, r)) };
    },
  );

  app.get<{ Params: { id: string } }>('/api/collections/todos/records/:id', async (request, reply) => {
    const user = await authUser(ctx, request.headers.authorization);
    if (!user) {
      return notFound(reply);
    }
    const row = await db.get('SELECT "r".* FROM "todos" "r" WHERE "r"."id" = ? AND "r"."owner" = ? LIMIT 1', [
      request.params.id,
      user.id,
    ]);
    return row ? exportTodo(ctx, row) : notFound(reply);
  });

  app.post<{ Body: { title?: string; completed?: boolean; owner?: string } }>(
    '/api/collections/todos/records',
    async (request, reply) => {
      const user = await authUser(ctx, request.headers.authorization);
      const body = request.body ?? {};
      if (!user || body.owner !== user.id) {
        return reply.code(400).send({ status: 400, message: 'Failed to create record.', data: {} });
      }
      const id = newId();
      const stamp = now();
      await db.run(
        'INSERT INTO "todos" ("id", "title", "completed", "owner", "created", "updated") VALUES (?, ?, ?, ?, ?, ?)',
        [id, typeof body.title === 'string' ? body.title : '', body.completed === true ? 1 : 0, user.id, stamp, stamp],
      );
      const row = await db.get('SELECT "r".* FROM "todos" "r" WHERE "r"."id" = ? LIMIT 1', [id]);
      return exportTodo(ctx, row!);
    },
  );

  app.post('/api/collections/users/auth-refresh', async (request, reply) => {
    const user = await authUser(ctx, request.headers.authorization);
    if (!user) {
      return reply
        .code(401)
        .send({ status: 401, message: 'The request requires valid record authorization token.', data: {} });
    }
    return { token: signToken(ctx, user), record: exportUser(ctx, user) };
  });

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
