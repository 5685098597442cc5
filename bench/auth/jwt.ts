import { createSecretKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { signHs256, verifyHs256 } from '@lib/auth';
import { call, runLoad } from '../records/load';
import { ADMIN, cpuMs, startNestbase, stop } from '../records/processes';

/**
 * `node -r ./scripts/paths.js dist/bench/auth/jwt.js`: the design card's `@nestjs/jwt` against our node:crypto
 * HS256 (libs/auth/src/hs256.ts), fairly: CPU µs per sign and per verify of a PocketBase-shaped token, with the
 * secret as a `KeyObject` made once (the best case), a `KeyObject` made per call (our keys are per record:
 * collection secret + tokenKey, so a cache would be keyed by record) and a string (jsonwebtoken's slow path);
 * then the server CPU per auth-refresh request (one verify + one sign), to put the difference in proportion.
 * Env: BENCH_SECONDS (3 per case).
 */

const seconds = Number(process.env.BENCH_SECONDS ?? 3) || 3;
const log = (line: string) => process.stdout.write(`${line}\n`);
const KEY = `${'s'.repeat(50)}${'k'.repeat(50)}`;
const now = () => Math.floor(Date.now() / 1000);
const claims = () => ({
  id: 'abcdefghijklmno',
  type: 'auth',
  collectionId: '_pb_users_auth_',
  refreshable: true,
  exp: now() + 3600,
});

/** CPU µs per call of `fn`, run for `seconds` (after a warm-up). */
function cpuPerCall(fn: () => unknown): number {
  const warm = Date.now() + 300;
  while (Date.now() < warm) {
    fn();
  }
  const deadline = Date.now() + seconds * 1000;
  const start = process.cpuUsage();
  let n = 0;
  while (Date.now() < deadline) {
    for (let i = 0; i < 100; i++) {
      fn();
    }
    n += 100;
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

function micro(): Record<string, number> {
  const jwt = new JwtService({});
  const keyObject = createSecretKey(Buffer.from(KEY));
  const token = signHs256(claims(), KEY);
  const check = (value: unknown) => {
    if (!value) {
      throw new Error('verify failed');
    }
  };
  const out: Record<string, number> = {
    'ours sign': cpuPerCall(() => signHs256(claims(), KEY)),
    'ours verify': cpuPerCall(() => check(verifyHs256(token, KEY))),
    'nestjs/jwt sign, KeyObject made once': cpuPerCall(() =>
      jwt.sign(claims(), { secret: keyObject as never, algorithm: 'HS256' }),
    ),
    'nestjs/jwt verify, KeyObject made once': cpuPerCall(() =>
      check(jwt.verify(token, { secret: keyObject as never, algorithms: ['HS256'] })),
    ),
    'nestjs/jwt verify, KeyObject per call': cpuPerCall(() =>
      check(jwt.verify(token, { secret: createSecretKey(Buffer.from(KEY)) as never, algorithms: ['HS256'] })),
    ),
    'nestjs/jwt sign, string secret': cpuPerCall(() => jwt.sign(claims(), { secret: KEY, algorithm: 'HS256' })),
    'nestjs/jwt verify, string secret': cpuPerCall(() =>
      check(jwt.verify(token, { secret: KEY, algorithms: ['HS256'] })),
    ),
  };
  return out;
}

async function refreshCpu(): Promise<number> {
  process.env.NB_LOG_LEVEL = 'error';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbase-bench-jwt-'));
  const { server } = await startNestbase(dir);
  try {
    const port = server.port;
    const su = await call<{ token: string }>(port, {
      method: 'POST',
      path: '/api/collections/_superusers/auth-with-password',
      body: { identity: ADMIN.email, password: ADMIN.password },
    });
    const next = () => ({
      method: 'POST' as const,
      path: '/api/collections/_superusers/auth-refresh',
      headers: { authorization: su.token },
    });
    await runLoad({ port, concurrency: 16, maxRequests: 500_000, durationMs: 1000, next });
    const before = cpuMs(server) ?? 0;
    const result = await runLoad({ port, concurrency: 16, maxRequests: 500_000, durationMs: seconds * 1000, next });
    const used = (cpuMs(server) ?? 0) - before;
    return (used * 1000) / result.requests;
  } finally {
    await stop(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  log(`jwt bench: node ${process.version}, ${os.cpus().length} CPUs, ${seconds} s per case`);
  const m = micro();
  for (const [name, us] of Object.entries(m)) {
    log(`  ${name.padEnd(42)} ${us.toFixed(2).padStart(8)} µs CPU per call`);
  }
  const route = await refreshCpu();
  const ours = m['ours sign'] + m['ours verify'];
  const best = m['nestjs/jwt sign, KeyObject made once'] + m['nestjs/jwt verify, KeyObject made once'];
  const perCall = m['nestjs/jwt sign, KeyObject made once'] + m['nestjs/jwt verify, KeyObject per call'];
  log(`auth-refresh: ${route.toFixed(0)} µs server CPU per request (one verify + one sign)`);
  log(
    `  ours ${ours.toFixed(1)} µs; @nestjs/jwt KeyObject cached ${best.toFixed(1)} µs (${(((best - ours) / route) * 100).toFixed(1)} % of the route), per call ${perCall.toFixed(1)} µs (${(((perCall - ours) / route) * 100).toFixed(1)} %)`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
