'use strict';
// `npm run fuzz [-- --runs N] [--seed S] [--route REGEX]`: the route fuzzer (test/e2e/fuzz-routes.e2e-spec.ts)
// for longer than inside `npm test`: N requests per route (default 200), a random seed unless one is given
// (printed first, and again with the failing route's replay line when something fails), only the routes whose
// `METHOD /path` matches REGEX. NB_FUZZ_RUNS / NB_FUZZ_SEED / NB_FUZZ_ROUTE work as well; NB_FUZZ_SHRINK=1
// shrinks a failing request to a smaller one. Against a running server: NB_TEST_BASE_URL and the
// NB_TEST_SUPERUSER_* variables (see libs/testing/src/run-scenarios.ts).
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}
const known = new Set(['--runs', '--seed', '--route']);
for (let i = 0; i < args.length; i += 2) {
  if (!known.has(args[i])) {
    process.stderr.write(`usage: npm run fuzz -- [--runs N] [--seed S] [--route REGEX] (got ${args[i]})\n`);
    process.exit(2);
  }
}
const runs = option('runs', process.env.NB_FUZZ_RUNS ?? '200');
const seed = option('seed', process.env.NB_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31)));
const route = option('route', process.env.NB_FUZZ_ROUTE ?? '');
if (!/^\d+$/.test(runs) || !/^-?\d+$/.test(seed)) {
  process.stderr.write('--runs and --seed take integers\n');
  process.exit(2);
}
process.stdout.write(
  `route fuzzer: seed ${seed}, ${runs} requests per route${route ? `, routes matching ${route}` : ''}\n`,
);
const root = path.join(__dirname, '..');
const file = path.join(root, 'dist', 'test', 'e2e', 'fuzz-routes.e2e-spec.js');
const result = spawnSync(
  process.execPath,
  ['-r', path.join(__dirname, 'paths.js'), '--test', '--test-reporter=spec', file],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NB_FUZZ_RUNS: runs, NB_FUZZ_SEED: seed, ...(route ? { NB_FUZZ_ROUTE: route } : {}) },
  },
);
if (result.status !== 0) {
  process.stdout.write(
    `\nroute fuzzer FAILED with seed ${seed}: run again with  npm run fuzz -- --seed ${seed} --runs ${runs}\n`,
  );
}
process.exit(result.status ?? 1);
