'use strict';
// Runs the compiled tests (dist/), each file in its own process (`node --test-reporter=tap <file>`), one
// more at a time than the machine has cores (the distributed set holds a slot for minutes, mostly waiting;
// NB_TEST_CONCURRENCY to change), longest first: the durations of the last run are kept in
// dist/.test-times.json, and without them the distributed set goes first. Tiers: `unit` = *.spec.js beside
// the code, `medium` = test/medium/ (real TypeORM/Redis, no HTTP server), `e2e` = test/e2e/ and test/browser/,
// `deploy` = test/deploy/, `distributed` = test/distributed/; no argument = all.
//
// In the e2e tier each file starts a server of its own, except, in a whole run (all tiers, or `e2e` with no
// names; in a targeted run too when NB_TEST_SHARED_SERVERS is set), the suite files (those the distributed sets
// run through their gateway, libs/testing's suite-files.ts): they run on NB_TEST_SHARED_SERVERS (default 2, 0 =
// off) standalone servers that the runner starts and they share, by the distributed sets' role rules (alone /
// one settings file at a time / shared beside each other; see libs/testing's shared-servers.ts). Their lines
// say `on shared server N`, their cpu counts a share of that server's; the tier's cpu adds what no file ran
// beside (boot, idle). A shared server that dies fails the files running on it, with its log, and fails the
// run; a fresh one takes the files still to come.
//
// Prints one line per finished file (the whole TAP of a failing file, or of every file with --verbose), then
// the time and CPU of each tier, how fast the machine's CPU ran meanwhile (scripts/cpu-speed.js), the slowest files, the failing tests by name, `# pass N` / `# fail N` and a last
// line that says PASSED or FAILED. `pg` = the e2e files of PG_FILES again (those that start their own servers;
// the scenario suite runs on PostgreSQL through test/distributed/postgres.e2e-spec.ts), each server on a fresh
// database of one PostgreSQL the runner starts (libs/testing's PostgresServer: initdb into a temp dir, a free
// port); skipped with a note when no PostgreSQL binaries are installed. After the tier, names (substrings of
// the paths) pick files: `node scripts/run-tests.js e2e records-crud` or `pg auth-otp`.
// Exits non-zero on any failure, crash or hung file. `unit` and the full run
// also run the dashboard's Vitest tests (apps/dashboard/src/**/*.test.ts) first; its browser flows
// (test/browser/) belong to `e2e`.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

require('./paths');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const [kind = 'all', ...picks] = args.filter((a) => !a.startsWith('--'));
const TIERS = ['unit', 'medium', 'e2e', 'deploy', 'distributed', 'pg'];
// The e2e files with servers of their own run on PostgreSQL too: see scripts/pg-files.js, README "PostgreSQL".
const { PG_FILES } = require('./pg-files');
const { startCpuSpeedProbe } = require('./cpu-speed');
// A hang catcher, far above any file's duration on a busy machine (the distributed set takes minutes).
const CEILING_MS = { distributed: 40 * 60_000, default: 15 * 60_000 };
const timesFile = path.join(dist, '.test-times.json');
/** The same file in the pg tier is another entry (its own time, its own line): `<file>#pg`. */
const PG_MARK = '#pg';
const rel = (file) => path.relative(root, file);

if (kind !== 'all' && !TIERS.includes(kind)) {
  process.stderr.write(`unknown tier ${kind}: one of ${TIERS.join(', ')} or nothing for all\n`);
  process.exit(2);
}

function find(dir, suffix, out = []) {
  if (!fs.existsSync(dir)) {
    return out;
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      find(full, suffix, out);
    } else if (entry.name.endsWith(suffix)) {
      out.push(full);
    }
  }
  return out;
}

const tierFiles = {
  unit: () => [...find(path.join(dist, 'libs'), '.spec.js'), ...find(path.join(dist, 'apps'), '.spec.js')],
  medium: () => find(path.join(dist, 'test', 'medium'), '.spec.js'),
  e2e: () => [
    ...find(path.join(dist, 'test', 'e2e'), '.e2e-spec.js'),
    ...find(path.join(dist, 'test', 'browser'), '.e2e-spec.js'),
  ],
  deploy: () => find(path.join(dist, 'test', 'deploy'), '.e2e-spec.js'),
  distributed: () => find(path.join(dist, 'test', 'distributed'), '.e2e-spec.js'),
  // NB_TEST_PG_ANY=1: any e2e file may be picked by name (to try one on PostgreSQL before listing it).
  pg: () =>
    process.env.NB_TEST_PG_ANY === '1'
      ? find(path.join(dist, 'test', 'e2e'), '.e2e-spec.js')
      : PG_FILES.map((name) => path.join(dist, 'test', 'e2e', `${name}.e2e-spec.js`)).filter((f) => fs.existsSync(f)),
};
const tierOf = new Map();
for (const tier of TIERS) {
  if (kind === 'all' || kind === tier) {
    tierFiles[tier]()
      .filter((file) => picks.length === 0 || picks.some((p) => rel(file).includes(p)))
      .forEach((file) => tierOf.set(`${file}${tier === 'pg' ? PG_MARK : ''}`, tier));
  }
}
if (tierOf.size === 0) {
  process.stderr.write('no compiled tests found: run `npm run build` first\n');
  process.exit(1);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}
// A fresh clone has no times of its own: scripts/test-times.json holds the times of a full run on this kind of
// machine (refresh it by copying dist/.test-times.json after a full run), so CI starts the long files first too.
const known = { ...readJson(path.join(__dirname, 'test-times.json')), ...readJson(timesFile) };
// Longest first; a file never timed counts as long as the distributed set if it is one, else a minute.
const expected = (file) => known[rel(file)] ?? (tierOf.get(file) === 'distributed' ? 600_000 : 60_000);
const files = [...tierOf.keys()].sort((a, b) => expected(b) - expected(a) || a.localeCompare(b));

const { runTestFiles } = require(path.join(dist, 'libs', 'testing', 'src', 'file-runner.js'));
const sharedCount = Number(process.env.NB_TEST_SHARED_SERVERS ?? 2);
// A targeted run (names given, unless NB_TEST_SHARED_SERVERS is set), a run against an external server: every
// file as it runs alone.
const shareServers =
  (kind === 'all' || kind === 'e2e') &&
  (picks.length === 0 || process.env.NB_TEST_SHARED_SERVERS !== undefined) &&
  !process.env.NB_TEST_BASE_URL;
// Against one external server (NB_TEST_BASE_URL) the files share its settings: one at a time.
const concurrency = process.env.NB_TEST_BASE_URL
  ? 1
  : Number(process.env.NB_TEST_CONCURRENCY) || Math.max(2, os.availableParallelism?.() ?? 2) + 1;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const started = Date.now();
// Interrupted: exit through the 'exit' handlers, which kill every file's process group (servers included).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    process.stdout.write(`\n# FAILED: interrupted by ${signal}\n`);
    process.exit(1);
  });
}
process.stdout.write(`running ${files.length} test files, ${concurrency} at a time\n`);

function onDone(result) {
  const mark = result.ok ? 'ok    ' : result.hung ? 'HUNG  ' : 'FAILED';
  const cpu = result.cpuMs === undefined ? '' : `, cpu ${seconds(result.cpuMs)}`;
  const counts = `pass ${result.pass}, fail ${result.fail}${cpu}${result.on ? `, on ${result.on}` : ''}`;
  process.stdout.write(`${mark} ${seconds(result.durationMs).padStart(8)}  ${rel(result.file)}  (${counts})\n`);
  if (!result.ok || verbose) {
    process.stdout.write(`${result.output.replace(/^/gm, '    | ')}\n`);
  }
}

const ceiling = (file) => (tierOf.get(file) === 'distributed' ? CEILING_MS.distributed : CEILING_MS.default);

/** The dashboard's Vitest tests (component logic): run first, in this process's terminal. */
function runVitest() {
  if (kind !== 'all' && kind !== 'unit') {
    return true;
  }
  const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const config = path.join(root, 'apps', 'dashboard', 'vite.config.mts');
  return spawnSync(process.execPath, [vitest, 'run', '--config', config], { stdio: 'inherit' }).status === 0;
}

/** One PostgreSQL for the pg tier's files (each server makes its own database on it). */
async function startPostgres() {
  const none = { url: '', stop: async () => undefined };
  if (![...tierOf.values()].includes('pg')) {
    return none;
  }
  const { PostgresServer, postgresBinDir } = require(path.join(dist, 'libs', 'testing', 'src', 'postgres-server.js'));
  if (!postgresBinDir()) {
    process.stdout.write('# pg tier skipped: no PostgreSQL binaries under /usr/lib/postgresql\n');
    return none;
  }
  const server = await PostgresServer.start('nestbase_runner');
  return { url: server.url, stop: () => server.stop() };
}

/** The standalone servers the e2e tier's suite files share (none in a targeted run). */
async function startSharedServers() {
  if (!shareServers || sharedCount <= 0) {
    return undefined;
  }
  const { SharedServers } = require(path.join(dist, 'libs', 'testing', 'src', 'shared-servers.js'));
  const { isSuiteFile } = require(path.join(dist, 'libs', 'testing', 'src', 'suite-files.js'));
  // test/e2e's files that the distributed sets run too (not test/browser's)
  const e2eDir = path.join(dist, 'test', 'e2e', path.sep);
  const suiteFiles = files.filter((file) => file.startsWith(e2eDir) && tierOf.get(file) === 'e2e' && isSuiteFile(file));
  return suiteFiles.length > 0 ? SharedServers.start(sharedCount, suiteFiles) : undefined;
}

async function main() {
  const speed = startCpuSpeedProbe();
  const vitestOk = runVitest();
  const postgres = await startPostgres();
  const shared = await startSharedServers();
  const env = (file) =>
    tierOf.get(file) === 'pg'
      ? { ...process.env, NB_TEST_POSTGRES_URL: postgres.url, NB_DB_POOL_MAX: '4' }
      : process.env;
  const runnable = files.filter((file) => tierOf.get(file) !== 'pg' || postgres.url);
  const scheduler = shared?.scheduler;
  const results = await runTestFiles(runnable, { concurrency, ceilingMs: ceiling, onDone, env, scheduler });
  await postgres.stop();
  await shared?.stop();
  const crashes = shared?.crashes ?? [];
  const wall = Date.now() - started;
  const times = { ...known };
  results.forEach((r) => (times[rel(r.file)] = r.durationMs));
  fs.writeFileSync(timesFile, `${JSON.stringify(times, null, 2)}\n`);

  const out = [];
  out.push(
    '',
    '# time per tier (wall: first start to last end; sum: the files one after another; cpu: their processes',
  );
  out.push('#   and their servers, user + system)');
  for (const tier of TIERS) {
    const mine = results.filter((r) => tierOf.get(r.file) === tier);
    if (mine.length > 0) {
      const start = Math.min(...mine.map((r) => r.startedAt));
      const end = Math.max(...mine.map((r) => r.startedAt + r.durationMs));
      const sum = mine.reduce((s, r) => s + r.durationMs, 0);
      const overhead = tier === 'e2e' && shared ? shared.overheadCpuMs : 0;
      const cpu = mine.reduce((s, r) => s + (r.cpuMs ?? 0), overhead);
      const note = overhead ? `  (${shared.size} shared servers, ${seconds(overhead)} of it beside no file)` : '';
      out.push(
        `#   ${tier.padEnd(12)} ${String(mine.length).padStart(3)} files  wall ${seconds(end - start)}  sum ${seconds(sum)}  cpu ${seconds(cpu)}${note}`,
      );
    }
  }
  out.push(speed.stop());
  out.push('# slowest files');
  [...results]
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, 8)
    .forEach((r) => out.push(`#   ${seconds(r.durationMs).padStart(8)}  ${rel(r.file)}`));
  out.push('# most CPU');
  [...results]
    .sort((a, b) => (b.cpuMs ?? 0) - (a.cpuMs ?? 0))
    .slice(0, 12)
    .forEach((r) => out.push(`#   ${seconds(r.cpuMs ?? 0).padStart(8)}  ${rel(r.file)}`));
  const failed = results.filter((r) => !r.ok);
  const pass = results.reduce((s, r) => s + r.pass, 0);
  const fail = results.reduce((s, r) => s + r.fail, 0) + results.filter((r) => !r.ok && r.fail === 0).length;
  if (!vitestOk) {
    out.push('', '# FAILING: the dashboard Vitest tests (see their output above)');
  }
  if (crashes.length > 0) {
    out.push('', '# FAILING: shared servers of the e2e tier', ...crashes.map((c) => `#   ${c}`));
  }
  if (failed.length > 0) {
    out.push('', '# FAILING TESTS');
    for (const r of failed) {
      out.push(`#   ${rel(r.file)}${r.hung ? ' (HUNG, killed)' : ''}`);
      r.failures.forEach((f) => out.push(`#     ✗ ${f.name}`, `#         ${f.reason.slice(0, 300)}`));
    }
  }
  out.push('', `# files ${results.length}`, `# pass ${pass}`, `# fail ${fail}`, `# wall time ${seconds(wall)}`);
  const passed = failed.length === 0 && vitestOk && crashes.length === 0;
  const others = [...(vitestOk ? [] : ['vitest']), ...(crashes.length > 0 ? ['a shared server'] : [])];
  out.push(
    passed
      ? `# PASSED: all ${results.length} files`
      : `# FAILED: ${failed.length} of ${results.length} files (${[...failed.map((r) => path.basename(r.file)), ...others].join(', ')})`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  process.exitCode = passed ? 0 : 1;
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n# FAILED: the runner itself\n`);
  process.exitCode = 1;
});
