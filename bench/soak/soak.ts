import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADMIN, rssMb, startNestbase, stop, type Server } from '../records/processes';

/**
 * `npm run soak`: SOAK_MINUTES (10) of mixed load on one `nestbase serve` — SOAK_CONNECTIONS (16) clients creating,
 * listing (filtered, sorted), viewing, updating and deleting records as users under owner rules, with SOAK_SSE (20)
 * realtime subscribers receiving the changes — sampled every SOAK_SAMPLE_S (30) seconds: RSS, open file descriptors,
 * active handles (the server's `nodejs_active_handles_total` from its `/metrics`: sockets, timers, watchers),
 * requests and p99 latency of the interval, events received. After the warm-up (the first SOAK_WARMUP (20) % of
 * the run) RSS must grow less than 10 %, descriptors must not grow and handles must not grow beyond the clients'
 * own churn (10 % + 10); exits 1 otherwise.
 */
function envNumber(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`${name} must be a positive number`);
  }
  return n;
}

const MINUTES = envNumber('SOAK_MINUTES', 10);
const CONNECTIONS = envNumber('SOAK_CONNECTIONS', 16);
const SSE = envNumber('SOAK_SSE', 20);
const SAMPLE_MS = envNumber('SOAK_SAMPLE_S', 30) * 1000;
const WARMUP = envNumber('SOAK_WARMUP', 20) / 100;
const USERS = 8;
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Sample {
  atS: number;
  rssMb: number;
  fds: number;
  handles: number;
  requests: number;
  errors: number;
  p99Ms: number;
  events: number;
}

function fdCount(server: Server): number {
  try {
    return fs.readdirSync(`/proc/${server.child.pid}/fd`).length;
  } catch {
    return -1;
  }
}

/** The server's active handles (prom-client's `nodejs_active_handles_total` on `/metrics`), -1 when unreadable. */
async function activeHandles(base: string): Promise<number> {
  try {
    const text = await (await fetch(`${base}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('nodejs_active_handles_total'));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : -1;
  } catch {
    return -1;
  }
}

/** A JSON answer, loosely typed (the soak reads `token`, `record.id`, `id`). */
type Json = { token: string; id: string; record: { id: string } };

async function call(base: string, method: string, url: string, body?: unknown, token = ''): Promise<[number, Json]> {
  const res = await fetch(base + url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return [res.status, (text ? JSON.parse(text) : {}) as Json];
}

async function setUp(base: string): Promise<{ tokens: { token: string; id: string }[] }> {
  const [, su] = await call(base, 'POST', '/api/collections/_superusers/auth-with-password', {
    identity: ADMIN.email,
    password: ADMIN.password,
  });
  const owner = '@request.auth.id != "" && owner = @request.auth.id';
  const [status, body] = await call(
    base,
    'POST',
    '/api/collections',
    {
      name: 'soak_todos',
      listRule: owner,
      viewRule: owner,
      createRule: owner,
      updateRule: owner,
      deleteRule: owner,
      fields: [
        { name: 'title', type: 'text' },
        { name: 'completed', type: 'bool' },
        { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
        { name: 'created', type: 'autodate', onCreate: true },
        { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
      ],
    },
    su.token,
  );
  if (status !== 200) {
    throw new Error(`collection: ${status} ${JSON.stringify(body)}`);
  }
  const tokens: { token: string; id: string }[] = [];
  for (let i = 0; i < USERS; i++) {
    const email = `soak${i}@example.com`;
    const password = 'soak-password-123';
    await call(base, 'POST', '/api/collections/users/records', { email, password, passwordConfirm: password });
    const [, auth] = await call(base, 'POST', '/api/collections/users/auth-with-password', {
      identity: email,
      password,
    });
    tokens.push({ token: auth.token, id: auth.record.id });
  }
  return { tokens };
}

/** An SSE subscriber of `soak_todos/*` as `token`'s user; counts the record events it receives. */
async function subscribe(base: string, token: string, onEvent: () => void, signal: AbortSignal): Promise<void> {
  const res = await fetch(`${base}/api/realtime`, { signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let subscribed = false;
  for (;;) {
    const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
    if (done) {
      return;
    }
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!subscribed && frame.includes('PB_CONNECT')) {
        const clientId = /"clientId":"([^"]+)"/.exec(frame)?.[1];
        await call(base, 'POST', '/api/realtime', { clientId, subscriptions: ['soak_todos/*'] }, token);
        subscribed = true;
      } else if (frame.includes('soak_todos/*')) {
        onEvent();
      }
    }
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbase-soak-'));
  const { server } = await startNestbase(dir);
  const base = `http://127.0.0.1:${server.port}`;
  const abort = new AbortController();
  try {
    const { tokens } = await setUp(base);
    let events = 0;
    for (let i = 0; i < SSE; i++) {
      void subscribe(base, tokens[i % tokens.length].token, () => events++, abort.signal).catch(() => undefined);
    }
    const latencies: number[] = [];
    let requests = 0;
    let errors = 0;
    const endAt = Date.now() + MINUTES * 60_000;
    const worker = async (n: number) => {
      const me = tokens[n % tokens.length];
      const mine: string[] = [];
      for (let i = 0; Date.now() < endAt; i++) {
        const t0 = performance.now();
        let status: number;
        const op = i % 10;
        if (op < 3 || mine.length === 0) {
          const [s, body] = await call(
            base,
            'POST',
            '/api/collections/soak_todos/records',
            {
              title: `todo ${n}-${i}`,
              owner: me.id,
            },
            me.token,
          );
          status = s;
          if (s === 200) {
            mine.push(body.id);
          }
        } else if (op < 6) {
          [status] = await call(
            base,
            'GET',
            '/api/collections/soak_todos/records?perPage=30&sort=-created&filter=completed%3Dfalse',
            undefined,
            me.token,
          );
        } else if (op < 8) {
          [status] = await call(
            base,
            'GET',
            `/api/collections/soak_todos/records/${mine[i % mine.length]}`,
            undefined,
            me.token,
          );
        } else if (op < 9) {
          [status] = await call(
            base,
            'PATCH',
            `/api/collections/soak_todos/records/${mine[i % mine.length]}`,
            { completed: true },
            me.token,
          );
        } else {
          const id = mine.shift()!;
          [status] = await call(base, 'DELETE', `/api/collections/soak_todos/records/${id}`, undefined, me.token);
        }
        latencies.push(performance.now() - t0);
        requests++;
        if (status >= 400) {
          errors++;
        }
      }
    };
    const samples: Sample[] = [];
    const started = Date.now();
    const sampler = setInterval(() => void takeSample(), SAMPLE_MS);
    const takeSample = async () => {
      const handles = await activeHandles(base);
      const sorted = latencies.splice(0).sort((a, b) => a - b);
      const sample: Sample = {
        atS: Math.round((Date.now() - started) / 1000),
        rssMb: Math.round((rssMb(server) ?? 0) * 10) / 10,
        fds: fdCount(server),
        handles,
        requests,
        errors,
        p99Ms: Math.round((sorted[Math.floor(sorted.length * 0.99)] ?? 0) * 10) / 10,
        events,
      };
      samples.push(sample);
      requests = 0;
      errors = 0;
      events = 0;
      log(
        `  ${String(sample.atS).padStart(5)} s  rss ${sample.rssMb} MB  fds ${sample.fds}  handles ${sample.handles}  requests ${sample.requests}` +
          `  errors ${sample.errors}  p99 ${sample.p99Ms} ms  events ${sample.events}`,
      );
    };
    log(`soak: ${MINUTES} min, ${CONNECTIONS} clients, ${SSE} SSE subscribers, a sample every ${SAMPLE_MS / 1000} s`);
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, n) => worker(n)));
    clearInterval(sampler);
    const steady = samples.slice(Math.max(1, Math.floor(samples.length * WARMUP)));
    if (steady.length < 2) {
      log('soak: too short for a verdict (raise SOAK_MINUTES or lower SOAK_SAMPLE_S)');
      return;
    }
    const first = steady[0];
    const last = steady[steady.length - 1];
    const growth = (last.rssMb - first.rssMb) / first.rssMb;
    const fdGrowth = last.fds - first.fds;
    const handleGrowth = last.handles - first.handles;
    const handlesLeak = first.handles < 0 || last.handles < 0 || handleGrowth > first.handles * 0.1 + 10;
    const errorsTotal = samples.reduce((sum, s) => sum + s.errors, 0);
    log(
      `soak: after warm-up RSS ${first.rssMb} → ${last.rssMb} MB (${(growth * 100).toFixed(1)} %), fds ${first.fds} → ` +
        `${last.fds}, handles ${first.handles} → ${last.handles}, errors ${errorsTotal}, peak RSS ${Math.max(...samples.map((s) => s.rssMb))} MB`,
    );
    if (growth >= 0.1 || fdGrowth > 5 || handlesLeak || errorsTotal > 0) {
      log('soak: FAILED (RSS grew 10 % or more, descriptors or handles grew, or requests failed)');
      process.exitCode = 1;
    } else {
      log('soak: PASSED');
    }
  } finally {
    abort.abort();
    await stop(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
