import { type CompileOptions, QueryCompiler, type RequestInfo } from '@lib/query';
import { posts, schema } from './schema';

/**
 * `npm run bench:query`: parse+compile of 10,000 distinct realistic rules/filters on the query fixture schema,
 * a typical rule compiled cold and from the cache, and raw baselines (JSON.parse of a comparable string, a Map
 * lookup) measured in the same run, so the ratios survive noisy machines. Targets: cache hit < 5 µs, cold
 * parse+compile of a typical rule < 100 µs.
 */

const log = (line: string): boolean => process.stdout.write(`${line}\n`);

const OPTS: CompileOptions = { collection: posts, schema, mode: 'rule', isSuperuser: false, alias: 'r' };
const TYPICAL = "author = @request.auth.id || (published = true && status != 'draft' && tags.name ?= 'news')";
const REQUEST: RequestInfo = {
  auth: { id: 'u1', collectionId: '_pb_users_auth_', roles: ['admin'], verified: true },
  body: { title: 'x' },
  query: {},
  headers: {},
  method: 'GET',
  context: 'default',
};

/** A small deterministic PRNG (mulberry32), so every run measures the same expressions. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['news', 'tech', 'red', 'blue', 'hello', 'draft', "o\\'brien", 'café', 'x_y', '100%'];
const CLAUSES: ((w: string, n: number) => string)[] = [
  (w) => `title ~ '${w}'`,
  (_, n) => `views > ${n}`,
  () => 'published = true',
  (w) => `status = '${w}'`,
  () => 'author = @request.auth.id',
  (w) => `author.team.name = '${w}'`,
  (w) => `tags.name ?= '${w}'`,
  () => 'comments_via_post.author ?= @request.auth.id',
  () => 'created >= @todayStart && created < @monthEnd',
  () => "@request.auth.roles:each ?= 'admin'",
  () => '@collection.memberships.user ?= @request.auth.id && @collection.memberships.team ?= author.team',
  (_, n) => `labels:length > ${n % 3}`,
  () => '@request.auth.verified = true',
  () => '@request.body.title:changed = false',
  (w, n) => `meta.stats.score >= ${n} || meta.kind = '${w}'`,
  (w) => `author.email:lower ~ '${w}' && @request.auth.id != ''`,
];

/** `count` distinct expressions of 1–4 clauses joined by && / ||, some grouped. */
function expressions(count: number): string[] {
  const rnd = prng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const out = new Set<string>();
  while (out.size < count) {
    const n = 1 + Math.floor(rnd() * 4);
    const parts = Array.from({ length: n }, () => pick(CLAUSES)(pick(WORDS), Math.floor(rnd() * 1000)));
    let expr = parts[0];
    for (const part of parts.slice(1)) {
      expr = rnd() < 0.3 ? `(${expr}) || ${part}` : `${expr} ${rnd() < 0.7 ? '&&' : '||'} ${part}`;
    }
    out.add(expr);
  }
  return [...out];
}

interface Stats {
  mean: number;
  p99: number;
}

/** Per-operation µs: each sample is one call of `op(i)`, or `batch` calls averaged. */
function measure(samples: number, op: (i: number) => unknown, batch = 1): Stats {
  const times: number[] = [];
  let sink = 0;
  for (let s = 0; s < samples; s++) {
    const start = process.hrtime.bigint();
    for (let b = 0; b < batch; b++) {
      sink += op(s * batch + b) === undefined ? 0 : 1;
    }
    times.push(Number(process.hrtime.bigint() - start) / 1000 / batch);
  }
  if (sink < 0) {
    log('unreachable');
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return { mean, p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] };
}

const fmt = (s: Stats): string => `mean ${s.mean.toFixed(2).padStart(8)} µs   p99 ${s.p99.toFixed(2).padStart(8)} µs`;

function main(): void {
  const distinct = expressions(10_000);
  const jsonText = JSON.stringify(['f', TYPICAL, 'rule', false, posts.id, posts.updated, 'r']);
  const map = new Map(distinct.map((e, i) => [e, i]));

  // Warm-up: JIT the parser, compiler and baselines.
  const warm = new QueryCompiler();
  distinct.slice(0, 3000).forEach((e) => warm.compile(e, OPTS));
  measure(20_000, () => JSON.parse(jsonText));
  measure(20_000, (i) => map.get(distinct[i % distinct.length]));

  const cold = new QueryCompiler();
  const distinctStats = measure(distinct.length, (i) => cold.compile(distinct[i], OPTS));
  const typicalCold = measure(5_000, () => new QueryCompiler().compile(TYPICAL, OPTS));
  const hot = new QueryCompiler();
  hot.compile(TYPICAL, OPTS);
  const cacheHit = measure(5_000, () => hot.compile(TYPICAL, OPTS), 100);
  const compiled = hot.compile(TYPICAL, OPTS);
  const bind = measure(5_000, () => compiled.bind(REQUEST), 100);
  const jsonParse = measure(5_000, () => JSON.parse(jsonText), 100);
  const mapGet = measure(5_000, (i) => map.get(distinct[i % distinct.length]), 100);

  log(
    `query bench (node ${process.version}, ${distinct.length} distinct expressions, avg ${Math.round(
      distinct.reduce((a, e) => a + e.length, 0) / distinct.length,
    )} chars)`,
  );
  log(`typical rule: ${TYPICAL}`);
  log(`parse+compile, 10k distinct    ${fmt(distinctStats)}`);
  log(`parse+compile, typical (cold)  ${fmt(typicalCold)}   target < 100 µs`);
  log(`cache hit, typical             ${fmt(cacheHit)}   target < 5 µs`);
  log(`bind(request), typical         ${fmt(bind)}`);
  log(`baseline JSON.parse (${jsonText.length} chars) ${fmt(jsonParse)}`);
  log(`baseline Map.get               ${fmt(mapGet)}`);
  log(
    `ratios: cold typical / JSON.parse = ${(typicalCold.mean / jsonParse.mean).toFixed(1)}x, ` +
      `cache hit / JSON.parse = ${(cacheHit.mean / jsonParse.mean).toFixed(1)}x, ` +
      `cache hit / Map.get = ${(cacheHit.mean / mapGet.mean).toFixed(1)}x`,
  );
  const ok = cacheHit.mean < 5 && typicalCold.mean < 100;
  log(ok ? 'targets met' : 'TARGETS MISSED');
}

main();
